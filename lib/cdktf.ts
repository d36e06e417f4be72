/**
 * The only module that imports `cdktf`. cdktf 0.21 is final (archived upstream); moving to a
 * maintained fork such as `cdktn` is a change to this file alone.
 */
import { Lazy, TerraformElement, TerraformStack as CdktfStack, Token } from 'cdktf';
import type { IConstruct } from 'constructs';
import * as cdktfResolve from 'cdktf/lib/tokens/private/resolve';
import * as cdktfStackTrace from 'cdktf/lib/tokens/private/stack-trace';
import { TokenMap } from 'cdktf/lib/tokens/private/token-map';
import { escapeTemplateLiterals } from './terraform/template-literals';

/**
 * cdktf records a full stack trace (with `Error.stackTraceLimit` raised to unlimited) for every
 * token, lazy value and dynamic block it makes, only to print it should that token later fail to
 * resolve: a seventh of a fleet's synth time. Every cdktf module calls this one export at call
 * time, so replacing it here stops the capture; a token error still says what failed, and where
 * the trace would be it says why there is none.
 */
const NOT_RECORDED: string[] = ['(token creation stacks are not recorded: see govcloud-blueprint lib/cdktf.ts)'];
(cdktfStackTrace as { captureStackTrace: (below?: unknown) => string[] }).captureStackTrace = () => NOT_RECORDED;

type ResolveOptions = Parameters<typeof cdktfResolve.resolve>[1];
const resolveEverything = cdktfResolve.resolve;
/** Text that may hold a token: its markers (`${TfToken[`, `#{TfToken[`, `&{TfToken[`) or what cdktf reads as an encoded number. */
const MAY_HOLD_TOKEN = /TfToken\[|[-|\d|.+]+(e[-|\d|.|e|E|+]+)/;
const MAP_TOKEN_TEXTS = new Set<unknown>([Token.STRING_MAP_TOKEN_VALUE, Token.ANY_MAP_TOKEN_VALUE]);
/** cdktf's deepest path before it reports a circular reference. */
const MAX_DEPTH = 200;
const SKIP = Symbol('not plain');

/**
 * cdktf resolves every element's JSON three times per synth (prepare, element, stack), making two
 * closures and a path array for every string, number and key on the way: a fifth of a fleet's
 * synth time, on JSON that is mostly literal text. Its entry point is replaced here by a walk that
 * copies plain data (strings without token markers, ordinary numbers, plain objects and arrays)
 * as cdktf would (dropping `undefined`) and hands everything else (tokens, Lazy values, token
 * strings, encoded numbers, map and list tokens, Dates, anything with a class) to cdktf's own
 * resolve with the same path. Only the top-level call is replaced; cdktf's recursion is its own.
 */
function resolvePlainParts(obj: unknown, options: ResolveOptions): unknown {
  if (options.previousContext !== undefined) return resolveEverything(obj, options);
  const prefix = options.prefix ?? [];
  // The path of the part being copied, built into an array only for a part cdktf resolves itself.
  const trail: string[] = [];
  const resolveAt = (value: unknown, depth: number): unknown => {
    const plain = copyPlain(value, depth);
    return plain === SKIP ? resolveEverything(value, { ...options, prefix: [...prefix, ...trail.slice(0, depth)] }) : plain;
  };
  const copyPlain = (value: unknown, depth: number): unknown => {
    switch (typeof value) {
      case 'undefined':
      case 'boolean':
        return value;
      case 'string':
        return MAY_HOLD_TOKEN.test(value) || MAP_TOKEN_TEXTS.has(value) ? SKIP : value;
      case 'number':
        return Number.isFinite(value) && Math.abs(value) < 1e200 && value !== Token.NUMBER_MAP_TOKEN_VALUE ? value : SKIP;
      case 'object':
        break;
      case 'bigint':
      case 'symbol':
      case 'function':
        return SKIP;
    }
    if (value === null) return null;
    if (prefix.length + depth >= MAX_DEPTH) return SKIP;
    if (Array.isArray(value)) {
      if (Object.getPrototypeOf(value) !== Array.prototype) return SKIP;
      // A list holding a list token or an encoded number is resolved as a whole by cdktf.
      for (const item of value) if ((typeof item === 'string' || typeof item === 'number') && copyPlain(item, depth + 1) === SKIP) return SKIP;
      const list: unknown[] = [];
      for (let i = 0; i < value.length; i++) {
        trail[depth] = `${i}`;
        const item = resolveAt(value[i], depth + 1);
        if (item !== undefined) list.push(item);
      }
      return list;
    }
    const prototype: unknown = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) return SKIP;
    if (typeof (value as { resolve?: unknown }).resolve === 'function') return SKIP;
    const keys = Object.keys(value);
    for (const key of keys) if (copyPlain(key, depth + 1) === SKIP) return SKIP;
    const result: Record<string, unknown> = {};
    for (const key of keys) {
      trail[depth] = key;
      const item = resolveAt((value as Record<string, unknown>)[key], depth + 1);
      if (item !== undefined) result[key] = item;
    }
    return result;
  };
  return resolveAt(obj, 0);
}
(cdktfResolve as { resolve: typeof cdktfResolve.resolve }).resolve = resolvePlainParts as typeof cdktfResolve.resolve;

/** For tests: cdktf's own resolve, and the walk that stands in for it at the top. */
export { resolveEverything as cdktfOwnResolve, resolvePlainParts };

export {
  App as TerraformApp,
  DefaultTokenResolver,
  StringConcat,
  Tokenization,
  Lazy,
  Token,
  TerraformVariable,
  TerraformBackend,
  TerraformRemoteState,
  LocalBackend,
  S3Backend,
} from 'cdktf';
export type { DataTerraformRemoteStateConfig, ITerraformDependable } from 'cdktf';

/**
 * cdktf's stack, writing every string as literal text: a `${` or `%{` in a name, a label, a Helm
 * values text or an escape-hatch value reaches Terraform escaped (`$${`, `%%{`), while references
 * made in code (cdktf tokens) stay live expressions. See lib/terraform/template-literals.ts.
 */
export class TerraformStack extends CdktfStack {
  override toTerraform(): unknown {
    // Each element's JSON is escaped between its toTerraform() and cdktf's token resolution, the
    // one moment literal text and references are told apart; the elements are restored after.
    const elements = this.node.findAll().filter((c): c is TerraformElement => TerraformElement.isTerraformElement(c) && c.cdktfStack === this);
    for (const element of elements) {
      const original = element.toTerraform.bind(element);
      element.toTerraform = () => escapeTemplateLiterals(original());
    }
    try {
      return super.toTerraform() as unknown;
    } finally {
      // The own property shadowed the class's method: removing it restores the element.
      for (const element of elements) delete (element as { toTerraform?: unknown }).toTerraform;
    }
  }
}

/** The fields of cdktf's token classes that hold a construct: a reference's stack, a dependency's target, a lazy value's owner. */
interface HeldToken {
  readonly originStack?: IConstruct;
  readonly dependable?: IConstruct;
  readonly producer?: { readonly owner?: IConstruct };
}

/**
 * A lazy string that `AppTokens` counts as `owner`'s app's: its producer says whom it is for. A
 * plain `Lazy.stringValue` names no construct, so it would stay in cdktf's process-wide token map
 * after its synth, and with it whatever its producer holds (a whole app, for a producer that asks
 * the app a question at synth).
 */
export function ownedLazyString(owner: IConstruct, produce: () => string): string {
  return Lazy.stringValue({ produce, owner } as Parameters<typeof Lazy.stringValue>[0]);
}

/**
 * cdktf keeps every token in one process-wide map so a string can be resolved back to its token;
 * nothing ever leaves it, and a reference token holds its stack, so each app's whole tree stayed
 * alive after its synth. `release()` moves one app's tokens out of that map and into this object
 * (which its owner holds, so the tokens now live as long as the app does); `restore()` puts them
 * back before the app is synthesized again.
 */
export class AppTokens {
  private held: Array<[Map<unknown, unknown>, unknown, unknown]> = [];

  constructor(private readonly app: IConstruct) {}

  release(): void {
    for (const map of tokenMaps()) {
      for (const [key, token] of map) {
        if (!this.owns(token as HeldToken)) continue;
        this.held.push([map, key, token]);
        map.delete(key);
      }
    }
  }

  restore(): void {
    for (const [map, key, token] of this.held) map.set(key, token);
    this.held = [];
  }

  private owns(token: HeldToken): boolean {
    const construct = token.originStack ?? token.dependable ?? token.producer?.owner;
    return construct?.node?.root === this.app;
  }
}

function tokenMaps(): Array<Map<unknown, unknown>> {
  const shared = TokenMap.instance() as unknown as { stringTokenMap: Map<unknown, unknown>; numberTokenMap: Map<unknown, unknown> };
  return [shared.stringTokenMap, shared.numberTokenMap];
}

// What an escape hatch needs to tell an element's kind and a reference from a literal.
export { TerraformProvider, TerraformDataSource, TerraformResource } from 'cdktf';
