/**
 * Kubernetes resource quantities ("500m", "2", "1.5Gi", "64Mi", "1e3"), parsed to plain numbers
 * (cores for CPU, bytes for memory) for validation and capacity arithmetic.
 */

const SUFFIX_MULTIPLIERS: Record<string, number> = {
  '': 1,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

// Same grammar as apimachinery's resource.Quantity: sign, digits with optional fraction, then a
// binary suffix, a decimal suffix or a decimal exponent.
const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;

/** The numeric value of a quantity, or undefined if it does not parse. */
export function parseQuantity(quantity: string | number): number | undefined {
  if (typeof quantity === 'number') return Number.isFinite(quantity) ? quantity : undefined;
  const match = QUANTITY.exec(quantity.trim() === quantity ? quantity : '');
  if (!match) return undefined;
  const [, sign, digits, suffix = ''] = match;
  const base = Number(digits) * (sign === '-' ? -1 : 1);
  // A bare "E" is the exa suffix; only "e"/"E" followed by digits is an exponent.
  if (/^[eE][+-]?\d+$/.test(suffix)) return base * 10 ** Number(suffix.slice(1));
  return base * SUFFIX_MULTIPLIERS[suffix];
}

export const QUANTITY_HELP = 'a Kubernetes quantity such as "500m", "2", "512Mi" or "8Gi"';

/** CPU cores as a Kubernetes quantity: whole cores as "2", fractions in millicores as "1500m". */
export function formatCores(cores: number): string {
  const m = Math.round(cores * 1000);
  return m % 1000 === 0 ? String(m / 1000) : `${m}m`;
}

/** Bytes as a Kubernetes quantity in the largest binary unit that holds them exactly: "3Gi", "1536Mi", "1000". */
export function formatBytes(bytes: number): string {
  const whole = Math.ceil(bytes);
  for (const [suffix, size] of [
    ['Ei', 2 ** 60],
    ['Pi', 2 ** 50],
    ['Ti', 2 ** 40],
    ['Gi', 2 ** 30],
    ['Mi', 2 ** 20],
    ['Ki', 2 ** 10],
  ] as const) {
    if (whole >= size && whole % size === 0) return `${whole / size}${suffix}`;
  }
  return String(whole);
}
