/**
 * Where a Terraform stack of this library holds a secret, by attribute path in cdk.tf.json.
 *
 * Read from the providers' own schemas (`terraform providers schema -json` with hashicorp/helm
 * and hashicorp/kubernetes): every attribute marked `sensitive` or `write_only` that a
 * configuration can set. The cdktf bindings carry no such mark. The providers' connection
 * credentials (`token`, `password`, `client_key`, a registry's `password`) are not marked in the
 * schemas but are secrets all the same, so they are listed too. A `*` step is any map key or
 * element name; lists (blocks written as arrays) are walked through at every step. A `set_wo`
 * entry's `name` and `type` are write-only only because their block is: they are the chart's key
 * and the value's type, not secrets. test/e2e/sensitive-attributes.e2e.ts checks this list against
 * the schemas of the providers the e2e suite installs.
 */
const SECRET_ATTRIBUTE_PATHS: readonly (readonly string[])[] = [
  ...['resource', 'data'].flatMap((kind) => [
    [kind, kind === 'resource' ? 'helm_release' : 'helm_template', '*', 'repository_password'],
    [kind, kind === 'resource' ? 'helm_release' : 'helm_template', '*', 'set_sensitive', 'value'],
    ...['kubernetes_secret', 'kubernetes_secret_v1'].flatMap((type) => ['data', 'binary_data'].map((attribute) => [kind, type, '*', attribute, '*'])),
  ]),
  ['resource', 'helm_release', '*', 'set_wo', 'value'],
  ...['kubernetes_secret', 'kubernetes_secret_v1'].flatMap((type) => ['data_wo', 'binary_data_wo'].map((attribute) => ['resource', type, '*', attribute, '*'])),
  ['resource', 'kubernetes_token_request_v1', '*', 'token'],
  ...['token', 'password', 'client_key'].flatMap((attribute) => [
    ['provider', 'kubernetes', attribute],
    ['provider', 'helm', 'kubernetes', attribute],
  ]),
  ['provider', 'helm', 'registries', 'password'],
];

/** Where in a stack's JSON an element's own attributes start: `resource.<type>.<name>`, `data.<type>.<name>`, `provider.<type>`. */
export type TerraformElementKind = 'resource' | 'data' | 'provider';

/** A value at a secret attribute path, with that path as written in cdk.tf.json (`set_sensitive[0].value`). */
export interface SecretValue {
  readonly path: string;
  readonly value: unknown;
}

/**
 * The secret values an override `{ path: value }` writes. `element` is where the override applies:
 * an element (its kind and Terraform type), or `undefined` for a whole stack (the path then starts
 * at `resource`, `data` or `provider`). A value that is no plain object or array (a string, a
 * number, a cdktf token) ends the walk and is reported whole.
 */
export function secretValuesOfOverride(element: { kind: TerraformElementKind; type: string } | undefined, path: string, value: unknown): SecretValue[] {
  const prefix = element === undefined ? [] : element.kind === 'provider' ? ['provider', element.type] : [element.kind, element.type, '*'];
  const steps = [...prefix, ...path.split('.')];
  const found: SecretValue[] = [];
  for (const pattern of SECRET_ATTRIBUTE_PATHS) {
    // The override path must follow the pattern as far as both go; the rest of the pattern is walked in the value.
    const shared = Math.min(steps.length, pattern.length);
    if (!steps.slice(0, shared).every((step, i) => pattern[i] === '*' || pattern[i] === step)) continue;
    if (steps.length > pattern.length) {
      found.push({ path, value }); // below a secret attribute: the whole value is part of the secret
      continue;
    }
    walk(value, pattern.slice(shared), path, found);
  }
  return dedupe(found);
}

/**
 * Whether an element's attribute, by its steps below the element (`['set_sensitive', 'value']`,
 * `['data', 'password']`; list indices left out), is a secret, lies below one, or is a block that
 * holds one: what a diff of two stacks must not print.
 */
export function isSecretAttribute(element: { kind: TerraformElementKind; type: string }, steps: readonly string[]): boolean {
  const prefix = element.kind === 'provider' ? ['provider', element.type] : [element.kind, element.type, '*'];
  const full = [...prefix, ...steps];
  return SECRET_ATTRIBUTE_PATHS.some((pattern) => {
    const shared = Math.min(full.length, pattern.length);
    return full.slice(0, shared).every((step, i) => pattern[i] === '*' || pattern[i] === step);
  });
}

/**
 * A copy of an override's value with every secret value replaced by `replacement`: what a report
 * may print. A value that is itself wholly secret comes back as `replacement`.
 */
export function withoutSecretValues(
  element: { kind: TerraformElementKind; type: string } | undefined,
  path: string,
  value: unknown,
  replacement: string,
): unknown {
  const secrets = new Set(secretValuesOfOverride(element, path, value).map((s) => s.value));
  if (secrets.size === 0) return value;
  const copy = (v: unknown): unknown => {
    if (secrets.has(v)) return replacement;
    if (Array.isArray(v)) return v.map(copy);
    if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, child]) => [k, copy(child)]));
    return v;
  };
  return copy(value);
}

function walk(value: unknown, rest: readonly string[], at: string, found: SecretValue[]): void {
  if (value === undefined || value === null) return;
  if (Array.isArray(value)) {
    value.forEach((item, i) => walk(item, rest, `${at}[${i}]`, found));
    return;
  }
  if (rest.length === 0 || !isPlainObject(value)) {
    found.push({ path: at, value });
    return;
  }
  const [step, ...below] = rest;
  for (const [key, child] of Object.entries(value)) {
    if (step === '*' || step === key) walk(child, below, `${at}.${key}`, found);
  }
}

function dedupe(found: SecretValue[]): SecretValue[] {
  const seen = new Set<string>();
  return found.filter((s) => !seen.has(s.path) && seen.add(s.path) !== undefined);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}
