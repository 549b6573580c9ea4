// "What would break if this policy were set to Deny now", per workload: a Deployment with its
// ReplicaSets and Pods is one workload (workload-tree.ts), denied when any of its objects is, and
// named once. Every object read is counted and has the verdict `azpol test` gives it
// (manifest-check/object-verdict.ts judgeObject): a workload the assignment's match leaves out
// (excludedNamespaces, labelSelector) is "excluded" with the reason, one no definition checks (an
// Argo Rollout, a ConfigMap, an extensions/v1beta1 Deployment) is "not checked" with the reason,
// one Gatekeeper would not decide in time is "undecided"; never dropped and never "ok". Each
// denied image is named with the definitions that deny it (object-images.ts). Pure.
import { exclusionReason, type ObjectJudgement, type Verdict } from "../manifest-check/object-verdict.js";
import type { KubeObject } from "../rego/kubernetes-object.js";
import type { ObjectReview } from "../rego/evaluate.js";
import { groupWorkloads } from "./workload-tree.js";
import { imagesOfViolation, pulledImages } from "./object-images.js";
import { compareText } from "../model/compare-text.js";

export interface WorkloadReport {
  kind: string;
  namespace: string;
  name: string;
  /** the controller that owns it but was not read ("ReplicaSet web-7d4f") */
  ownedBy?: string;
  /** the objects under it ("ReplicaSet web-7d4f", "Pod web-7d4f-x2"), counted with it */
  owns: string[];
  /** every image it pulls: containers, init and ephemeral containers, image volumes */
  images: string[];
}

export interface DeniedObject extends WorkloadReport {
  /** the images its violations are about (empty when no violation names an image) */
  deniedImages: string[];
  messages: string[];
  /** the definitions that deny it */
  definitions: string[];
}

/** A workload nothing judged ("excluded", "not checked") or Gatekeeper would not decide ("undecided"), and why. */
export interface UnjudgedObject extends WorkloadReport {
  /** "namespace kube-system is in excludedNamespaces", "no definition checks argoproj.io/Rollout (...)" */
  reason: string;
}
export type ExcludedObject = UnjudgedObject;

/** One object's review and the verdict judgeObject gave it. */
export interface JudgedObject extends ObjectJudgement {
  review: ObjectReview;
}

export interface ImpactSummary {
  /** workloads: top objects, each with what it owns, whatever their verdict */
  objects: number;
  /** every object read (a Deployment, its ReplicaSet and its Pods are three) */
  objectsRead: number;
  denied: DeniedObject[];
  excluded: UnjudgedObject[];
  notChecked: UnjudgedObject[];
  undecided: UnjudgedObject[];
  /** objects were read but no definition judged any of them (azpol test's "nothing was checked") */
  nothingChecked: boolean;
  byNamespace: { namespace: string; objects: number; denied: number; excluded: number; notChecked: number }[];
  byImage: { image: string; objects: number; namespaces: string[]; definitions: string[] }[];
}

const unique = <T>(xs: T[]) => [...new Set(xs)];

// A workload is denied when any of its objects is (decidedly); else undecided when one is; else
// excluded when one is left out; ok when one was judged; not checked when none was.
const WORKLOAD_ORDER: readonly Verdict[] = ["violations", "undecided", "excluded", "ok", "not checked"];

/** `definitionOf` maps a constraint name to the definition it was made from. */
export function summarize(objects: KubeObject[], judged: JudgedObject[], definitionOf: (constraint: string) => string): ImpactSummary {
  const summary: ImpactSummary = { objects: 0, objectsRead: objects.length, denied: [], excluded: [], notChecked: [], undecided: [], nothingChecked: false, byNamespace: [], byImage: [] };
  const namespaces = new Map<string, { objects: number; denied: number; excluded: number; notChecked: number }>();
  const byImage = new Map<string, { objects: number; namespaces: Set<string>; definitions: Set<string> }>();
  for (const w of groupWorkloads(objects)) {
    const root = objects[w.root] as KubeObject;
    const all = [w.root, ...w.members];
    const verdicts = all.map((i) => judged[i]?.verdict ?? "not checked");
    const verdict = WORKLOAD_ORDER.find((v) => verdicts.includes(v)) ?? "not checked";
    const namespace = root.metadata?.namespace ?? "";
    const ns = namespaces.get(namespace) ?? { objects: 0, denied: 0, excluded: 0, notChecked: 0 };
    namespaces.set(namespace, ns);
    ns.objects++;
    summary.objects++;
    const report: WorkloadReport = {
      kind: root.kind ?? "",
      namespace,
      name: root.metadata?.name ?? root.metadata?.generateName ?? "",
      ...(w.ownedBy ? { ownedBy: w.ownedBy } : {}),
      owns: w.members.map((i) => `${objects[i]?.kind ?? ""} ${objects[i]?.metadata?.name ?? ""}`),
      images: unique(all.flatMap((i) => pulledImages(objects[i] as KubeObject))),
    };
    // the reasons of the objects that gave the workload its verdict
    const reasons = (v: Verdict) => unique(all.filter((i) => judged[i]?.verdict === v).map((i) => (v === "excluded" ? exclusionReason(judged[i]?.review.excluded ?? []) : (judged[i]?.reason ?? "")))).join("; ");
    if (verdict === "excluded") {
      ns.excluded++;
      summary.excluded.push({ ...report, reason: reasons("excluded") });
    } else if (verdict === "not checked") {
      ns.notChecked++;
      summary.notChecked.push({ ...report, reason: reasons("not checked") });
    } else if (verdict === "undecided") summary.undecided.push({ ...report, reason: reasons("undecided") });
    if (verdict !== "violations") continue;
    ns.denied++;
    // only decided violations deny: an undecided member's would come too late
    const denying = all.filter((i) => judged[i]?.verdict === "violations");
    const violations = denying.flatMap((i) => (judged[i]?.review.violations ?? []).map((v) => ({ v, images: imagesOfViolation(v, pulledImages(objects[i] as KubeObject)) })));
    const deniedImages = unique(violations.flatMap((x) => x.images));
    summary.denied.push({ ...report, deniedImages, messages: unique(violations.map((x) => x.v.msg)), definitions: unique(violations.map((x) => definitionOf(x.v.constraint))) });
    for (const image of deniedImages) {
      const entry = byImage.get(image) ?? { objects: 0, namespaces: new Set<string>(), definitions: new Set<string>() };
      entry.objects++;
      entry.namespaces.add(namespace);
      for (const x of violations) if (x.images.includes(image)) entry.definitions.add(definitionOf(x.v.constraint));
      byImage.set(image, entry);
    }
  }
  summary.nothingChecked = objects.length > 0 && !judged.some((j) => j.verdict === "violations" || j.verdict === "ok" || j.verdict === "undecided");
  summary.byNamespace = [...namespaces]
    .map(([namespace, n]) => ({ namespace, ...n }))
    .filter((n) => n.denied > 0 || n.excluded > 0 || n.notChecked > 0)
    .sort((a, b) => b.denied - a.denied || b.excluded - a.excluded || b.notChecked - a.notChecked || compareText(a.namespace, b.namespace));
  summary.byImage = [...byImage]
    .map(([image, e]) => ({ image, objects: e.objects, namespaces: [...e.namespaces].sort(), definitions: [...e.definitions].sort() }))
    .sort((a, b) => b.objects - a.objects || compareText(a.image, b.image));
  return summary;
}
