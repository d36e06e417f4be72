import { type IConstruct } from 'constructs';
import { type Problem } from './errors';

/**
 * Runs every `node.addValidation` check under each root and returns all failures as
 * `[construct path] message` problems, instead of stopping at the first failing stack.
 */
export function collectConstructProblems(roots: readonly IConstruct[]): Problem[] {
  const problems: Problem[] = [];
  for (const root of roots) {
    for (const construct of root.node.findAll()) {
      for (const message of construct.node.validate()) problems.push({ path: construct.node.path || '<root>', message });
    }
  }
  return problems;
}
