// One verdict per object, the same in test, fix and impact. An object the constraints left out
// (its namespace is in excludedNamespaces, its labels miss labelSelector) is "excluded" with the
// reason, never "ok": nothing judged it. Objects of kinds no constraint covers are not excluded,
// only not matched (a ConfigMap under a Pod rule).
import type { Exclusion, ObjectReview } from "../rego/evaluate.js";

export type Verdict = "violations" | "excluded" | "ok";

export function verdictOf(review: ObjectReview): Verdict {
  if (review.violations.length) return "violations";
  return review.excluded.length ? "excluded" : "ok";
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
