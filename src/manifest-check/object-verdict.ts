// One verdict per object, the same in test, fix and impact. An object the constraints left out
// (its namespace is in excludedNamespaces, its labels miss labelSelector) is "excluded" with the
// reason, never "ok": nothing judged it. Objects of kinds no constraint covers are not excluded,
// only not matched (a ConfigMap under a Pod rule): "not checked", with the reason
// (notCheckedReason). "rejected": the API server would refuse the object before any admission
// webhook saw it. "undecided": Gatekeeper's webhook would not answer in time (core/webhook-budget.ts),
// so the AKS add-on, which fails open, admits the object whatever the templates would have said:
// an error, never a pass and never a deny.
import type { Exclusion, ObjectReview, Policy } from "../rego/evaluate.js";
import { groupVersionKind, type KubeObject } from "../rego/kubernetes-object.js";

export type Verdict = "violations" | "excluded" | "ok" | "not checked" | "rejected" | "undecided";

export function verdictOf(review: ObjectReview): Verdict {
  if (review.undecided !== undefined) return "undecided";
  if (review.violations.length) return "violations";
  if (review.excluded.length) return "excluded";
  // `matched` is counted by reviewObjectsWithExclusions; a review built without it says nothing
  return review.matched === 0 ? "not checked" : "ok";
}

// Gatekeeper's own objects are policy, not workloads: its webhook does not judge them
// against constraints, and a template is tested with its suite.
const GATEKEEPER_GROUP = /(^|\.)gatekeeper\.sh$/;

/** Why no constraint judged an object of this kind. */
export function notCheckedReason(obj: KubeObject, policies: readonly Policy[]): string {
  const { group, kind } = groupVersionKind(obj);
  const kindName = `${group ? `${group}/` : ""}${kind || "<no kind>"}`;
  if (group === "templates.gatekeeper.sh" && kind === "ConstraintTemplate") {
    return "a ConstraintTemplate is policy, not a workload: no definition reviews it; test a template with its gator suite (azpol test <suite.yaml>)";
  }
  if (GATEKEEPER_GROUP.test(group)) return `${kindName} is a Gatekeeper policy object, not a workload: no definition reviews it`;
  if (policies.length === 0) return "no validating definition is enabled (none, or every effect is Disabled)";
  const kinds = [...new Set(policies.flatMap((p) => (p.constraint.match?.kinds ?? []).flatMap((k) => k.kinds ?? [])))];
  return `no definition checks ${kindName} (their kinds: ${kinds.join(", ") || "none"})`;
}

/** An object's verdict and, for one that was not judged ("not checked", "undecided"), why. */
export interface ObjectJudgement {
  verdict: Verdict;
  reason?: string;
}

/**
 * The one place an object's review becomes its verdict and reason, for every command that judges
 * objects (test's manifests, impact's stdin, -k and cluster). "rejected" is decided before any
 * review (strict validation) by the caller.
 */
export function judgeObject(obj: KubeObject, review: ObjectReview, policies: readonly Policy[]): ObjectJudgement {
  const verdict = verdictOf(review);
  if (verdict === "undecided") {
    // what the templates said does not reach the cluster: neither their denies nor a pass are verdicts
    const said = review.violations.filter((v) => v.notEvaluated === undefined).length;
    return { verdict, reason: `${review.undecided ?? ""}${said ? ` (the templates' ${said} violation(s) would come too late to deny it)` : ""}` };
  }
  if (verdict === "not checked") return { verdict, reason: notCheckedReason(obj, policies) };
  return { verdict };
}

/** "namespace kube-system is in excludedNamespaces", once per distinct reason. */
export function exclusionReason(excluded: Exclusion[]): string {
  return [...new Set(excluded.map((e) => e.reason))].join("; ");
}

/** The word shown for an object: "ok", or "excluded (why)". */
export function verdictLabel(review: ObjectReview): string {
  const verdict = verdictOf(review);
  return verdict === "excluded" ? `excluded (${exclusionReason(review.excluded)})` : verdict;
}

/** How to see what was excluded judged anyway; said once per run that excluded something. */
export function exclusionHint(excludedObjects: number, reasons: string[], noun = "object(s)"): string | undefined {
  if (excludedObjects === 0) return undefined;
  const byNamespace = reasons.some((r) => /namespace/i.test(r));
  const how = byNamespace
    ? "to check them anyway, pass --param excludedNamespaces= (an empty list; the AKS add-on itself never evaluates kube-system and gatekeeper-system, but their images still have to move)"
    : "to check them anyway, pass the --param values (labelSelector, namespaces) of an assignment that includes them";
  return `${excludedObjects} ${noun} excluded by the assignment's match (${[...new Set(reasons)].slice(0, 3).join("; ")}${new Set(reasons).size > 3 ? "; ..." : ""}): ${how}`;
}
