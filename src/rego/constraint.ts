// A Gatekeeper constraint: from a constraint YAML (suites), or derived from an Azure policy
// the way the add-on does it (details.values → spec.parameters, apiGroups × kinds → one
// match.kinds entry, Audit → dryrun, Deny → deny; azure-policy-k8s-format.md §5.3).
import { asRecord } from "../core/constraint-template.js";
import { ArmEvaluationError, evaluateArmValue, lookupParameter } from "../core/arm-expression/evaluate.js";
import type { PolicyModel } from "../core/policy-model.js";
import { AzpolError } from "../errors.js";
import type { ConstraintMatch } from "./match.js";

export interface Constraint {
  kind: string;
  name: string;
  match: ConstraintMatch | undefined;
  parameters: Record<string, unknown>;
  enforcementAction: string;
}

export function readConstraint(data: unknown): Constraint | string {
  const obj = asRecord(data);
  if (!obj) return "the constraint is not a YAML object";
  if (typeof obj.apiVersion !== "string" || !obj.apiVersion.startsWith("constraints.gatekeeper.sh/")) {
    return `apiVersion ${JSON.stringify(obj.apiVersion)} is not constraints.gatekeeper.sh/*`;
  }
  const name = asRecord(obj.metadata)?.name;
  if (typeof obj.kind !== "string" || typeof name !== "string") return "a constraint needs kind and metadata.name";
  const spec = asRecord(obj.spec) ?? {};
  return {
    kind: obj.kind,
    name,
    match: asRecord(spec.match) as ConstraintMatch | undefined,
    parameters: asRecord(spec.parameters) ?? {},
    enforcementAction: typeof spec.enforcementAction === "string" ? spec.enforcementAction : "deny",
  };
}

/**
 * Evaluates the ARM expressions in a details value ("[parameters('x')]", "[parameters('x').ranges]",
 * nested objects and arrays of them) as Azure does before the add-on sees it: assignment values,
 * falling back to defaults. An expression Azure would fail on is an error, never a literal string.
 */
export function resolveParameter(model: PolicyModel, value: unknown, assigned: Record<string, unknown>): unknown {
  try {
    return evaluateArmValue(value, (name) => {
      const given = lookupParameter(assigned, name);
      if (given) return given;
      const declared = lookupParameter(model.parameters, name);
      return declared ? { value: declared.value?.defaultValue } : { declared: false };
    });
  } catch (e) {
    if (e instanceof ArmEvaluationError) throw new AzpolError("InvalidExpression", `definition ${model.name}: ${JSON.stringify(value)}: ${e.message}`);
    throw e;
  }
}

/** The constraint the Azure Policy add-on would install for this definition, or undefined when the effect is Disabled. */
export function constraintFromPolicy(model: PolicyModel, assigned: Record<string, unknown> = {}): Constraint | undefined {
  const effect = String(resolveParameter(model, "[parameters('effect')]", assigned));
  if (effect.toLowerCase() === "disabled") return undefined;
  const parameters = Object.fromEntries(Object.entries(model.values).map(([k, v]) => [k, resolveParameter(model, v, assigned)]));
  // apiGroups/kinds: a list (whose entries may be "[parameters('kind')]", as BlockResource has), or one parameter
  const list = (v: string[] | string): string[] => {
    const resolved = Array.isArray(v) ? v.map((entry) => resolveParameter(model, entry, assigned)) : resolveParameter(model, v, assigned);
    return Array.isArray(resolved) ? resolved.map(String) : [];
  };
  const match: ConstraintMatch = {
    kinds: [{ apiGroups: list(model.apiGroups), kinds: list(model.kinds) }],
    excludedNamespaces: resolveParameter(model, "[parameters('excludedNamespaces')]", assigned) as string[],
    namespaces: resolveParameter(model, "[parameters('namespaces')]", assigned) as string[],
  };
  const selector = resolveParameter(model, "[parameters('labelSelector')]", assigned) as Record<string, unknown> | undefined;
  if (selector && Object.keys(selector).length > 0) match.labelSelector = selector;
  // details.source becomes match.source (Gatekeeper's default, when absent, is All; the add-on
  // sets Original unless the definition passes source)
  if (model.detailsParameters.includes("source")) match.source = String(resolveParameter(model, "[parameters('source')]", assigned));
  return {
    kind: model.template.kind,
    name: `azurepolicy-${model.name}`,
    match,
    parameters,
    enforcementAction: effect.toLowerCase() === "audit" ? "dryrun" : "deny",
  };
}
