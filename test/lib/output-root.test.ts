/**
 * The output root is replaced only when it is a previous output, and a failed swap puts the
 * previous output back: file-system failures are one-line FileErrors naming the path.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FileError } from '../../lib/file-errors';
import { OUTPUT_MARK, OUTPUT_MARK_CONTENT, outputRootRefusal, StagedOutput } from '../../lib/output/staged-output';

// The module object the library's `import * as fs` reads through, so spies reach it.
const realFs: typeof fs = require('fs');

let tmp: string;
let cwd: string;

beforeEach(() => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'govcloud-output-root-')));
  cwd = process.cwd();
});

afterEach(() => {
  jest.restoreAllMocks();
  process.chdir(cwd);
  fs.rmSync(tmp, { recursive: true, force: true });
});

function writeFile(relative: string, content: string): string {
  const file = path.join(tmp, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

/** A previous output at `tmp/out`: the mark and one file. */
function previousOutput(): string {
  writeFile(`out/${OUTPUT_MARK}`, OUTPUT_MARK_CONTENT);
  writeFile('out/reports/fleet.md', 'previous');
  return path.join(tmp, 'out');
}

/** The FileError `act` threw. */
function fileError(act: () => unknown): FileError {
  try {
    act();
  } catch (error) {
    if (error instanceof FileError) return error;
    throw error;
  }
  throw new Error('expected a FileError, but nothing was thrown');
}

/** An errno error as Node throws it. */
function errno(code: string, syscall: string, file: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: failed, ${syscall} '${file}'`), { code, syscall, path: file });
}

describe('which output roots synth replaces', () => {
  it.each([
    ['a missing folder', () => path.join(tmp, 'new', 'out')],
    ['an empty folder', () => (fs.mkdirSync(path.join(tmp, 'empty')), path.join(tmp, 'empty'))],
    ['a marked previous output', previousOutput],
    [
      'an unmarked output of an earlier version (terraform/, manifests/, reports/, examples/ only)',
      () => {
        for (const folder of ['terraform', 'manifests', 'reports', 'examples']) writeFile(`legacy/${folder}/x`, 'x');
        return path.join(tmp, 'legacy');
      },
    ],
  ])('accepts %s', (_case, make) => {
    expect(outputRootRefusal(make())).toBeUndefined();
  });

  it('writes the mark with every commit, so the next synth recognizes the folder', () => {
    const target = path.join(tmp, 'out');
    const output = new StagedOutput(target);
    output.write('a.yaml', 'a');
    output.commit();
    expect(fs.readFileSync(path.join(target, OUTPUT_MARK), 'utf8')).toBe(OUTPUT_MARK_CONTENT);
    expect(outputRootRefusal(target)).toBeUndefined();
  });

  it('replaces a marked previous output', () => {
    const target = previousOutput();
    const output = new StagedOutput(target);
    output.write('reports/fleet.md', 'new');
    output.commit();
    expect(fs.readFileSync(path.join(target, 'reports', 'fleet.md'), 'utf8')).toBe('new');
    expect(fs.readdirSync(tmp)).toEqual(['out']);
  });

  it('refuses a regular file, naming it and the fix, and leaves it as it was', () => {
    const file = writeFile('notes.txt', 'mine');
    const error = fileError(() => new StagedOutput(file));
    expect(error.message).toBe(
      `output root ${file} is a file, not a folder; choose another --out (a new folder, or one synth wrote before), or delete the file yourself`,
    );
    expect(fs.readFileSync(file, 'utf8')).toBe('mine');
    expect(fs.readdirSync(tmp)).toEqual(['notes.txt']);
  });

  it('refuses a folder synth did not write, listing what it holds', () => {
    writeFile('photos/a.jpg', 'a');
    writeFile('photos/b.jpg', 'b');
    const target = path.join(tmp, 'photos');
    const error = fileError(() => new StagedOutput(target));
    expect(error.message).toContain(`output root ${target} is a folder synth did not write (it holds a.jpg, b.jpg; no ${OUTPUT_MARK} file)`);
    expect(error.message).toContain('delete the folder yourself');
    expect(fs.readdirSync(target)).toEqual(['a.jpg', 'b.jpg']);
    expect(fs.readdirSync(tmp)).toEqual(['photos']);
  });

  it('refuses an unmarked folder that holds an output folder name beside something else', () => {
    writeFile('mixed/reports/a.md', 'a');
    writeFile('mixed/thesis.tex', 't');
    expect(outputRootRefusal(path.join(tmp, 'mixed'))).toMatch(/is a folder synth did not write \(it holds reports, thesis\.tex;/);
  });

  it('refuses an unmarked "reports" that is a file, not a folder', () => {
    writeFile('odd/reports', 'a file');
    expect(outputRootRefusal(path.join(tmp, 'odd'))).toMatch(/is a folder synth did not write/);
  });

  it.each(['package.json', '.git'])('refuses a project folder (it holds %s), even marked', (entry) => {
    writeFile(`project/${entry}`, '{}');
    writeFile(`project/${OUTPUT_MARK}`, OUTPUT_MARK_CONTENT);
    expect(outputRootRefusal(path.join(tmp, 'project'))).toMatch(
      new RegExp(`holds ${entry.replace('.', '\\.')}: it is a project folder, not an output; choose another --out`),
    );
  });

  it('refuses the project root of this repository', () => {
    const root = path.resolve(__dirname, '..', '..');
    expect(outputRootRefusal(root, tmp)).toMatch(/holds (package\.json|\.git): it is a project folder/);
  });

  it.each([
    ['.', 'is the current folder, which synth'],
    ['..', 'is the current folder or one of its parents'],
    ['../..', 'is the current folder or one of its parents'],
    ['./', 'is the current folder, which synth'],
  ])('refuses %p (relative to the current folder)', (target, words) => {
    writeFile(`a/b/${OUTPUT_MARK}`, OUTPUT_MARK_CONTENT);
    const current = path.join(tmp, 'a', 'b');
    process.chdir(current);
    const error = fileError(() => new StagedOutput(target));
    expect(error.message).toContain(`output root ${target} (${path.resolve(current, target)}) ${words}`);
    expect(fs.readdirSync(current)).toEqual([OUTPUT_MARK]);
  });

  it('refuses the file-system root and the home folder', () => {
    expect(outputRootRefusal('/', tmp)).toBe('output root / is the file-system root; choose another --out (a new folder, or one synth wrote before)');
    expect(outputRootRefusal(os.homedir(), tmp)).toMatch(/is the (home folder|current folder or one of its parents)/);
  });

  it('refuses a symbolic link, which a swap would replace instead of its folder', () => {
    const real = previousOutput();
    fs.symlinkSync(real, path.join(tmp, 'link'));
    expect(outputRootRefusal(path.join(tmp, 'link'))).toMatch(/is a symbolic link/);
  });
});

describe('examples/ inside the output root', () => {
  it('is carried over from the previous output: npm run synth keeps what npm run example wrote to out/examples/', () => {
    const target = previousOutput();
    writeFile('out/examples/health-code/reports/fleet.md', 'example');
    const output = new StagedOutput(target);
    output.write('reports/fleet.md', 'new');
    expect(output.commit()).toEqual({});
    expect(fs.readFileSync(path.join(target, 'reports', 'fleet.md'), 'utf8')).toBe('new');
    expect(fs.readFileSync(path.join(target, 'examples', 'health-code', 'reports', 'fleet.md'), 'utf8')).toBe('example');
    expect(fs.readdirSync(tmp)).toEqual(['out']);
  });

  it('is carried over from an output root holding only examples/ (npm run example before any synth)', () => {
    writeFile('out/examples/health-code/reports/fleet.md', 'example');
    const output = new StagedOutput(path.join(tmp, 'out'));
    output.write('reports/fleet.md', 'new');
    output.commit();
    expect(fs.readdirSync(path.join(tmp, 'out')).sort()).toEqual([OUTPUT_MARK, 'examples', 'reports']);
  });

  it('keeps the previous output as a leftover, never deleted, when examples/ cannot move', () => {
    const target = previousOutput();
    writeFile('out/examples/health-code/reports/fleet.md', 'example');
    const output = new StagedOutput(target);
    const previous = `${output.staging}.previous`;
    const rename = realFs.renameSync;
    jest.spyOn(realFs, 'renameSync').mockImplementation((from, to) => {
      if (from === path.join(previous, 'examples')) throw errno('EACCES', 'rename', String(from));
      return rename(from, to);
    });
    const result = output.commit();
    expect(result.leftover).toBe(previous);
    expect(result.warning).toMatch(
      new RegExp(
        `^cannot carry examples/ over from ${previous}: permission denied \\(EACCES\\); .*; the new output is in place, the previous examples/ is still in that folder: move it into ${target} before the next synth, which deletes that folder$`,
      ),
    );
    expect(fs.readFileSync(path.join(previous, 'examples', 'health-code', 'reports', 'fleet.md'), 'utf8')).toBe('example');
  });
});

describe('a failed swap', () => {
  it('puts the previous output back and leaves no staging folder when the new one cannot move in', () => {
    const target = previousOutput();
    const output = new StagedOutput(target);
    output.write('reports/fleet.md', 'new');
    const rename = realFs.renameSync;
    jest.spyOn(realFs, 'renameSync').mockImplementation((from, to) => {
      if (from === output.staging) throw errno('EBUSY', 'rename', String(from));
      return rename(from, to);
    });
    const error = fileError(() => output.commit());
    expect(error.message).toBe(
      `cannot move the new output to ${target}: it is busy or a mount point (EBUSY); close what holds it (a shell or editor in that folder, a mount) and run again, or choose another path; the previous output is back in place`,
    );
    expect(error.code).toBe('EBUSY');
    expect(fs.readFileSync(path.join(target, 'reports', 'fleet.md'), 'utf8')).toBe('previous');
    expect(fs.readdirSync(tmp)).toEqual(['out']);
  });

  it('leaves everything as it was when the previous output cannot be moved aside', () => {
    const target = previousOutput();
    const output = new StagedOutput(target);
    output.write('reports/fleet.md', 'new');
    jest.spyOn(realFs, 'renameSync').mockImplementation((from) => {
      throw errno('EACCES', 'rename', String(from));
    });
    const error = fileError(() => output.commit());
    expect(error.message).toMatch(
      new RegExp(`^cannot move aside the previous output ${target}: permission denied \\(EACCES\\); .*; the previous output is unchanged$`),
    );
    expect(fs.readFileSync(path.join(target, 'reports', 'fleet.md'), 'utf8')).toBe('previous');
    expect(fs.readdirSync(tmp)).toEqual(['out']);
  });

  it('says where the previous output is when putting it back fails too', () => {
    const target = previousOutput();
    const output = new StagedOutput(target);
    const rename = realFs.renameSync;
    const previous = `${output.staging}.previous`;
    jest.spyOn(realFs, 'renameSync').mockImplementation((from, to) => {
      if (from === output.staging || from === previous) throw errno('EIO', 'rename', String(from));
      return rename(from, to);
    });
    const error = fileError(() => output.commit());
    expect(error.message).toContain(`(EIO); check the path and run again; the previous output is in ${previous}: move it back yourself`);
    expect(fs.readFileSync(path.join(previous, 'reports', 'fleet.md'), 'utf8')).toBe('previous');
    expect(fs.existsSync(output.staging)).toBe(false);
  });

  it('keeps the new output and reports the leftover when the previous one cannot be deleted', () => {
    const target = previousOutput();
    const output = new StagedOutput(target);
    output.write('reports/fleet.md', 'new');
    const previous = `${output.staging}.previous`;
    const rm = realFs.rmSync;
    let calls = 0;
    jest.spyOn(realFs, 'rmSync').mockImplementation((file, options) => {
      // The first removal clears a stale leftover; the last one deletes the previous output.
      if (file === previous && ++calls === 2) throw errno('EBUSY', 'rm', String(file));
      return rm(file, options);
    });
    const result = output.commit();
    expect(result.leftover).toBe(previous);
    expect(result.warning).toBe(
      `cannot delete the previous output ${previous}: it is busy or a mount point (EBUSY); close what holds it (a shell or editor in that folder, a mount) and run again, or choose another path; the new output is in place and that folder is safe to delete`,
    );
    expect(fs.readFileSync(path.join(target, 'reports', 'fleet.md'), 'utf8')).toBe('new');
    expect(fs.existsSync(output.staging)).toBe(false);
  });

  it('touches nothing when a stale leftover cannot be deleted first', () => {
    const target = previousOutput();
    const output = new StagedOutput(target);
    const previous = writeFile(`.out.staging.previous/x`, 'stale');
    const rm = realFs.rmSync;
    jest.spyOn(realFs, 'rmSync').mockImplementation((file, options) => {
      if (file === path.dirname(previous)) throw errno('EPERM', 'rm', String(file));
      return rm(file, options);
    });
    const error = fileError(() => output.commit());
    expect(error.message).toMatch(
      /^cannot delete the leftover folder .*\.out\.staging\.previous: operation not permitted \(EPERM\); .*; the previous output is unchanged$/,
    );
    expect(fs.readFileSync(path.join(target, 'reports', 'fleet.md'), 'utf8')).toBe('previous');
    expect(fs.existsSync(output.staging)).toBe(false);
  });

  it.each([
    ['ENAMETOOLONG', 'the name is too long (ENAMETOOLONG); choose a shorter path'],
    ['ENOSPC', 'no space left on the device (ENOSPC); free some disk space'],
    ['EROFS', 'the file system is read-only (EROFS); choose a path on a writable file system'],
  ])('reports %s while writing as one line naming the file', (code, words) => {
    const output = new StagedOutput(path.join(tmp, 'out'));
    jest.spyOn(realFs, 'writeFileSync').mockImplementation((file) => {
      throw errno(code, 'open', String(file));
    });
    const error = fileError(() => output.write('reports/fleet.md', 'x'));
    expect(error.message).toContain(`cannot write ${path.join(output.staging, 'reports', 'fleet.md')}: `);
    expect(error.message).toContain(words);
    expect(error.message).not.toContain('\n');
    output.abort();
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  it('reports an output root under a file as one line', () => {
    writeFile('blocked', 'a file where a folder should be');
    const target = path.join(tmp, 'blocked', 'deeper', 'out');
    const error = fileError(() => new StagedOutput(target));
    expect(error.message).toBe(`cannot read ${target}: a part of the path is a file, not a folder (ENOTDIR); fix the path`);
  });

  it('reports a parent folder it cannot create as one line', () => {
    jest.spyOn(realFs, 'mkdirSync').mockImplementation((file) => {
      throw errno('EACCES', 'mkdir', String(file));
    });
    const error = fileError(() => new StagedOutput(path.join(tmp, 'new', 'out')));
    expect(error.message).toBe(
      `cannot create the folder ${path.join(tmp, 'new')}: permission denied (EACCES); check the permissions of the path and of its folder, or choose another path`,
    );
  });
});

describe('a file written in parts', () => {
  it('appends text and the bytes of another staged file, more than a chunk of them, in order, and deletes that file', () => {
    const output = new StagedOutput(path.join(tmp, 'out'));
    // Over a megabyte, with characters of several bytes across the chunk boundaries.
    const big = '教育局 <section>\n'.repeat(80_000);
    output.write('reports/.part', big);
    output.append('reports/index.html', 'head\n');
    output.appendStagedFile('reports/index.html', 'reports/.part');
    output.append('reports/index.html', '\ntail');
    expect(fs.readFileSync(path.join(output.staging, 'reports', 'index.html'), 'utf8') === `head\n${big}\ntail`).toBe(true);
    expect(fs.readdirSync(path.join(output.staging, 'reports'))).toEqual(['index.html']);
    output.commit();
    expect(fs.readdirSync(path.join(tmp, 'out', 'reports'))).toEqual(['index.html']);
  });

  it('makes each folder once, whether a file in it is written or appended to', () => {
    const output = new StagedOutput(path.join(tmp, 'out'));
    const made: string[] = [];
    const mkdirSync = realFs.mkdirSync;
    jest.spyOn(realFs, 'mkdirSync').mockImplementation(((folder: fs.PathLike, options?: fs.MakeDirectoryOptions) => {
      made.push(String(folder));
      return mkdirSync(folder, options);
    }) as typeof fs.mkdirSync);
    output.append('reports/index.html', 'a');
    output.write('reports/fleet.md', 'b');
    output.append('reports/index.html', 'c');
    output.append('reports/changsha/topology.svg', 'd');
    expect(made).toEqual([path.join(output.staging, 'reports'), path.join(output.staging, 'reports', 'changsha')]);
    expect(fs.readFileSync(path.join(output.staging, 'reports', 'index.html'), 'utf8')).toBe('ac');
    output.abort();
  });
});

describe('a folder moved into the staged tree', () => {
  it('moves its entries, to a subfolder or to the root, and leaves the source empty', () => {
    const output = new StagedOutput(path.join(tmp, 'out'));
    writeFile('scratch/manifest.json', '{}');
    writeFile('scratch/stacks/changsha-gov/cdk.tf.json', '{"a":1}');
    output.moveDirectory(path.join(tmp, 'scratch'), 'terraform');
    expect(fs.readdirSync(path.join(tmp, 'scratch'))).toEqual([]);
    expect(fs.readFileSync(path.join(output.staging, 'terraform', 'stacks', 'changsha-gov', 'cdk.tf.json'), 'utf8')).toBe('{"a":1}');
    writeFile('scratch/manifest.json', '{"root":true}');
    output.moveDirectory(path.join(tmp, 'scratch'), '.');
    expect(fs.readFileSync(path.join(output.staging, 'manifest.json'), 'utf8')).toBe('{"root":true}');
    output.abort();
  });

  it('copies what it cannot rename across file systems', () => {
    const output = new StagedOutput(path.join(tmp, 'out'));
    writeFile('scratch/stacks/changsha-gov/cdk.tf.json', '{"a":1}');
    jest.spyOn(realFs, 'renameSync').mockImplementation((from) => {
      throw Object.assign(new Error(`EXDEV: cross-device link not permitted, rename '${String(from)}'`), { code: 'EXDEV' });
    });
    output.moveDirectory(path.join(tmp, 'scratch'), 'terraform');
    expect(fs.readFileSync(path.join(output.staging, 'terraform', 'stacks', 'changsha-gov', 'cdk.tf.json'), 'utf8')).toBe('{"a":1}');
    jest.restoreAllMocks();
    output.abort();
  });
});
