import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FileError, fileErrorOf } from '../file-errors';

/** The file that marks a folder as an output root synth may replace; written by every commit. */
export const OUTPUT_MARK = '.govcloud-output';
/** The mark's content: fixed, so the same input still gives the same bytes. */
export const OUTPUT_MARK_CONTENT = 'govcloud-blueprint output root: synth replaces this folder whole. Delete this file to keep synth from replacing it.\n';
/**
 * What an output root from before the mark holds (`examples/` is where `npm run example` writes
 * under `out/`): an unmarked folder with nothing else is taken for a previous output.
 */
export const UNMARKED_OUTPUT_ENTRIES: readonly string[] = ['terraform', 'manifests', 'reports', 'examples'];
/**
 * The folder of the output root that synth does not own: `npm run example` writes
 * `out/examples/<name>/` inside the default output root, so a commit carries the previous
 * output's `examples/` over into the new one instead of deleting it.
 */
export const CARRIED_OVER_ENTRY = 'examples';

/** Why `target` may not be replaced as an output root, or undefined when it may. */
export function outputRootRefusal(target: string, cwd = process.cwd()): string | undefined {
  const resolved = path.resolve(cwd, target);
  const fix = 'choose another --out (a new folder, or one synth wrote before)';
  const named = `output root ${target}${resolved === target ? '' : ` (${resolved})`}`;
  const inside = (folder: string) => folder === resolved || folder.startsWith(resolved.endsWith(path.sep) ? resolved : resolved + path.sep);
  if (resolved === path.parse(resolved).root) return `${named} is the file-system root; ${fix}`;
  if (inside(cwd)) return `${named} is the current folder${resolved === cwd ? '' : ' or one of its parents'}, which synth would replace whole; ${fix}`;
  if (resolved === os.homedir()) return `${named} is the home folder; ${fix}`;
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(resolved);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw fileErrorOf(error, 'read', resolved);
  }
  if (stat.isSymbolicLink()) return `${named} is a symbolic link; synth would replace the link, not its folder: name the real folder or ${fix}`;
  if (!stat.isDirectory()) return `${named} is a file, not a folder; ${fix}, or delete the file yourself`;
  let entries: string[];
  try {
    entries = fs.readdirSync(resolved);
  } catch (error) {
    throw fileErrorOf(error, 'read the folder', resolved);
  }
  const project = entries.find((e) => e === 'package.json' || e === '.git');
  if (project) return `${named} holds ${project}: it is a project folder, not an output; ${fix}`;
  if (entries.length === 0 || isMarked(resolved) || entries.every((e) => UNMARKED_OUTPUT_ENTRIES.includes(e) && isDirectory(path.join(resolved, e))))
    return undefined;
  const shown = entries.sort().slice(0, 3).join(', ') + (entries.length > 3 ? ', ...' : '');
  return `${named} is a folder synth did not write (it holds ${shown}; no ${OUTPUT_MARK} file); ${fix}, or delete the folder yourself`;
}

function isMarked(folder: string): boolean {
  try {
    return fs.readFileSync(path.join(folder, OUTPUT_MARK), 'utf8').startsWith('govcloud-blueprint output root');
  } catch {
    return false;
  }
}

function isDirectory(file: string): boolean {
  try {
    return fs.lstatSync(file).isDirectory();
  } catch {
    return false;
  }
}

/** What a commit left behind: the previous output when it could not be deleted after the swap. */
export interface CommitResult {
  /** The previous output's folder, still there; deleting it is safe. */
  readonly leftover?: string;
  /** Why it is still there, one line. */
  readonly warning?: string;
}

/**
 * Builds an output directory beside its final place and moves it there only when complete, so a
 * failed synth never leaves a half-written directory behind and readers never see a mix of old
 * and new files. The target is replaced only when it is missing, empty or a previous output (it
 * carries {@link OUTPUT_MARK}, which every commit writes): never a file, the current folder or
 * its parents, the home folder, a project or a folder synth did not write.
 */
export class StagedOutput {
  readonly staging: string;
  private open = true;
  /** Folders of the staged tree already made by `write` and `append`: one mkdir per folder, not per file. */
  private readonly madeFolders = new Set<string>();

  constructor(readonly target: string) {
    const refusal = outputRootRefusal(target);
    if (refusal) throw new FileError(refusal, target);
    const parent = path.dirname(path.resolve(target));
    try {
      fs.mkdirSync(parent, { recursive: true });
    } catch (error) {
      throw fileErrorOf(error, 'create the folder', parent);
    }
    // A stale staging directory is what a killed run leaves; it is never the user's data.
    this.staging = path.join(parent, `.${path.basename(target)}.staging`);
    try {
      fs.rmSync(this.staging, { recursive: true, force: true });
      fs.mkdirSync(this.staging);
    } catch (error) {
      throw fileErrorOf(error, 'create the staging folder', this.staging);
    }
  }

  /** Writes a file at `relative` (forward slashes) inside the staged tree. */
  write(relative: string, content: string): void {
    const file = this.resolve(relative);
    try {
      this.makeFolderOf(file);
      fs.writeFileSync(file, content);
    } catch (error) {
      throw fileErrorOf(error, 'write', file);
    }
  }

  /** Adds `content` at the end of the staged file at `relative` (made when missing). */
  append(relative: string, content: string): void {
    const file = this.resolve(relative);
    try {
      this.makeFolderOf(file);
      fs.appendFileSync(file, content);
    } catch (error) {
      throw fileErrorOf(error, 'write', file);
    }
  }

  /**
   * Moves the bytes of the staged file at `from` to the end of the staged file at `relative`, a
   * chunk at a time, and deletes `from`: a part written before what must precede it is known.
   */
  appendStagedFile(relative: string, from: string): void {
    const file = this.resolve(relative);
    const source = this.resolve(from);
    const chunk = Buffer.alloc(1 << 20);
    let input: number | undefined;
    let output: number | undefined;
    try {
      this.makeFolderOf(file);
      input = fs.openSync(source, 'r');
      output = fs.openSync(file, 'a');
      for (let read = fs.readSync(input, chunk); read > 0; read = fs.readSync(input, chunk)) fs.writeSync(output, chunk, 0, read);
    } catch (error) {
      throw fileErrorOf(error, 'write', file);
    } finally {
      if (input !== undefined) fs.closeSync(input);
      if (output !== undefined) fs.closeSync(output);
    }
    try {
      fs.unlinkSync(source);
    } catch (error) {
      throw fileErrorOf(error, 'delete', source);
    }
  }

  /** Copies a whole directory into the staged tree at `relative` (`.` for the tree's root). */
  copyDirectory(source: string, relative: string): void {
    const destination = relative === '.' ? (this.assertOpen(), this.staging) : this.resolve(relative);
    try {
      fs.cpSync(source, destination, { recursive: true });
    } catch (error) {
      throw fileErrorOf(error, 'copy into', destination);
    }
  }

  /**
   * Moves the entries of the folder `source` into the staged tree at `relative` (`.` for the tree's
   * root), which must not hold them yet: a rename each on the same file system, else a copy (the
   * source is left for its owner to delete). Moving a large tree costs no copy and no deletion.
   */
  moveDirectory(source: string, relative: string): void {
    const destination = relative === '.' ? (this.assertOpen(), this.staging) : this.resolve(relative);
    let entries: string[];
    try {
      entries = fs.readdirSync(source);
      this.makeFolder(destination);
    } catch (error) {
      throw fileErrorOf(error, 'move into', destination);
    }
    for (const entry of entries) {
      const to = path.join(destination, entry);
      try {
        fs.renameSync(path.join(source, entry), to);
      } catch (error) {
        // Another file system (the system's temporary folder is often one): copy instead.
        if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw fileErrorOf(error, 'move into', to);
        try {
          fs.cpSync(path.join(source, entry), to, { recursive: true });
        } catch (copyError) {
          throw fileErrorOf(copyError, 'copy into', to);
        }
      }
    }
  }

  /**
   * Replaces the target with the staged tree: the target moves aside, the staged tree takes its
   * place, the old one's {@link CARRIED_OVER_ENTRY} folder moves into the new one, the rest is deleted. When a move fails, the previous output is put back and the
   * staged tree deleted, and the error says so; when only the last deletion fails, the new
   * output stays and the result names the leftover.
   */
  commit(): CommitResult {
    this.assertOpen();
    this.write(OUTPUT_MARK, OUTPUT_MARK_CONTENT);
    this.open = false;
    const previous = `${this.staging}.previous`;
    const fail = (error: unknown, action: string, file: string, state: string): never => {
      this.removeStaging();
      const wrapped = fileErrorOf(error, action, file);
      if (wrapped instanceof FileError) throw new FileError(`${wrapped.message}; ${state}`, wrapped.path, wrapped.code);
      throw wrapped;
    };
    try {
      // A stale one is what a run killed mid-swap leaves; it is never the user's only copy.
      fs.rmSync(previous, { recursive: true, force: true });
    } catch (error) {
      fail(error, 'delete the leftover folder', previous, 'the previous output is unchanged');
    }
    const hadTarget = fs.existsSync(this.target);
    if (hadTarget) {
      try {
        fs.renameSync(this.target, previous);
      } catch (error) {
        fail(error, 'move aside the previous output', this.target, 'the previous output is unchanged');
      }
    }
    try {
      fs.renameSync(this.staging, this.target);
    } catch (error) {
      let state = 'nothing was written';
      if (hadTarget) {
        try {
          fs.renameSync(previous, this.target);
          state = 'the previous output is back in place';
        } catch {
          state = `the previous output is in ${previous}: move it back yourself`;
        }
      }
      fail(error, 'move the new output to', this.target, state);
    }
    if (!hadTarget) return {};
    const carried = path.join(previous, CARRIED_OVER_ENTRY);
    if (isDirectory(carried) && !fs.existsSync(path.join(this.target, CARRIED_OVER_ENTRY))) {
      try {
        fs.renameSync(carried, path.join(this.target, CARRIED_OVER_ENTRY));
      } catch (error) {
        // Deleting the previous output now would delete the examples with it.
        const wrapped = fileErrorOf(error, `carry ${CARRIED_OVER_ENTRY}/ over from`, previous);
        const why = wrapped instanceof Error ? wrapped.message : String(wrapped);
        return {
          leftover: previous,
          warning: `${why}; the new output is in place, the previous ${CARRIED_OVER_ENTRY}/ is still in that folder: move it into ${this.target} before the next synth, which deletes that folder`,
        };
      }
    }
    try {
      fs.rmSync(previous, { recursive: true, force: true });
      return {};
    } catch (error) {
      const wrapped = fileErrorOf(error, 'delete the previous output', previous);
      const why = wrapped instanceof Error ? wrapped.message : String(wrapped);
      return { leftover: previous, warning: `${why}; the new output is in place and that folder is safe to delete` };
    }
  }

  /** Drops the staged tree; the target is left as it was. */
  abort(): void {
    this.open = false;
    this.removeStaging();
  }

  /** Best effort: a failure here must not hide the error that made synth stop. */
  private removeStaging(): void {
    try {
      fs.rmSync(this.staging, { recursive: true, force: true });
    } catch {
      // Nothing more to do: the next run clears a stale staging folder first.
    }
  }

  /** The folder of a staged file, made once: one mkdir per folder, not per file. */
  private makeFolderOf(file: string): void {
    this.makeFolder(path.dirname(file));
  }

  private makeFolder(folder: string): void {
    if (this.madeFolders.has(folder)) return;
    fs.mkdirSync(folder, { recursive: true });
    this.madeFolders.add(folder);
  }

  private resolve(relative: string): string {
    this.assertOpen();
    const file = path.resolve(this.staging, relative);
    if (!file.startsWith(this.staging + path.sep)) throw new Error(`output path ${JSON.stringify(relative)} escapes the output directory`);
    return file;
  }

  private assertOpen(): void {
    if (!this.open) throw new Error(`output for ${this.target} was already committed or aborted`);
  }
}
