/**
 * Terraform reads every string of a JSON configuration as a template: `${...}` interpolates an
 * expression and `%{...}` runs a directive. A display name `"Edu ${x}"` written as is would be an
 * expression, so every string is escaped (`$${`, `%%{`) before Terraform sees it.
 *
 * The escaping runs on what a Terraform element writes *before* cdktf resolves its tokens. At that
 * point the library's own references (a namespace's name, a variable's value) are still cdktf
 * token markers (`${TfToken[TOKEN.12]}`), which are left alone and become live expressions later,
 * while any other `${` or `%{` can only be text. A pass over the finished cdk.tf.json could not
 * tell the two apart: a label `${var.kube_token}` looks exactly like a reference there.
 */

/** `${` not opening a cdktf string token marker (cdktf/lib/tokens/private/encoding), and every `%{`. */
const TEMPLATE_SEQUENCE = /\$\{(?!TfToken\[)|%\{/g;

/** `Edu ${x}` -> `Edu $${x}`, `%{if}` -> `%%{if}`; cdktf token markers stay as they are. */
export function escapeTemplateSequences(text: string): string {
  if (!text.includes('{')) return text; // the common case: nothing to escape
  return text.replace(TEMPLATE_SEQUENCE, (sequence) => (sequence === '%{' ? '%%{' : '$${'));
}

/**
 * A copy of a Terraform element's JSON with every string (and object key, which HCL's JSON syntax
 * also reads as a template) escaped. Only plain objects and arrays are copied: anything else (a
 * cdktf IResolvable) is code, not text, and is resolved by cdktf as before.
 */
export function escapeTemplateLiterals(value: unknown): unknown {
  if (typeof value === 'string') return escapeTemplateSequences(value);
  if (Array.isArray(value)) return value.map(escapeTemplateLiterals);
  if (!isPlainObject(value)) return value;
  const escaped: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) escaped[escapeTemplateSequences(key)] = escapeTemplateLiterals(child);
  return escaped;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}
