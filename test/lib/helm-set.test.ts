import { helmPath, parseHelmSet, setHelmValue } from '../../lib/helm-set';

describe('helmPath', () => {
  it.each([
    ['image.repository', ['image', 'repository']],
    ['global.imageRegistry', ['global', 'imageRegistry']],
    ['annotations.prometheus\\.io/scrape', ['annotations', 'prometheus.io/scrape']],
    ['sidecars[1].image', ['sidecars', 1, 'image']],
    ['matrix[0][2]', ['matrix', 0, 2]],
    ['image', ['image']],
  ])('%s -> %j', (name, steps) => {
    expect(helmPath(name)).toEqual(steps);
  });
});

describe('parseHelmSet', () => {
  it('types an unquoted value as strvals does, unless asked for a string', () => {
    expect(parseHelmSet('a=true,b=false,c=null,d=12,e=012,f=1.5,g=x')).toEqual([
      { path: ['a'], value: true },
      { path: ['b'], value: false },
      { path: ['c'], value: null },
      { path: ['d'], value: 12 },
      { path: ['e'], value: '012' },
      { path: ['f'], value: '1.5' },
      { path: ['g'], value: 'x' },
    ]);
    expect(parseHelmSet('a=true', true)).toEqual([{ path: ['a'], value: 'true' }]);
  });

  it('starts another assignment at an unescaped comma, and keeps an escaped one', () => {
    expect(parseHelmSet('image.tag=1,image.repository=docker.io/nginx')).toEqual([
      { path: ['image', 'tag'], value: 1 },
      { path: ['image', 'repository'], value: 'docker.io/nginx' },
    ]);
    expect(parseHelmSet('args=a\\,b')).toEqual([{ path: ['args'], value: 'a,b' }]);
  });

  it('reads {x,y} as a list, and {} as an empty one', () => {
    expect(parseHelmSet('hosts={a.example,b.example},n=1')).toEqual([
      { path: ['hosts'], value: ['a.example', 'b.example'] },
      { path: ['n'], value: 1 },
    ]);
    expect(parseHelmSet('hosts={}')).toEqual([{ path: ['hosts'], value: [] }]);
  });

  it('splits at the first unescaped "=": the value may hold more', () => {
    expect(parseHelmSet('env.A=b=c')).toEqual([{ path: ['env', 'A'], value: 'b=c' }]);
  });
});

describe('setHelmValue', () => {
  it('creates the maps and lists on the way and leaves the input alone', () => {
    const values = { image: { registry: 'r.example', repository: 'app' } };
    expect(setHelmValue(values, ['image', 'repository'], 'other')).toEqual({ image: { registry: 'r.example', repository: 'other' } });
    expect(setHelmValue(values, ['sidecars', 1, 'image'], 'x')).toEqual({ ...values, sidecars: [null, { image: 'x' }] });
    expect(values).toEqual({ image: { registry: 'r.example', repository: 'app' } });
  });

  it('replaces a scalar on the way with a map', () => {
    expect(setHelmValue({ image: 'pilot' }, ['image', 'repository'], 'docker.io/nginx')).toEqual({ image: { repository: 'docker.io/nginx' } });
  });
});
