// azpol explain AZPnnnn: what a diagnostic code means, from the rule catalogue.
import { UsageError } from "../errors.js";
import { RULE_CATALOGUE, ruleFor, type RuleEntry } from "../model/rule-catalogue.js";

export function explain(code: string): RuleEntry {
  const rule = ruleFor(code.trim());
  if (!rule) throw new UsageError(`${JSON.stringify(code)} is not an azpol diagnostic code; codes are AZP1001-${RULE_CATALOGUE[RULE_CATALOGUE.length - 1]?.code ?? ""} (azpol explain --list shows them all)`);
  return rule;
}

export function allRules(): readonly RuleEntry[] {
  return RULE_CATALOGUE;
}
