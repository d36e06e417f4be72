import {
  helmReleaseValues,
  imageIsFromRegistry,
  imageReferences,
  isFromRegistry,
  mergeHelmValues,
  releaseSupplyChainProblems,
  writtenReleaseSupplyChainProblems,
} from '../../lib/supply-chain';

describe('imageReferences', () => {
  it('reads an image block with its own registry', () => {
    expect(imageReferences({ image: { registry: 'quay.io', repository: 'prometheus/node-exporter', tag: 'v1.8.0' } })).toEqual([
      { path: 'image', registry: 'quay.io', repository: 'prometheus/node-exporter' },
    ]);
  });

  it('defaults a block without a registry to Docker Hub', () => {
    expect(imageReferences({ image: { repository: 'bitnami/redis', tag: '7.2' } })).toEqual([
      { path: 'image', registry: 'docker.io', repository: 'bitnami/redis' },
    ]);
  });

  it('treats an empty registry field like a missing one', () => {
    expect(imageReferences({ image: { registry: '', repository: 'bitnami/redis' } })[0].registry).toBe('docker.io');
  });

  it('lets global.imageRegistry override a block’s own registry (Bitnami semantics)', () => {
    const values = {
      global: { imageRegistry: 'harbor.gov.example/mirror' },
      image: { registry: 'docker.io', repository: 'bitnami/postgresql' },
      metrics: { image: { repository: 'bitnami/postgres-exporter' } },
    };
    expect(imageReferences(values).map((i) => [i.path, i.registry])).toEqual([
      ['image', 'harbor.gov.example/mirror'],
      ['metrics.image', 'harbor.gov.example/mirror'],
    ]);
  });

  it('ignores an empty global.imageRegistry', () => {
    expect(imageReferences({ global: { imageRegistry: '' }, image: { registry: 'quay.io', repository: 'a/b' } })[0].registry).toBe('quay.io');
  });

  it('takes the host from a repository that names one when there is no registry field', () => {
    expect(imageReferences({ image: { repository: 'quay.io/minio/minio', tag: 'RELEASE.2024' } })).toEqual([
      { path: 'image', registry: 'quay.io', repository: 'minio/minio' },
    ]);
  });

  it('treats localhost as a host', () => {
    expect(imageReferences({ image: { repository: 'localhost/team/app' } })).toEqual([{ path: 'image', registry: 'localhost', repository: 'team/app' }]);
    expect(imageReferences({ image: 'localhost/team/app:dev' })).toEqual([{ path: 'image', registry: 'localhost', repository: 'team/app' }]);
  });

  it('does not take a plain first path component for a host', () => {
    expect(imageReferences({ image: { repository: 'minio/minio' } })).toEqual([{ path: 'image', registry: 'docker.io', repository: 'minio/minio' }]);
  });

  describe('full reference strings under a key named image', () => {
    it.each([
      ['ghcr.io/org/app:1.2', 'ghcr.io', 'org/app'],
      ['ghcr.io/org/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', 'ghcr.io', 'org/app'],
      ['ghcr.io/org/app:1.2@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', 'ghcr.io', 'org/app'],
      ['registry.local:5000/team/app:3', 'registry.local:5000', 'team/app'],
      ['host:5000/app', 'host:5000', 'app'],
      ['bitnami/kubectl:1.30', 'docker.io', 'bitnami/kubectl'],
      ['busybox:1.36', 'docker.io', 'busybox'],
      ['busybox', 'docker.io', 'busybox'],
    ])('%s', (reference, registry, repository) => {
      expect(imageReferences({ job: { image: reference } })).toEqual([{ path: 'job.image', registry, repository }]);
    });

    it('skips an empty image string', () => {
      expect(imageReferences({ job: { image: '' } })).toEqual([]);
    });
  });

  it('reports nested blocks and list items by their dotted path', () => {
    const values = {
      image: { repository: 'bitnami/redis' },
      metrics: { image: { registry: 'quay.io', repository: 'oliver006/redis_exporter' } },
      sidecars: [
        { name: 'log', image: 'ghcr.io/org/shipper:1' },
        { name: 'proxy', image: { registry: 'gcr.io', repository: 'proxy/envoy' } },
      ],
    };
    expect(imageReferences(values)).toEqual([
      { path: 'image', registry: 'docker.io', repository: 'bitnami/redis' },
      { path: 'metrics.image', registry: 'quay.io', repository: 'oliver006/redis_exporter' },
      { path: 'sidecars[0].image', registry: 'ghcr.io', repository: 'org/shipper' },
      { path: 'sidecars[1].image', registry: 'gcr.io', repository: 'proxy/envoy' },
    ]);
  });

  it('counts blocks under keys ending in "Image"', () => {
    expect(
      imageReferences({ clientImage: { registry: 'quay.io', repository: 'minio/mc' }, volumePermissions: { initImage: { repository: 'bitnami/os-shell' } } }),
    ).toEqual([
      { path: 'clientImage', registry: 'quay.io', repository: 'minio/mc' },
      { path: 'volumePermissions.initImage', registry: 'docker.io', repository: 'bitnami/os-shell' },
    ]);
  });

  it('reads image blocks by role inside an `image` map (KEDA: image.keda, image.webhooks)', () => {
    const values = {
      image: {
        keda: { registry: 'ghcr.io', repository: 'kedacore/keda', tag: '2.20.2' },
        webhooks: { registry: 'mirror.example', repository: 'kedacore/keda-admission-webhooks' },
        pullPolicy: 'IfNotPresent',
      },
    };
    expect(imageReferences(values)).toEqual([
      { path: 'image.keda', registry: 'ghcr.io', repository: 'kedacore/keda' },
      { path: 'image.webhooks', registry: 'mirror.example', repository: 'kedacore/keda-admission-webhooks' },
    ]);
  });

  it('does not report an object with a repository key that is not under an image-ish key', () => {
    expect(imageReferences({ backup: { repository: 's3://bucket', schedule: '0 1 * * *' } })).toEqual([]);
    expect(imageReferences({ helm: { repository: 'https://charts.example' }, image: { repository: 'bitnami/nginx' } })).toEqual([
      { path: 'image', registry: 'docker.io', repository: 'bitnami/nginx' },
    ]);
  });

  it('does not report list items with a repository key under a key that is not image-ish', () => {
    expect(imageReferences({ backups: [{ repository: 's3://bucket/a' }, { repository: 'gs://bucket/b' }] })).toEqual([]);
  });

  it('reads the ingress-nginx `{ registry, image }` block as one image, honouring its registry', () => {
    const values = {
      controller: { image: { registry: 'harbor.gov.example/mirror', image: 'ingress-nginx/controller', tag: 'v1.10.0', digest: 'sha256:abc' } },
    };
    expect(imageReferences(values)).toEqual([{ path: 'controller.image', registry: 'harbor.gov.example/mirror', repository: 'ingress-nginx/controller' }]);
  });

  it('reads a bare image block passed as the values root', () => {
    expect(imageReferences({ registry: 'quay.io', repository: 'org/app', tag: '1' })).toEqual([{ path: '', registry: 'quay.io', repository: 'org/app' }]);
  });

  it('does not report a string under a key that merely contains "image"', () => {
    expect(imageReferences({ imagePullPolicy: 'IfNotPresent', image: { repository: 'bitnami/nginx', pullPolicy: 'Always' } })).toHaveLength(1);
  });
});

describe('Istio hub convention', () => {
  const istiod = (hub: string) => ({ global: { hub, tag: '1.30.3', proxy: { image: 'proxyv2' }, proxy_init: { image: 'proxyv2' } }, image: 'pilot' });

  describe('imageReferences', () => {
    it('resolves image names below global.hub', () => {
      expect(imageReferences(istiod('registry.test.example/istio'))).toEqual([
        { path: 'global.proxy.image', registry: 'registry.test.example', repository: 'istio/proxyv2' },
        { path: 'global.proxy_init.image', registry: 'registry.test.example', repository: 'istio/proxyv2' },
        { path: 'image', registry: 'registry.test.example', repository: 'istio/pilot' },
      ]);
    });

    it('lets a block’s own hub override global.hub', () => {
      expect(imageReferences({ global: { hub: 'registry.test.example/istio' }, pilot: { hub: 'docker.io/istio', image: 'pilot' } })).toEqual([
        { path: 'pilot.image', registry: 'docker.io', repository: 'istio/pilot' },
      ]);
    });

    it('resolves a bare image name with no hub anywhere to Docker Hub', () => {
      expect(imageReferences({ image: 'pilot' })).toEqual([{ path: 'image', registry: 'docker.io', repository: 'pilot' }]);
    });

    it('skips "auto", which sidecar injection fills in', () => {
      expect(imageReferences({ image: 'auto' })).toEqual([]);
      expect(imageReferences({ global: { hub: 'docker.io/istio' }, image: 'auto' })).toEqual([]);
    });

    it('takes an image containing a slash as a full reference even under a hub', () => {
      expect(imageReferences({ global: { hub: 'registry.test.example/istio' }, image: 'quay.io/other/thing:1' })).toEqual([
        { path: 'image', registry: 'quay.io', repository: 'other/thing' },
      ]);
    });
  });

  describe('releaseSupplyChainProblems', () => {
    const sources = { registry: 'registry.test.example', chartRepository: 'oci://registry.test.example/charts' };
    const where = 'helm_release mesh/istiod';
    const release = (hub: string) => ({ repository: sources.chartRepository, chart: 'istiod', values: istiod(hub) });

    it('reports every image when global.hub is not the mirror', () => {
      const problems = releaseSupplyChainProblems(release('docker.io/istio'), sources, where);
      expect(problems.map((p) => p.path)).toEqual([`${where} values.global.proxy.image`, `${where} values.global.proxy_init.image`, `${where} values.image`]);
      expect(problems[2].message).toContain('istio/pilot');
      expect(problems[2].message).toContain('"docker.io"');
    });

    it('finds nothing when global.hub is the mirror', () => {
      expect(releaseSupplyChainProblems(release('registry.test.example/istio'), sources, where)).toEqual([]);
    });
  });
});

describe('isFromRegistry', () => {
  it.each([
    ['reg.example', 'reg.example', true],
    ['reg.example/mirror', 'reg.example/mirror', true],
    ['reg.example/mirror/bitnami', 'reg.example/mirror', true],
    ['reg.example/mirror', 'reg.example/mirror/', true],
    ['reg.example/mirror/bitnami', 'reg.example/mirror//', true],
    ['reg.example/mirror2', 'reg.example/mirror', false],
    ['reg.example.evil.com', 'reg.example', false],
    ['reg.example.evil.com/mirror', 'reg.example/mirror', false],
    ['reg.example', 'reg.example/mirror', false],
    ['docker.io', 'reg.example', false],
  ])('%s from mirror %s => %s', (registry, mirror, expected) => {
    expect(isFromRegistry(registry, mirror)).toBe(expected);
  });
});

describe('imageIsFromRegistry', () => {
  it.each([
    ['reg.example/mirror/app:1.0', 'reg.example/mirror', true],
    ['reg.example/mirror/team/app', 'reg.example/mirror/', true],
    ['reg.example/app@sha256:abc', 'reg.example', true],
    ['reg.example/mirror2/app:1.0', 'reg.example/mirror', false],
    ['reg.example.evil.com/app:1.0', 'reg.example', false],
    ['reg.example.evil.com/mirror/app', 'reg.example/mirror', false],
    ['reg.example/other/app', 'reg.example/mirror', false],
    ['app:1.0', 'reg.example', false],
  ])('%s from mirror %s => %s', (image, mirror, expected) => {
    expect(imageIsFromRegistry(image, mirror)).toBe(expected);
  });
});

describe('releaseSupplyChainProblems', () => {
  const sources = { registry: 'harbor.gov.example/mirror', chartRepository: 'oci://harbor.gov.example/charts' };
  const where = 'helm_release stack/redis';

  it('finds nothing for a release entirely from the mirror', () => {
    const release = {
      repository: 'oci://harbor.gov.example/charts',
      chart: 'redis',
      values: {
        global: { imageRegistry: 'harbor.gov.example/mirror' },
        image: { repository: 'bitnami/redis' },
        sidecars: [{ image: 'harbor.gov.example/mirror/org/shipper:1' }],
        exporter: { image: { registry: 'harbor.gov.example/mirror/quay', repository: 'oliver006/redis_exporter' } },
      },
    };
    expect(releaseSupplyChainProblems(release, sources, where)).toEqual([]);
  });

  it('accepts images whose mirror path is split between registry and repository', () => {
    const release = {
      repository: 'oci://harbor.gov.example/charts',
      chart: 'minio',
      values: {
        image: { registry: 'harbor.gov.example', repository: 'mirror/minio/minio' },
        clientImage: { repository: 'harbor.gov.example/mirror/minio/mc' },
      },
    };
    expect(releaseSupplyChainProblems(release, sources, where)).toEqual([]);
  });

  it('still rejects an image whose repository only looks like the mirror path', () => {
    const release = { repository: sources.chartRepository, chart: 'minio', values: { image: { registry: 'harbor.gov.example', repository: 'mirror2/minio' } } };
    expect(releaseSupplyChainProblems(release, sources, where)).toHaveLength(1);
  });

  it('reports a chart from a foreign repository, naming the chart and the expected repository', () => {
    const release = { repository: 'https://charts.bitnami.com/bitnami', chart: 'redis', values: { global: { imageRegistry: 'harbor.gov.example/mirror' } } };
    const problems = releaseSupplyChainProblems(release, sources, where);
    expect(problems).toHaveLength(1);
    expect(problems[0].path).toBe(where);
    expect(problems[0].message).toContain('"redis"');
    expect(problems[0].message).toContain('"oci://harbor.gov.example/charts"');
    expect(problems[0].message).toContain('https://charts.bitnami.com/bitnami');
  });

  it('reports a foreign image with its values path', () => {
    const release = {
      repository: sources.chartRepository,
      chart: 'redis',
      values: { image: { registry: 'harbor.gov.example/mirror', repository: 'bitnami/redis' }, metrics: { image: { repository: 'bitnami/redis-exporter' } } },
    };
    const problems = releaseSupplyChainProblems(release, sources, where);
    expect(problems).toHaveLength(1);
    expect(problems[0].path).toBe(`${where} values.metrics.image`);
    expect(problems[0].message).toContain('bitnami/redis-exporter');
    expect(problems[0].message).toContain('"docker.io"');
    expect(problems[0].message).toContain('"harbor.gov.example/mirror"');
  });

  it('reports a foreign chart and a foreign image together', () => {
    const release = { repository: 'oci://registry-1.docker.io/bitnamicharts', chart: 'redis', values: { sidecars: [{ image: 'ghcr.io/org/shipper:1' }] } };
    const problems = releaseSupplyChainProblems(release, sources, where);
    expect(problems.map((p) => p.path)).toEqual([where, `${where} values.sidecars[0].image`]);
  });

  it('reports a prefix-trap registry as foreign', () => {
    const release = {
      repository: sources.chartRepository,
      chart: 'redis',
      values: { image: { registry: 'harbor.gov.example/mirror2', repository: 'bitnami/redis' } },
    };
    expect(releaseSupplyChainProblems(release, sources, where)).toHaveLength(1);
  });

  it('tolerates trailing slash differences on the chart repository', () => {
    const values = { global: { imageRegistry: 'harbor.gov.example/mirror' } };
    expect(releaseSupplyChainProblems({ repository: 'oci://harbor.gov.example/charts/', chart: 'redis', values }, sources, where)).toEqual([]);
    expect(
      releaseSupplyChainProblems(
        { repository: 'oci://harbor.gov.example/charts', chart: 'redis', values },
        { ...sources, chartRepository: 'oci://harbor.gov.example/charts//' },
        where,
      ),
    ).toEqual([]);
  });

  it('does not accept a chart repository that only starts with the mirror’s', () => {
    const values = { global: { imageRegistry: 'harbor.gov.example/mirror' } };
    expect(releaseSupplyChainProblems({ repository: 'oci://harbor.gov.example/charts-evil', chart: 'redis', values }, sources, where)).toHaveLength(1);
  });
});

describe('mergeHelmValues', () => {
  it('merges maps deeply and replaces lists and scalars', () => {
    const base = { image: { repository: 'bitnami/redis', tag: '7.0' }, replicas: 1, args: ['a', 'b'], auth: { enabled: true, password: 'x' } };
    const next = { image: { tag: '7.2' }, replicas: 3, args: ['c'], auth: { enabled: false } };
    expect(mergeHelmValues(base, next)).toEqual({
      image: { repository: 'bitnami/redis', tag: '7.2' },
      replicas: 3,
      args: ['c'],
      auth: { enabled: false, password: 'x' },
    });
  });

  it('replaces a map with a scalar or list and the other way round', () => {
    expect(mergeHelmValues({ a: { b: 1 }, c: [1], d: 'x' }, { a: 'flat', c: { k: 1 }, d: { e: 1 } })).toEqual({ a: 'flat', c: { k: 1 }, d: { e: 1 } });
  });

  it('keeps base keys that next does not name and adds new ones', () => {
    expect(mergeHelmValues({ a: 1, nested: { x: 1 } }, { b: 2, nested: { y: 2 } })).toEqual({ a: 1, b: 2, nested: { x: 1, y: 2 } });
  });

  it('does not mutate base', () => {
    const base = { image: { repository: 'bitnami/redis', tag: '7.0' }, list: [1, 2] };
    const copy = JSON.parse(JSON.stringify(base));
    const merged = mergeHelmValues(base, { image: { tag: '7.2' }, list: [3] });
    expect(base).toEqual(copy);
    expect(merged.image).not.toBe(base.image);
  });
});

describe('helmReleaseValues', () => {
  it('merges the values documents, then set, set_list, set_sensitive and set_wo, as the helm provider does', () => {
    const { values, sets, unreadable } = helmReleaseValues({
      values: ['image:\n  registry: a.example\n  repository: app\n', 'image:\n  tag: "1"\n'],
      set: [{ name: 'image.registry', value: 'b.example' }],
      set_list: [{ name: 'hosts', value: ['x.example', 'y.example'] }],
      set_sensitive: [{ name: 'image.registry', value: 'c.example' }],
      set_wo: [{ name: 'token', value: 't', type: 'string' }],
    });
    expect(values).toEqual({ image: { registry: 'c.example', repository: 'app', tag: '1' }, hosts: ['x.example', 'y.example'], token: 't' });
    expect(sets.map((s) => [s.field, s.name, s.sensitive])).toEqual([
      ['set[0]', 'image.registry', false],
      ['set_list[0]', 'hosts', false],
      ['set_sensitive[0]', 'image.registry', true],
      ['set_wo[0]', 'token', true],
    ]);
    expect(unreadable).toEqual([]);
  });

  it('reports a values document that is not a YAML map', () => {
    const { unreadable } = helmReleaseValues({ values: ['${yamlencode(var.values)}', '- a\n', ''] });
    expect(unreadable.map((p) => p.path)).toEqual(['values[0]', 'values[1]']);
    expect(unreadable[0].message).toContain('is not a YAML map (a Terraform expression?)');
  });
});

describe('writtenReleaseSupplyChainProblems', () => {
  const sources = { registry: 'registry.test.example', chartRepository: 'oci://registry.test.example/charts' };
  const release = (extra: Record<string, unknown>) => ({
    repository: sources.chartRepository,
    chart: 'app',
    values: ['image:\n  registry: registry.test.example\n  repository: team/app\n'],
    ...extra,
  });

  it('finds nothing when the sets keep every image on the mirror', () => {
    expect(writtenReleaseSupplyChainProblems(release({ set: [{ name: 'image.repository', value: 'team/other' }] }), sources, 'r')).toEqual([]);
  });

  it('names the set entry that moved an image', () => {
    expect(writtenReleaseSupplyChainProblems(release({ set: [{ name: 'image.registry', value: 'docker.io' }] }), sources, 'r')).toEqual([
      {
        path: 'r values.image (from set[0] "image.registry")',
        message:
          'image "team/app" would be pulled from "docker.io", not the blueprint\'s registry mirror "registry.test.example"; set its registry to the mirror (or global.imageRegistry)',
      },
    ]);
  });

  it('says a Terraform expression cannot be checked, rather than naming Docker Hub', () => {
    const problems = writtenReleaseSupplyChainProblems(release({ set: [{ name: 'image.registry', value: '${var.registry}' }] }), sources, 'r');
    expect(problems).toHaveLength(1);
    expect(problems[0].message).toContain('holds a Terraform template sequence, which synth cannot check');
  });

  it('never prints the value of a sensitive entry', () => {
    const problems = writtenReleaseSupplyChainProblems(release({ set_wo: [{ name: 'image.registry', value: 'secret.example' }] }), sources, 'r');
    expect(problems.map((p) => p.path)).toEqual(['r values.image (from set_wo[0] "image.registry")']);
    expect(JSON.stringify(problems)).not.toContain('secret.example');
  });

  it('reports a chart from elsewhere and an unreadable values document', () => {
    const problems = writtenReleaseSupplyChainProblems(release({ repository: 'https://charts.example', values: ['[broken'] }), sources, 'r');
    expect(problems.map((p) => p.path)).toEqual(['r values[0]', 'r']);
  });
});
