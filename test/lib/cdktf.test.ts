import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Lazy, TerraformApp, TerraformStack, TerraformVariable } from '../../lib/cdktf';

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
