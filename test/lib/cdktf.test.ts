import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AppTokens, Lazy, TerraformApp, TerraformStack, TerraformVariable } from '../../lib/cdktf';

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
