// Evaluates probe objects against one definition's constraint on the engine, the way
// `azpol test` does (match, template, expansion when match.source says so), but with the
// assignment's scope (namespaces, excludedNamespaces, labelSelector) lifted: a probe asks
// what the template and the definition's kinds can see, not which namespaces are in scope.
import type { Constraint } from "../rego/constraint.js";
import { reviewObjectsWithExclusions, type Policy, type Violation } from "../rego/evaluate.js";
import type { TemplateCache } from "../rego/template-cache.js";
import type { KubeObject } from "../rego/kubernetes-object.js";

export function unscoped(constraint: Constraint, source?: string): Constraint {
  const { kinds, scope } = constraint.match ?? {};
  const wanted = source ?? constraint.match?.source;
  return { ...constraint, match: { ...(kinds ? { kinds } : {}), ...(scope ? { scope } : {}), ...(wanted ? { source: wanted } : {}) } };
}

/** The violations each object gets; a match error or evaluation error counts as a violation (it denies). */
export async function judge(cache: TemplateCache, policy: Policy, objects: KubeObject[], source?: string): Promise<Violation[][]> {
  const probe: Policy = { template: policy.template, constraint: unscoped(policy.constraint, source) };
  const reviews = await reviewObjectsWithExclusions(cache, [probe], objects, { namespaces: new Map() });
  return reviews.map((r) => r.violations);
}

export async function denied(cache: TemplateCache, policy: Policy, objects: KubeObject[], source?: string): Promise<boolean[]> {
  return (await judge(cache, policy, objects, source)).map((v) => v.length > 0);
}

/**
 * What the cluster would do with each object: "undecided" when an evaluation was not finished
 * (stopped at the step bound, or it called external data), which Gatekeeper's webhook answers by
 * timing out and the add-on by admitting the object. Where that matters (attacks, reach), an
 * unfinished evaluation is neither a deny nor an allow.
 */
export type Decision = "denied" | "allowed" | "undecided";

export async function decide(cache: TemplateCache, policy: Policy, objects: KubeObject[], source?: string): Promise<Decision[]> {
  const probe: Policy = { template: policy.template, constraint: unscoped(policy.constraint, source) };
  const reviews = await reviewObjectsWithExclusions(cache, [probe], objects, { namespaces: new Map() });
  return reviews.map((r) => (r.undecided !== undefined || r.violations.some((v) => v.notEvaluated !== undefined) ? "undecided" : r.violations.length ? "denied" : "allowed"));
}
