/**
 * Graphviz pictures for synth reports: a small DOT builder and its synchronous rendering to SVG
 * (Graphviz compiled to WebAssembly by Emscripten, `@aduh95/viz.js`; no system binary). Every id and every piece of text passes
 * through the escaping here, so names from a spec (quotes, backslashes, "<", newlines, Chinese
 * text) can never change the graph's structure. No domain knowledge. Same graph, same bytes.
 */

import * as fs from 'fs';
import * as path from 'path';
import * as vm from 'vm';

/**
 * A record label (`shape=record`): fields stacked top to bottom (whatever the graph's `rankdir`),
 * each a few left-aligned lines, escaped line by line. (Graphviz's HTML-like labels need expat,
 * which this build lacks: it ignores them.)
 */
export interface RecordLabel {
  readonly kind: 'record';
  readonly fields: readonly (readonly string[])[];
}

/** An attribute value: text (escaped), a number, a boolean, or a record label (for `label` only). */
export type DotValue = string | number | boolean | RecordLabel;
export type DotAttributes = Readonly<Record<string, DotValue | undefined>>;

export interface DotNode {
  readonly kind: 'node';
  readonly id: string;
  readonly attributes: DotAttributes;
}

export interface DotEdge {
  readonly kind: 'edge';
  readonly from: string;
  readonly to: string;
  readonly attributes: DotAttributes;
}

/** A subgraph; a cluster is drawn as a box around its items. */
export interface DotSubgraph {
  readonly kind: 'subgraph';
  readonly id: string;
  readonly cluster: boolean;
  readonly attributes: DotAttributes;
  readonly items: readonly DotItem[];
}

export type DotItem = DotNode | DotEdge | DotSubgraph;

export interface DotGraph {
  readonly id: string;
  /** Graph attributes, e.g. `rankdir`, `label`. */
  readonly attributes?: DotAttributes;
  /** Defaults of every node. */
  readonly node?: DotAttributes;
  /** Defaults of every edge. */
  readonly edge?: DotAttributes;
  readonly items: readonly DotItem[];
}

export const node = (id: string, attributes: DotAttributes = {}): DotNode => ({ kind: 'node', id, attributes });
export const edge = (from: string, to: string, attributes: DotAttributes = {}): DotEdge => ({ kind: 'edge', from, to, attributes });
export const cluster = (id: string, attributes: DotAttributes, items: readonly DotItem[]): DotSubgraph => ({
  kind: 'subgraph',
  id,
  cluster: true,
  attributes,
  items,
});
export const record = (fields: RecordLabel['fields']): RecordLabel => ({ kind: 'record', fields });

/** The graph as DOT source (a directed graph). */
export function toDot(graph: DotGraph): string {
  const lines = [`digraph ${quoteId(graph.id)} {`];
  const leftToRight = graph.attributes?.rankdir === 'LR' || graph.attributes?.rankdir === 'RL';
  const defaults = (what: string, attributes: DotAttributes | undefined, indent: string) => {
    const list = attributeList(attributes, leftToRight);
    if (list) lines.push(`${indent}${what} ${list};`);
  };
  defaults('graph', graph.attributes, '  ');
  defaults('node', graph.node, '  ');
  defaults('edge', graph.edge, '  ');
  const write = (items: readonly DotItem[], indent: string) => {
    for (const item of items) {
      switch (item.kind) {
        case 'node':
          lines.push(`${indent}${quoteId(item.id)}${spaced(attributeList(item.attributes, leftToRight))};`);
          break;
        case 'edge':
          lines.push(`${indent}${quoteId(item.from)} -> ${quoteId(item.to)}${spaced(attributeList(item.attributes, leftToRight))};`);
          break;
        case 'subgraph':
          // Graphviz draws a subgraph as a box only when its name starts with "cluster".
          lines.push(`${indent}subgraph ${quoteId(`${item.cluster ? 'cluster' : 'group'}:${item.id}`)} {`);
          defaults('graph', item.attributes, `${indent}  `);
          write(item.items, `${indent}  `);
          lines.push(`${indent}}`);
          break;
      }
    }
  };
  write(graph.items, '  ');
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

function spaced(list: string): string {
  return list ? ` ${list}` : '';
}

/** `[name=value, ...]` in name order, undefined values left out; empty when there are none. */
function attributeList(attributes: DotAttributes | undefined, leftToRight = false): string {
  const entries = Object.entries(attributes ?? {})
    .filter((e): e is [string, DotValue] => e[1] !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (entries.length === 0) return '';
  return `[${entries.map(([name, value]) => `${attributeName(name)}=${attributeValue(name, value, leftToRight)}`).join(', ')}]`;
}

function attributeName(name: string): string {
  // Attribute names come from code, never from a spec: anything else is a bug.
  if (!/^[a-z][a-z_]*$/.test(name)) throw new Error(`invalid DOT attribute name ${JSON.stringify(name)}`);
  return name;
}

function attributeValue(name: string, value: DotValue, leftToRight: boolean): string {
  if (typeof value === 'object') {
    if (name !== 'label') throw new Error(`a record is only for labels, not ${name}`);
    const fields = value.fields.map((lines) => lines.map((line) => `${escapeRecordText(line)}\\l`).join('')).join('|');
    // A record's top-level fields run across the rank direction: braces turn them when ranks run top to bottom.
    return leftToRight ? `"${fields}"` : `"{${fields}}"`;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`DOT attribute ${name} must be a finite number, got ${value}`);
    return String(value);
  }
  return quoteText(String(value));
}

/**
 * A DOT id, always quoted. Characters outside a small safe set are written as `_uXXXX` (and "_"
 * itself, so no two ids meet): an id never ends in a backslash that would escape its closing
 * quote, and it reads the same in every SVG `<title>`.
 */
export function quoteId(id: string): string {
  const encoded = Array.from(id, (ch) => (/^[A-Za-z0-9.\-/:]$/.test(ch) ? ch : `_u${ch.codePointAt(0)!.toString(16).padStart(4, '0')}`)).join('');
  return `"${encoded}"`;
}

/**
 * Text as a quoted DOT string, shown literally: backslashes doubled (so no `\N`, `\G` or `\l`
 * escape of Graphviz applies), quotes escaped, line breaks as `\n` (centred lines).
 */
export function quoteText(text: string): string {
  return `"${cleanText(text).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/**
 * Line breaks normalised to "\n", tabs to a space; control characters, non-characters and lone
 * surrogates removed or replaced: XML 1.0 forbids them, and Graphviz would copy them into the SVG.
 */
export function cleanText(text: string): string {
  return (
    text
      .replace(/\r\n?/g, '\n')
      .replace(/\t/g, ' ')
      // eslint-disable-next-line no-control-regex -- removing control characters is the point
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]/g, '')
      .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
  );
}

/**
 * One line of a record field: what the record parser reads as structure (braces, bars, angle
 * brackets) and what DOT and Graphviz read as escapes (quotes, backslashes) made literal; runs of
 * white space become one space, as the record parser would make them anyway.
 */
function escapeRecordText(line: string): string {
  return cleanText(line)
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\\{}|<>"]/g, (ch) => `\\${ch}`);
}

/** The font size of the pictures' text, in points. */
export const DEFAULT_FONT_SIZE = 11;

/**
 * The smallest width, in inches, of a node showing these lines: Graphviz measures a character it
 * has no metrics for (Chinese text, say) as a space, so a node of such text would be too narrow.
 * Undefined when every character is Latin-1, which Graphviz measures itself.
 */
export function minimumWidth(lines: readonly string[], fontSize = DEFAULT_FONT_SIZE): number | undefined {
  // eslint-disable-next-line no-control-regex -- the Latin-1 range, which starts at U+0000
  if (!lines.some((line) => /[^\u0000-\u00ff]/.test(line))) return undefined;
  return Math.ceil(((textWidth(lines.join('\n'), fontSize) + 16) / 72) * 100) / 100;
}

/** The widest line's width in points: a wide (East Asian) character takes an em, any other about 0.55. */
export function textWidth(text: string, fontSize = DEFAULT_FONT_SIZE): number {
  return Math.max(
    0,
    ...cleanText(text)
      .split('\n')
      .map((line) => Array.from(line).reduce((sum, ch) => sum + (isWide(ch.codePointAt(0)!) ? 1 : 0.55), 0) * fontSize),
  );
}

function isWide(code: number): boolean {
  return (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    code >= 0x20000
  );
}

/** The module's own process and console: see `startGraphviz`. */
interface GraphvizHost {
  readonly argv: readonly string[];
  readonly stdin: { readonly fd: number };
  exitCode: number | undefined;
  on(): GraphvizHost;
  exit(code: number): never;
}
/** The parts of the Emscripten module object a render uses. */
interface GraphvizModule {
  vizSetY_invert(invert: number): void;
  vizSetNop(nop: number): void;
  vizRenderFromString(source: string, format: string, engine: string): string;
  vizLastErrorMessage(): string;
}
interface GraphvizModuleOptions {
  print(...args: unknown[]): void;
  printErr(...args: unknown[]): void;
  instantiateWasm(imports: object, receive: (instance: WasmInstance) => void): object;
}
/** The two WebAssembly constructors used (the compiler's libraries here have no WebAssembly types). */
interface WasmInstance {
  readonly exports: object;
}
interface WasmApi {
  readonly Module: new (code: Uint8Array) => object;
  readonly Instance: new (module: object, imports: object) => WasmInstance;
  readonly Memory: new (descriptor: { initial: number }) => { readonly buffer: ArrayBuffer };
}
const wasmApi = (): WasmApi => (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
/** The Emscripten factory: builds the module synchronously when `instantiateWasm` answers synchronously. */
type GraphvizFactory = (options: GraphvizModuleOptions) => Promise<unknown>;
type FactoryWrapper = (
  require: NodeJS.Require,
  filename: string,
  dirname: string,
  process: GraphvizHost,
  console: Pick<Console, 'log' | 'warn' | 'error'>,
) => GraphvizFactory;

/**
 * The Emscripten factory of the package's WebAssembly build, cut out of its ES module (which
 * otherwise only runs it in a worker thread: asynchronous). The package is pinned to one version,
 * so the cut is made at two exact places; if they move, this says so rather than guess.
 */
const FACTORY_START = 'function(r){var n,t,a;r=r||{}';
const FACTORY_END = 'return $n(),r.ready}';

let compiled: { readonly wrapper: FactoryWrapper; readonly wasm: object; readonly filename: string } | undefined;

/** A started Graphviz, its linear memory, and that memory's bytes as they were once it had started. */
interface ReusableGraphviz {
  readonly graphviz: GraphvizModule;
  readonly memory: { readonly buffer: ArrayBuffer };
  /** The memory's size then, and its bytes other than zero (about 120 KB of its 16 MB), by offset. */
  readonly pristine: { readonly size: number; readonly runs: ReadonlyArray<readonly [number, Uint8Array]> };
  /** Where its print functions write: the messages of the render under way. */
  readonly sink: { messages: string[] };
}
let reusable: ReusableGraphviz | undefined;

/**
 * A Graphviz as it is right after it starts, for one render. Graphviz keeps state from one render
 * to the next (the same graph comes out with its clusters in one order, then the other), so a
 * render must not see what the one before it left. That state lives in the instance's linear
 * memory: one instance is kept, with a copy of its memory taken once it had started, and each
 * render begins by putting those bytes back (about 2 ms). A new instance per render
 * did the same, but each left 16 MB of memory outside the JavaScript heap for the garbage
 * collector, which answered with full collections: at 50 regions they cost more CPU than the
 * drawing, and their cost grew with the heap, so with the size of the fleet. An instance whose
 * memory has grown (a very large picture) or whose render failed is dropped; the next render
 * starts a new one.
 *
 * The WebAssembly code (0.9 MB) and its JavaScript glue are compiled once, on first use (a
 * program that never draws never pays for it). (The package's pure-JavaScript build draws the same
 * bytes about three times slower.) It runs with a process and a console of its own: its
 * Emscripten glue would install process-wide `uncaughtException` and `unhandledRejection`
 * handlers (a library must not change how its host process fails) and print Graphviz's warnings
 * to stderr; here they go to `messages`.
 */
function pristineGraphviz(messages: string[]): ReusableGraphviz {
  if (reusable) {
    const bytes = new Uint8Array(reusable.memory.buffer);
    if (bytes.length === reusable.pristine.size) {
      bytes.fill(0);
      for (const [offset, run] of reusable.pristine.runs) bytes.set(run, offset);
      reusable.sink.messages = messages;
      return reusable;
    }
    dropReusable();
  }
  const started = startGraphviz();
  reusable = { ...started, pristine: nonZeroRuns(new Uint8Array(started.memory.buffer)) };
  started.sink.messages = messages;
  return reusable;
}

/** The bytes of `bytes` other than zero, as runs (split where 64 or more zeros lie between). */
function nonZeroRuns(bytes: Uint8Array): ReusableGraphviz['pristine'] {
  const runs: Array<[number, Uint8Array]> = [];
  const GAP = 64;
  let at = bytes.findIndex((b) => b !== 0);
  while (at >= 0 && at < bytes.length) {
    let end = at;
    let zeros = 0;
    for (let i = at; i < bytes.length && zeros < GAP; i++) {
      if (bytes[i] === 0) zeros++;
      else {
        zeros = 0;
        end = i + 1;
      }
    }
    runs.push([at, bytes.slice(at, end)]);
    at = end;
    while (at < bytes.length && bytes[at] === 0) at++;
  }
  return { size: bytes.length, runs };
}

/** Empties the kept Graphviz: something keeps the Emscripten module object reachable, and with it the instance and its memory. */
function dropReusable(): void {
  if (!reusable) return;
  const { graphviz } = reusable;
  reusable = undefined;
  for (const key of Object.keys(graphviz)) delete (graphviz as unknown as Record<string, unknown>)[key];
}

function startGraphviz(): Omit<ReusableGraphviz, 'pristine'> {
  if (!compiled) {
    const filename = require.resolve('@aduh95/viz.js/worker');
    const source = fs.readFileSync(filename, 'utf8');
    const start = source.indexOf(FACTORY_START);
    const end = source.indexOf(FACTORY_END, start);
    if (start < 0 || end < 0) throw new Error(`${filename} is not the @aduh95/viz.js 3.7.0 this library was written for: cannot find its Emscripten factory`);
    const factory = source.slice(start, end + FACTORY_END.length);
    const script = new vm.Script(`(function (e, a, i, process, console) { return (${factory}); })`, { filename });
    const wasm = new (wasmApi().Module)(fs.readFileSync(require.resolve('@aduh95/viz.js/wasm')));
    compiled = { wrapper: script.runInThisContext() as FactoryWrapper, wasm, filename };
  }
  const sink = { messages: [] as string[] };
  const collect = (...args: unknown[]) => void sink.messages.push(args.map(String).join(' '));
  const host: GraphvizHost = {
    argv: ['node', 'graphviz'],
    stdin: { fd: 0 },
    exitCode: undefined,
    on: () => host,
    exit: (code: number) => {
      throw new Error(`Graphviz exited with code ${code}`);
    },
  };
  const { wrapper, wasm, filename } = compiled;
  let memory: { readonly buffer: ArrayBuffer } | undefined;
  const graphviz: GraphvizModuleOptions = {
    print: collect,
    printErr: collect,
    instantiateWasm: (imports, receive) => {
      const instance = new (wasmApi().Instance)(wasm, imports);
      memory = Object.values(instance.exports).find((value): value is { buffer: ArrayBuffer } => value instanceof wasmApi().Memory);
      receive(instance);
      return instance.exports;
    },
  };
  // The factory's promise settles in the same tick (the instance is made synchronously); a failed
  // start shows as the render's error below, not as an unhandled rejection of the host process.
  wrapper(require, filename, path.dirname(filename), host, { log: collect, warn: collect, error: collect })(graphviz).catch(() => undefined);
  if (!memory) throw new Error(`${filename} is not the @aduh95/viz.js 3.7.0 this library was written for: its WebAssembly exports no memory`);
  return { graphviz: graphviz as unknown as GraphvizModule, memory, sink };
}

/** What one render made: the SVG document and Graphviz's warnings. */
export interface Rendered {
  readonly svg: string;
  readonly warnings: readonly string[];
}

/**
 * DOT source to an SVG document, synchronously. The DOCTYPE (a reference to the W3C's DTD) and
 * Graphviz's comments (its version, each object's id) are removed: the file is self-contained
 * and carries no version stamp. Throws on a syntax error.
 */
export function renderDot(source: string): Rendered {
  const collected: string[] = [];
  let svg: string;
  try {
    const { graphviz } = pristineGraphviz(collected);
    graphviz.vizSetY_invert(0);
    graphviz.vizSetNop(0);
    svg = graphviz.vizRenderFromString(source, 'svg', 'dot');
    const error = graphviz.vizLastErrorMessage();
    if (error !== '') throw new Error(error);
  } catch (error) {
    // Whatever state a failed render left (its stack, its glue) is not taken into the next one.
    dropReusable();
    throw new Error(`Graphviz could not render the picture: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  svg = svg.replace(/<!DOCTYPE[^>]*>\n?/, '').replace(/<!--[\s\S]*?-->\n?/g, '');
  return { svg, warnings: collected.map((m) => m.trim()).filter(Boolean) };
}

/** A graph as an SVG document. */
export function renderSvg(graph: DotGraph): string {
  return renderDot(toDot(graph)).svg;
}
