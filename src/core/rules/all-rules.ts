// The semantic rules, run after the schema check, in this order.
import { armExpressionsRule } from "./arm-expressions.js";
import { azureLimitsRule } from "./azure-limits.js";
import { deceptiveTextRule } from "./deceptive-text.js";
import { effectRule } from "./effect.js";
import { labelSelectorRule } from "./label-selector.js";
import { matchKindsRule } from "./match-kinds.js";
import { namespacesRule } from "./namespaces.js";
import { parameterDefaultsRule } from "./parameter-defaults.js";
import { parameterReferencesRule } from "./parameter-references.js";
import { registriesRule, replacementsRule } from "./registries.js";
import type { Rule } from "./rule-context.js";
import { constraintTemplateChecksRule } from "./constraint-template-checks.js";
import { constraintTemplateValuesRule } from "./constraint-template-values.js";

export const ALL_RULES: readonly Rule[] = [
  azureLimitsRule,
  deceptiveTextRule,
  effectRule,
  namespacesRule,
  labelSelectorRule,
  parameterDefaultsRule,
  registriesRule,
  replacementsRule,
  matchKindsRule,
  constraintTemplateChecksRule,
  constraintTemplateValuesRule,
  parameterReferencesRule,
  armExpressionsRule,
];
