import type { Rule } from './compliance-rule';
import { PLATFORM_RULES } from './rules/platform-rules';
import { WORKLOAD_RULES } from './rules/workload-rules';

/** The government security rule pack: every rule synth runs, in id order. */
export const RULES: readonly Rule[] = [...WORKLOAD_RULES, ...PLATFORM_RULES].sort((a, b) => a.id.localeCompare(b.id));

export function ruleById(id: string): Rule | undefined {
  return RULES.find((rule) => rule.id === id);
}
