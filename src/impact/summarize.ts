// "What would break if this policy were set to Deny now", per workload: a Deployment with its
// ReplicaSets and Pods is one workload (workload-tree.ts), denied when any of its objects is, and
// named once. A workload the assignment's match leaves out (excludedNamespaces, labelSelector) is
// counted and listed as "excluded" with the reason, never dropped and never "ok". Each image is
// named with the definitions that deny it. Pure.
import { asRecord } from "../core/constraint-template.js";
import { exclusionReason, verdictOf, type Verdict } from "../manifest-check/object-verdict.js";
import type { KubeObject } from "../rego/kubernetes-object.js";
import type { ObjectReview } from "../rego/evaluate.js";
import { groupWorkloads } from "./workload-tree.js";
import { compareText } from "../model/compare-text.js";

export interface WorkloadReport {
  kind: string;
  namespace: string;
  name: string;
  /** the controller that owns it but was not read ("ReplicaSet web-7d4f") */
  ownedBy?: string;
  /** the objects under it ("ReplicaSet web-7d4f", "Pod web-7d4f-x2"), counted with it */
  owns: string[];
  images: string[];
}

export interface DeniedObject extends WorkloadReport {
  messages: string[];
  /** the definitions that deny it */
  definitions: string[];
}

export interface ExcludedObject extends WorkloadReport {
  /** "namespace kube-system is in excludedNamespaces" */
  reason: string;
}

export interface ImpactSummary {
  /** workloads: top objects, each with what it owns */
  objects: number;
  /** every object read (a Deployment, its ReplicaSet and its Pods are three) */
  objectsRead: number;
  denied: DeniedObject[];
  excluded: ExcludedObject[];
  byNamespace: { namespace: string; objects: number; denied: number; excluded: number }[];
  byImage: { image: string; objects: number; namespaces: string[]; definitions: string[] }[];
}

function images(obj: KubeObject): string[] {
  const found: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") {
      for (const [k, x] of Object.entries(v)) {
        if ((k === "containers" || k === "initContainers" || k === "ephemeralContainers") && Array.isArray(x)) {
          for (const c of x) if (typeof asRecord(c)?.image === "string") found.push(asRecord(c)?.image as string);
        } else walk(x);
      }
    }
  };
  walk(obj);
  return found;
}

const unique = <T>(xs: T[]) => [...new Set(xs)];

/** `definitionOf` maps a constraint name to the definition it was made from. */
export function summarize(objects: KubeObject[], reviews: ObjectReview[], definitionOf: (constraint: string) => string): ImpactSummary {
  const summary: ImpactSummary = { objects: 0, objectsRead: objects.length, denied: [], excluded: [], byNamespace: [], byImage: [] };
  const namespaces = new Map<string, { objects: number; denied: number; excluded: number }>();
  const byImage = new Map<string, { objects: number; namespaces: Set<string>; definitions: Set<string> }>();
  for (const w of groupWorkloads(objects)) {
    const root = objects[w.root] as KubeObject;
    const all = [w.root, ...w.members];
    const review: ObjectReview = { violations: all.flatMap((i) => reviews[i]?.violations ?? []), excluded: all.flatMap((i) => reviews[i]?.excluded ?? []) };
    const verdict: Verdict = verdictOf(review);
    const namespace = root.metadata?.namespace ?? "";
    const ns = namespaces.get(namespace) ?? { objects: 0, denied: 0, excluded: 0 };
    namespaces.set(namespace, ns);
    ns.objects++;
    summary.objects++;
    const imgs = unique(all.flatMap((i) => images(objects[i] as KubeObject)));
    const report: WorkloadReport = {
      kind: root.kind ?? "",
      namespace,
      name: root.metadata?.name ?? "",
      ...(w.ownedBy ? { ownedBy: w.ownedBy } : {}),
      owns: w.members.map((i) => `${objects[i]?.kind ?? ""} ${objects[i]?.metadata?.name ?? ""}`),
      images: imgs,
    };
    if (verdict === "excluded") {
      ns.excluded++;
      summary.excluded.push({ ...report, reason: exclusionReason(review.excluded) });
    }
    if (verdict !== "violations") continue;
    ns.denied++;
    const definitions = unique(review.violations.map((v) => definitionOf(v.constraint)));
    summary.denied.push({ ...report, messages: unique(review.violations.map((v) => v.msg)), definitions });
    // the images the messages name, each with the definitions whose messages name it; a template
    // whose messages name no image blames them all, with every denying definition
    const named = imgs.filter((image) => review.violations.some((v) => v.msg.includes(image)));
    for (const image of named.length ? named : imgs) {
      const naming = review.violations.filter((v) => v.msg.includes(image));
      const entry = byImage.get(image) ?? { objects: 0, namespaces: new Set<string>(), definitions: new Set<string>() };
      entry.objects++;
      entry.namespaces.add(namespace);
      for (const v of naming.length ? naming : review.violations) entry.definitions.add(definitionOf(v.constraint));
      byImage.set(image, entry);
    }
  }
  summary.byNamespace = [...namespaces]
    .map(([namespace, n]) => ({ namespace, ...n }))
    .filter((n) => n.denied > 0 || n.excluded > 0)
    .sort((a, b) => b.denied - a.denied || b.excluded - a.excluded || compareText(a.namespace, b.namespace));
  summary.byImage = [...byImage]
    .map(([image, e]) => ({ image, objects: e.objects, namespaces: [...e.namespaces].sort(), definitions: [...e.definitions].sort() }))
    .sort((a, b) => b.objects - a.objects || compareText(a.image, b.image));
  return summary;
}
