/** Tests that run in order, where later ones need earlier ones. */
export interface DependentSteps {
  /** Declares an `it` that, when a step it needs failed, says so instead of failing with a confusing follow-on error. */
  (name: string, needs: readonly string[], body: () => Promise<void>): void;
  /** Throws "not run" when one of `needs` failed: for tests declared otherwise (`it.each`). */
  require(needs: readonly string[]): void;
}

/** One per describe block: `const step = dependentSteps(); step('apply', [], ...); step('re-plan', ['apply'], ...)`. */
export function dependentSteps(): DependentSteps {
  const failedSteps = new Set<string>();
  const require = (needs: readonly string[]) => {
    const missing = needs.filter((n) => failedSteps.has(n));
    if (missing.length > 0) throw new Error(`not run: it needs "${missing.join('", "')}", which failed`);
  };
  const step = (name: string, needs: readonly string[], body: () => Promise<void>) =>
    it(name, async () => {
      require(needs);
      try {
        await body();
      } catch (error) {
        failedSteps.add(name);
        throw error;
      }
    });
  return Object.assign(step, { require });
}
