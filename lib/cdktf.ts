/**
 * The only module that imports `cdktf`. cdktf 0.21 is final (archived upstream); moving to a
 * maintained fork such as `cdktn` is a change to this file alone.
 */
import { TerraformElement, TerraformStack as CdktfStack } from 'cdktf';
import type { IConstruct } from 'constructs';
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

export { App as TerraformApp, Lazy, Token, TerraformVariable, TerraformBackend, TerraformRemoteState, LocalBackend, S3Backend } from 'cdktf';
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

/** The fields of cdktf's token classes that hold a construct: a reference's stack, a dependency's target. */
interface HeldToken {
  readonly originStack?: IConstruct;
  readonly dependable?: IConstruct;
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
    const construct = token.originStack ?? token.dependable;
    return construct?.node?.root === this.app;
  }
}

function tokenMaps(): Array<Map<unknown, unknown>> {
  const shared = TokenMap.instance() as unknown as { stringTokenMap: Map<unknown, unknown>; numberTokenMap: Map<unknown, unknown> };
  return [shared.stringTokenMap, shared.numberTokenMap];
}

// What an escape hatch needs to tell an element's kind and a reference from a literal.
export { TerraformProvider, TerraformDataSource, TerraformResource, Tokenization } from 'cdktf';
