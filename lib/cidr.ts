/** IPv4 CIDR blocks: parsing for spec validation and overlap checks between clusters. */

export interface Cidr {
  readonly text: string;
  /** First address as an unsigned 32-bit number. */
  readonly start: number;
  /** Last address as an unsigned 32-bit number. */
  readonly end: number;
}

const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** The parsed block, or a reason it is not a valid IPv4 CIDR with no host bits set. */
export function parseCidr(text: string): Cidr | string {
  const match = CIDR.exec(text);
  if (!match) return 'must be an IPv4 CIDR such as "10.42.0.0/16"';
  // Go's net.ParseCIDR (Kubernetes, Terraform providers) refuses leading zeros: "020" could be octal.
  const zeros = match.slice(1, 6).find((part) => part.length > 1 && part.startsWith('0'));
  if (zeros !== undefined) return `has "${zeros}" with a leading zero, which Go's parser refuses; write "${Number(zeros)}"`;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return 'must be an IPv4 CIDR: octets 0-255, prefix 0-32';
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  const start = Math.floor(address / size) * size;
  if (start !== address) {
    const fixed = [24, 16, 8, 0].map((shift) => Math.floor(start / 2 ** shift) % 256).join('.');
    return `has host bits set; did you mean "${fixed}/${prefix}"?`;
  }
  return { text, start, end: start + size - 1 };
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return a.start <= b.end && b.start <= a.end;
}
