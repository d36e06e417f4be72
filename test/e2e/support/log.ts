/** Progress lines of the suite, on stdout so they show between jest's test results. */
export function log(message: string): void {
  process.stdout.write(`[e2e] ${message}\n`);
}
