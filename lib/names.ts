/** Kubernetes name rules (DNS-1123), used for every name that becomes a namespace, object or stack name. */

import { createHash } from 'crypto';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Undefined when `name` is a valid DNS-1123 label, else the reason. */
export function dns1123LabelProblem(name: string): string | undefined {
  if (name.length > 63) return `must be at most 63 characters (has ${name.length})`;
  if (!DNS1123_LABEL.test(name)) return 'must be a DNS-1123 label: lower-case letters, digits and "-", starting and ending with a letter or digit';
  return undefined;
}

/** Undefined when `name` is a valid DNS-1123 subdomain, else the reason. */
export function dns1123SubdomainProblem(name: string): string | undefined {
  if (name.length > 253) return `must be at most 253 characters (has ${name.length})`;
  if (!DNS1123_SUBDOMAIN.test(name)) return 'must be a DNS-1123 subdomain: lower-case letters, digits, "-" and "."';
  return undefined;
}

/** A best-effort DNS-1123 label for a suggestion in an error message ("Tax_Bureau" -> "tax-bureau"). */
export function toDns1123Label(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .slice(0, 63)
      .replace(/^-+|-+$/g, '') || 'x'
  );
}

/**
 * `name` (of DNS-1123 label characters) when it fits a label's 63 characters, else its start and
 * 8 hex digits of its SHA-256: the same name always gives the same label, and two long names that
 * share a start stay apart.
 */
export function boundedLabel(name: string): string {
  if (name.length <= 63) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${name.slice(0, 63 - hash.length - 1).replace(/-+$/, '')}-${hash}`;
}
