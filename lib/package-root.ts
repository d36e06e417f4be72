import * as fs from 'fs';
import * as path from 'path';

/** The nearest folder above `from` whose package.json is this library's (source tree or dist/ alike). */
export function packageRoot(from: string): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'govcloud-blueprint') return dir;
    if (path.dirname(dir) === dir) throw new Error(`cannot find the govcloud-blueprint package root above ${from}`);
  }
}
