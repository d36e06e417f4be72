import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import fc from 'fast-check';
import {
  AppTokens,
  DefaultTokenResolver,
  Lazy,
  StringConcat,
  TerraformApp,
  TerraformStack,
  TerraformVariable,
  Token,
  Tokenization,
  cdktfOwnResolve,
} from '../../lib/cdktf';

describe('lib/cdktf.ts', () => {
  it('stops cdktf capturing a stack trace for every token it makes', () => {
    const capture = jest.spyOn(Error, 'captureStackTrace');
    try {
      Lazy.anyValue({ produce: () => 1 });
      Lazy.stringValue({ produce: () => 'a' });
      expect(capture).not.toHaveBeenCalled();
    } finally {
      capture.mockRestore();
    }
  });

  it('keeps a token error readable: what failed, and why no creation stack is shown', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'govcloud-cdktf-'));
    try {
      const app = new TerraformApp({ outdir, stackTraces: false, hclOutput: false, skipValidation: true });
      const stack = new TerraformStack(app, 'stack');
      new TerraformVariable(stack, 'broken', {
        default: Lazy.anyValue({
          produce: () => {
            throw new Error('the value is not known yet');
          },
        }),
      });
      expect(() => app.synth()).toThrow(
        /Resolution error: the value is not known yet\.\nObject creation stack:\n {2}at \(token creation stacks are not recorded/,
      );
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe('AppTokens', () => {
  it("takes an app's tokens out of cdktf's process-wide map after synth, and puts them back for the next", () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'govcloud-cdktf-'));
    const tokenMap = (globalThis as unknown as { __cdktfTokenMap: { stringTokenMap: Map<string, unknown> } }).__cdktfTokenMap.stringTokenMap;
    try {
      const app = new TerraformApp({ outdir, stackTraces: false, hclOutput: false, skipValidation: true });
      const stack = new TerraformStack(app, 'stack');
      const name = new TerraformVariable(stack, 'name', { type: 'string' });
      new TerraformVariable(stack, 'copy', { type: 'string', default: name.stringValue });
      const before = tokenMap.size;
      const tokens = new AppTokens(app);
      tokens.release();
      expect(tokenMap.size).toBeLessThan(before);
      tokens.restore();
      expect(tokenMap.size).toBe(before);
      app.synth();
      const synthesized = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'stack', 'cdk.tf.json'), 'utf8'));
      expect(synthesized.variable.copy.default).toBe('${var.name}');
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe('resolving plain parts without cdktf', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'govcloud-resolve-'));
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));
  const app = new TerraformApp({ outdir, stackTraces: false, hclOutput: false, skipValidation: true });
  const stack = new TerraformStack(app, 'stack');
  const variable = new TerraformVariable(stack, 'v', {});
  const resolver = new DefaultTokenResolver(new StringConcat());
  const nestedToken = fc.constantFrom<unknown>(
    variable.stringValue,
    `image-\${variable.stringValue}:1.2`,
    variable.numberValue,
    `replicas ${variable.numberValue}`,
    variable.listValue,
    [variable.listValue[0]],
    Lazy.anyValue({ produce: () => ({ a: [1, undefined, 'x'], b: undefined }) }),
    Lazy.stringValue({ produce: () => 'lazy' }),
    Token.asNumber(Lazy.numberValue({ produce: () => 7 })),
    Token.asAny({ nested: variable.stringValue }),
    new Date(0),
    Token.NUMBER_MAP_TOKEN_VALUE,
    Token.STRING_MAP_TOKEN_VALUE,
  );
  const text = fc.oneof(
    fc.constantFrom('', '1e5', 'a-e-1', '10.0e+3', '${var.x}', '$${x}', 'TfToken[', '#{TfToken[x]}', 'plain', 'a: b'),
    fc.string({ maxLength: 10 }),
  );
  const { data } = fc.letrec((tie) => ({
    data: fc.oneof({ depthSize: 'small', withCrossShrink: true }, tie('leaf'), tie('list'), tie('map')),
    leaf: fc.oneof(text, fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined), nestedToken),
    list: fc.array(tie('data'), { maxLength: 4 }),
    map: fc.array(fc.tuple(text, tie('data')), { maxLength: 4 }).map((entries) => Object.fromEntries(entries)),
  }));
  const outcome = (resolve: () => unknown): unknown => {
    try {
      return { value: resolve() };
    } catch (error) {
      return { error: (error as Error).message };
    }
  };

  it.each([true, false])('gives what cdktf gives, value or error, for plain data and tokens mixed (preparing: %s)', (preparing) => {
    fc.assert(
      fc.property(data, (value) => {
        const ours = outcome(() => Tokenization.resolve(value, { scope: stack, resolver, preparing }));
        const cdktf = outcome(() => cdktfOwnResolve(value, { scope: stack, resolver, preparing }));
        expect(ours).toEqual(cdktf);
      }),
      { numRuns: 2000 },
    );
  });

  it('copies plain data without cdktf, and hands a token deep inside to cdktf with its path', () => {
    const lazy = Lazy.anyValue({
      produce: () => {
        throw new Error('not known yet');
      },
    });
    const plain = { a: [1, 'two', { b: true, c: undefined }], d: null };
    expect(Tokenization.resolve(plain, { scope: stack, resolver })).toEqual({ a: [1, 'two', { b: true }], d: null });
    const ours = outcome(() => Tokenization.resolve({ x: [{ y: lazy }] }, { scope: stack, resolver }));
    const cdktf = outcome(() => cdktfOwnResolve({ x: [{ y: lazy }] }, { scope: stack, resolver, preparing: false }));
    expect(ours).toEqual(cdktf);
    expect(ours).toEqual({ error: expect.stringContaining('not known yet') as unknown });
  });
});
