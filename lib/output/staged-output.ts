import * as fs from 'fs';
import * as path from 'path';

/**
 * Builds an output directory beside its final place and moves it there only when complete, so a
 * failed synth never leaves a half-written directory behind and readers never see a mix of old
 * and new files.
 */
export class StagedOutput {
  readonly staging: string;
  private open = true;

  constructor(readonly target: string) {
    const parent = path.dirname(path.resolve(target));
    fs.mkdirSync(parent, { recursive: true });
    // A stale staging directory is what a killed run leaves; it is never the user's data.
    this.staging = path.join(parent, `.${path.basename(target)}.staging`);
    fs.rmSync(this.staging, { recursive: true, force: true });
    fs.mkdirSync(this.staging);
  }

  /** Writes a file at `relative` (forward slashes) inside the staged tree. */
  write(relative: string, content: string): void {
    const file = this.resolve(relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }

  /** Copies a whole directory into the staged tree at `relative`. */
  copyDirectory(source: string, relative: string): void {
    fs.cpSync(source, this.resolve(relative), { recursive: true });
  }

  /** Replaces the target with the staged tree. */
  commit(): void {
    this.assertOpen();
    const previous = `${this.staging}.previous`;
    fs.rmSync(previous, { recursive: true, force: true });
    if (fs.existsSync(this.target)) fs.renameSync(this.target, previous);
    fs.renameSync(this.staging, this.target);
    fs.rmSync(previous, { recursive: true, force: true });
    this.open = false;
  }

  /** Drops the staged tree; the target is left as it was. */
  abort(): void {
    fs.rmSync(this.staging, { recursive: true, force: true });
    this.open = false;
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
