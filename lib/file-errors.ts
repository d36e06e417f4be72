/**
 * File-system failures worded for the user: one line naming the path, what went wrong and what to
 * do, never a stack trace. A refused output root is one too.
 */
export class FileError extends Error {
  constructor(
    message: string,
    /** The path the failure is about. */
    readonly path: string,
    /** The errno code (`EACCES` ...) when the failure came from the file system. */
    readonly code?: string,
  ) {
    super(message);
    this.name = 'FileError';
  }
}

/** A Node.js file-system error: it carries an errno code such as `EACCES` (not `instanceof Error` across realms, as under jest). */
export function isFileSystemError(error: unknown): error is NodeJS.ErrnoException & { code: string } {
  const code = typeof error === 'object' && error !== null ? (error as NodeJS.ErrnoException).code : undefined;
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) && typeof (error as NodeJS.ErrnoException).message === 'string';
}

/** What an errno code means and what to do about it. */
const CODES: Record<string, { what: string; fix: string }> = {
  EACCES: { what: 'permission denied', fix: 'check the permissions of the path and of its folder, or choose another path' },
  EPERM: { what: 'operation not permitted', fix: 'check the permissions and ownership of the path, or choose another path' },
  EEXIST: { what: 'it already exists', fix: 'remove it yourself or choose another path' },
  ENAMETOOLONG: { what: 'the name is too long', fix: 'choose a shorter path' },
  EBUSY: { what: 'it is busy or a mount point', fix: 'close what holds it (a shell or editor in that folder, a mount) and run again, or choose another path' },
  ENOTDIR: { what: 'a part of the path is a file, not a folder', fix: 'fix the path' },
  EISDIR: { what: 'it is a folder, not a file', fix: 'name the file itself' },
  ENOSPC: { what: 'no space left on the device', fix: 'free some disk space and run again' },
  EROFS: { what: 'the file system is read-only', fix: 'choose a path on a writable file system' },
  ENOENT: { what: 'no such file or folder', fix: 'check the path' },
  ENOTEMPTY: { what: 'the folder is not empty', fix: 'remove it yourself or choose another path' },
  ELOOP: { what: 'too many symbolic links', fix: 'fix the path' },
  EMFILE: { what: 'too many open files', fix: 'raise the limit (ulimit -n) and run again' },
  ENFILE: { what: 'too many open files in the system', fix: 'close some programs and run again' },
  EXDEV: { what: 'it is on another file system', fix: 'choose a path on the same file system as its folder' },
};

/** What a syscall was doing, for "cannot <verb> <path>". */
const VERBS: Record<string, string> = {
  open: 'open',
  read: 'read',
  write: 'write',
  mkdir: 'create the folder',
  mkdtemp: 'create a temporary folder in',
  rename: 'move',
  rm: 'delete',
  rmdir: 'delete the folder',
  unlink: 'delete',
  scandir: 'read the folder',
  opendir: 'read the folder',
  stat: 'read',
  lstat: 'read',
  copyfile: 'copy',
  cp: 'copy',
};

/**
 * The one-line message for a file-system error: `cannot <verb> <path>: <what> (<CODE>); <fix>`.
 * `action` and `file` override what the error says (a rename names both paths, say).
 */
export function describeFileSystemError(error: NodeJS.ErrnoException & { code: string }, action?: string, file?: string): string {
  const known = CODES[error.code];
  const where = file ?? error.path ?? '';
  const verb = action ?? VERBS[error.syscall ?? ''] ?? error.syscall ?? 'use';
  // Node's own message starts with the code; its first clause is the description.
  const what = known?.what ?? error.message.replace(/^E[A-Z0-9]+: /, '').split(',')[0];
  const fix = known?.fix ?? 'check the path and run again';
  return `cannot ${verb} ${where}: ${what} (${error.code}); ${fix}`;
}

/** A FileError for a file-system error, or the error itself when it is something else (a bug). */
export function fileErrorOf(error: unknown, action?: string, file?: string): unknown {
  if (error instanceof FileError || !isFileSystemError(error)) return error;
  return new FileError(describeFileSystemError(error, action, file), file ?? error.path ?? '', error.code);
}
