import { showValue } from './errors';

/** Edit distance (insert, delete, substitute, adjacent swap): small enough to inline, exact enough for typos. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[rows - 1][cols - 1];
}

/** Longest input or candidate compared: a typo of a spec key or name is never longer. */
const LONGEST_COMPARED = 256;

/**
 * The closest candidate to `input`, if it is close enough to be a typo
 * (at most a third of the input's length, and never more than 3 edits), else undefined.
 * Strings whose lengths differ by more than that are never compared, nor strings longer than 256
 * characters: a megabyte of unknown key answers at once instead of filling a megabyte-square table.
 */
export function didYouMean(input: string, candidates: readonly string[]): string | undefined {
  const limit = Math.min(3, Math.max(1, Math.floor(input.length / 3)));
  if (input.length > LONGEST_COMPARED) return undefined;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    // The edit distance is at least the difference in length: such a candidate cannot be within the limit.
    if (Math.abs(candidate.length - input.length) > limit) continue;
    const distance = editDistance(input.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

/** `no cluster named "gvo"; did you mean "gov"? Known: gov, burst` */
export function unknownNameMessage(kind: string, name: string, known: readonly string[]): string {
  const hint = didYouMean(name, known);
  return `no ${kind} named ${showValue(name)}${hint ? `; did you mean "${hint}"?` : ''} Known: ${known.join(', ') || 'none'}`;
}
