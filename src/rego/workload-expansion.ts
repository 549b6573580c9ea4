// What a definition with details.source All (or Generated) sees on AKS: besides the object
// itself, the Pods its workload would create, expanded by Gatekeeper's own expander (linked in
// the native engine) with ExpansionTemplates. Which ExpansionTemplates the AKS add-on installs
// is not published (azure-policy-k8s-2026.md: expansion "AKS only", add-on 1.7.0); azpol uses
// the workload template of Gatekeeper's documentation ("Validating Workload Resources using
// ExpansionTemplate": DaemonSet, Deployment, ReplicaSet, StatefulSet, ReplicationController,
// Job → Pod from spec.template) plus CronJob (spec.jobTemplate.spec.template), the same shape.
import type { Constraint } from "./constraint.js";
import type { ExpansionResultant } from "./engine-port.js";
import type { ObjectReview, Policy, ReviewOptions, Violation } from "./evaluate.js";
import type { TemplateCache } from "./template-cache.js";
import { groupVersionKind, type KubeObject } from "./kubernetes-object.js";

const expansion = (name: string, applyTo: { groups: string[]; kinds: string[] }[], templateSource: string) => ({
  apiVersion: "expansion.gatekeeper.sh/v1beta1",
  kind: "ExpansionTemplate",
  metadata: { name },
  spec: {
    applyTo: applyTo.map((a) => ({ ...a, versions: ["v1"] })),
    templateSource,
    generatedGVK: { kind: "Pod", group: "", version: "v1" },
  },
});

export const WORKLOAD_EXPANSIONS: readonly Record<string, unknown>[] = [
  expansion(
    "expand-workloads",
    [
      { groups: ["apps"], kinds: ["DaemonSet", "Deployment", "ReplicaSet", "StatefulSet"] },
      { groups: [""], kinds: ["ReplicationController"] },
      { groups: ["batch"], kinds: ["Job"] },
    ],
    "spec.template",
  ),
  expansion("expand-cronjobs", [{ groups: ["batch"], kinds: ["CronJob"] }], "spec.jobTemplate.spec.template"),
];

const EXPANDED = new Set(["apps/DaemonSet", "apps/Deployment", "apps/ReplicaSet", "apps/StatefulSet", "/ReplicationController", "batch/Job", "batch/CronJob"]);

/** Whether a workload expansion applies to this object (saves a round trip for everything else). */
export function isExpandedWorkload(obj: KubeObject): boolean {
  const { group, kind } = groupVersionKind(obj);
  return EXPANDED.has(`${group}/${kind}`);
}

/** Does this match.source ask Gatekeeper to review generated objects? */
export function reviewsGenerated(source: string | undefined): boolean {
  return source === "All" || source === "Generated";
}

export type Expand = (expansions: unknown[], object: unknown) => Promise<ExpansionResultant[] | { error: string }>;

/** The Pods a workload object expands to, or why it could not be expanded. */
export function expandWorkload(expand: Expand, obj: KubeObject): Promise<ExpansionResultant[] | { error: string }> {
  return expand([...WORKLOAD_EXPANSIONS], obj);
}

/** What expansion needs from evaluate.ts (passed in, so the two files do not import each other's code). */
export interface ExpansionDeps {
  cache: TemplateCache;
  review: (cache: TemplateCache, policies: Policy[], objects: KubeObject[], options: ReviewOptions) => Promise<ObjectReview[]>;
  violation: (constraint: Constraint, msg: string, details: unknown) => Violation;
}

/**
 * details.source All/Generated: the Pods each workload expands to are reviewed as Generated
 * objects, and what they violate is the workload's, "[Implied by <template>]" as gator and
 * Gatekeeper's webhook report it.
 */
export async function reviewExpanded(deps: ExpansionDeps, policies: Policy[], objects: KubeObject[], namespaces: ReadonlyMap<string, KubeObject>, results: ObjectReview[]): Promise<void> {
  const { cache, violation } = deps;
  const expanding = policies.filter((p) => reviewsGenerated(p.constraint.match?.source));
  if (expanding.length === 0) return;
  for (const [i, obj] of objects.entries()) {
    if (!isExpandedWorkload(obj)) continue;
    const parent = results[i];
    const target = parent?.violations;
    if (!parent || !target) continue;
    const resultants = await expandWorkload((e, o) => cache.engine.expand(e, o), obj);
    if ("error" in resultants) {
      for (const p of expanding) target.push(violation(p.constraint, `not checked: expanding ${obj.kind ?? "the object"} into the Pods it creates failed (${resultants.error})`, {}));
      continue;
    }
    for (const r of resultants) {
      const review = (await deps.review(cache, expanding, [r.object], { namespaces, generated: true }))[0];
      // Gatekeeper's webhook reviews the resultants in the workload's own request: their cost is the workload's
      parent.costs = [...(parent.costs ?? []), ...(review?.costs ?? [])];
      for (const v of review?.violations ?? []) target.push({ ...v, msg: `[Implied by ${r.templateName}] ${v.msg}`, enforcementAction: r.enforcementAction || v.enforcementAction });
    }
  }
}

