import * as fs from 'fs';
import { type Document, isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument, visit } from 'yaml';
import { type Problem, Problems } from './errors';
import { FileError, fileErrorOf } from './file-errors';

/** The largest YAML file read: far above any region's overrides, far below what exhausts memory. */
export const YAML_FILE_MAX_BYTES = 1024 * 1024;
/** How far aliases may expand (the `yaml` package's `maxAliasCount`): stops "billion laughs" files. */
export const YAML_MAX_ALIAS_COUNT = 100;

/** Where the data of each file read came from, to name `file:line:column` in later errors. */
const sources = new WeakMap<object, YamlSource>();

interface YamlSource {
  readonly file: string;
  readonly document: Document;
  readonly lines: LineCounter;
}

/**
 * Reads one YAML document (a region's overrides, say) as plain data. Syntax errors, duplicate
 * keys, tags (`!Ref`, `!!binary`: plain data has none), keys that are not plain values, aliases
 * that expand too far and files over `YAML_FILE_MAX_BYTES` are reported as problems naming
 * the file (with line and column where there is one); a missing file or a folder is a one-line
 * {@link FileError}. The data itself is validated by the same schema as the TypeScript form
 * afterwards, and {@link locateYamlProblems} points those problems at the file's lines.
 */
export function readYamlFile(file: string): unknown {
  const text = readBounded(file);
  const lines = new LineCounter();
  const problems = new Problems();
  const at = (offset: number | undefined) => {
    if (offset === undefined) return file;
    const { line, col } = lines.linePos(offset);
    return `${file}:${line}:${col}`;
  };
  let document: Document;
  try {
    // resolveKnownTags: false leaves !!binary, !!timestamp, !!set ... unresolved, so they are reported too.
    document = parseDocument(text, { uniqueKeys: true, resolveKnownTags: false, lineCounter: lines, logLevel: 'error' });
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    problems.add(file, `cannot be parsed (${error.message}): the file is too deeply nested; flatten it`);
    problems.throwIfAny(`${file} is not valid YAML`);
    throw error;
  }
  for (const error of document.errors) {
    const pos = error.linePos?.[0];
    const where = pos ? `${file}:${pos.line}:${pos.col}` : file;
    const first = error.message.split('\n')[0];
    problems.add(where, /Maximum call stack/.test(first) ? 'nested too deeply to parse; flatten the file' : first);
  }
  for (const warning of document.warnings) {
    const pos = warning.linePos?.[0];
    const where = pos ? `${file}:${pos.line}:${pos.col}` : file;
    const tag = /Unresolved tag: (\S+)/.exec(warning.message)?.[1];
    if (warning.code === 'TAG_RESOLVE_FAILED' && tag) {
      const shown = tag.replace(/^tag:yaml\.org,2002:/, '!!');
      problems.add(where, `unknown tag ${shown}: overrides are plain data (maps, lists, strings, numbers, booleans, null); write the value without the tag`);
    } else problems.add(where, warning.message.split('\n')[0]);
  }
  if (problems.empty) {
    visit(document, {
      Pair(_key, pair) {
        if (isPair(pair) && pair.key !== null && !isScalar(pair.key)) {
          const range = (pair.key as Node).range;
          problems.add(at(range?.[0]), 'a key must be a plain value (a name), not a map or a list; write the key as a string');
        }
      },
    });
  }
  problems.throwIfAny(`${file} is not valid YAML`);
  let data: unknown;
  try {
    data = document.toJS({ maxAliasCount: YAML_MAX_ALIAS_COUNT }) ?? {};
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    problems.add(
      file,
      `its aliases (*name) expand to too much data (more than ${YAML_MAX_ALIAS_COUNT} alias uses, weighted by what each one holds): refused as a resource exhaustion attack; write the values out or use fewer aliases`,
    );
    problems.throwIfAny(`${file} is not valid YAML`);
  }
  if (typeof data === 'object' && data !== null) sources.set(data, { file, document, lines });
  return data;
}

/** The file's text, refusing a folder and anything over the size limit (a device or a pipe too) without reading it all. */
function readBounded(file: string): string {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (error) {
    throw fileErrorOf(error, 'read', file);
  }
  try {
    if (fs.fstatSync(fd).isDirectory()) throw new FileError(`cannot read ${file}: it is a folder, not a YAML file; name the file itself`, file, 'EISDIR');
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(64 * 1024);
      const read = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      chunks.push(chunk.subarray(0, read));
      total += read;
      if (total > YAML_FILE_MAX_BYTES)
        throw new FileError(
          `cannot read ${file}: it is larger than ${YAML_FILE_MAX_BYTES} bytes, the limit for a YAML file; split it or keep only what differs from the blueprint`,
          file,
        );
    }
    return Buffer.concat(chunks).toString('utf8');
  } catch (error) {
    throw fileErrorOf(error, 'read', file);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The problems with a location (`file:line:column`) added to those under `root` (a spec path such
 * as `regions.xiangtan`) when `data` was read by {@link readYamlFile}: the node at the problem's
 * spec path, or its nearest parent in the file when the key is missing there. Others as they are.
 */
export function locateYamlProblems(problems: readonly Problem[], data: unknown, root: string): Problem[] {
  const source = typeof data === 'object' && data !== null ? sources.get(data) : undefined;
  if (!source) return [...problems];
  return problems.map((problem) => {
    if (problem.location) return problem;
    const rest =
      problem.path === root ? '' : problem.path.startsWith(`${root}.`) || problem.path.startsWith(`${root}[`) ? problem.path.slice(root.length) : undefined;
    if (rest === undefined) return problem;
    const { line, col } = source.lines.linePos(offsetOf(source.document.contents, rest));
    return { ...problem, location: `${source.file}:${line}:${col}` };
  });
}

/**
 * Where the node at `rest` (`.a.b`, `[2]`, `.services.citizen-app` for a named list item) starts
 * in the text, or its nearest parent's. A map entry is found by its key, which may hold dots
 * (`app.kubernetes.io/name`): the longest key that fits wins.
 */
function offsetOf(root: unknown, rest: string): number {
  let node = root;
  let offset = nodeStart(root) ?? 0;
  while (rest.length > 0) {
    let next: { node: unknown; offset: number | undefined; rest: string } | undefined;
    const index = /^\[(\d+)\]/.exec(rest);
    if (index && isSeq(node)) {
      const item = node.items[Number(index[1])];
      if (item !== undefined) next = { node: item, offset: nodeStart(item), rest: rest.slice(index[0].length) };
    } else if (rest.startsWith('.')) {
      const segment = rest.slice(1);
      const fits = (key: string) => segment === key || segment.startsWith(`${key}.`) || segment.startsWith(`${key}[`);
      if (isMap(node)) {
        const pairs = node.items.filter((pair) => isScalar(pair.key) && fits(String(pair.key.value)));
        const pair = pairs.sort((a, b) => String((b.key as { value: unknown }).value).length - String((a.key as { value: unknown }).value).length)[0];
        if (pair) {
          const key = String((pair.key as { value: unknown }).value);
          // A scalar value is pointed at itself; a block map or list at its key's line.
          const at = isScalar(pair.value) && pair.value.source !== '' && pair.value.range ? pair.value.range[0] : nodeStart(pair.key);
          next = { node: pair.value, offset: at, rest: segment.slice(key.length) };
        }
      } else if (isSeq(node)) {
        // A named list item: `services.citizen-app` is the item whose name is citizen-app.
        const items = node.items.filter((item) => isMap(item) && isScalar(item.get('name', true)) && fits(String(item.get('name'))));
        const item = items.sort(
          (a, b) => String((b as { get(k: string): unknown }).get('name')).length - String((a as { get(k: string): unknown }).get('name')).length,
        )[0];
        if (item) next = { node: item, offset: nodeStart(item), rest: segment.slice(String((item as { get(k: string): unknown }).get('name')).length) };
      }
    }
    if (!next) break;
    node = next.node;
    if (next.offset !== undefined) offset = next.offset;
    rest = next.rest;
  }
  return offset;
}

function nodeStart(node: unknown): number | undefined {
  return (node as Node | null)?.range?.[0];
}
