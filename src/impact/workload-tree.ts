// Which object is the workload: a Deployment's ReplicaSets and their Pods are the same workload,
// so impact counts it once with them under it. The link is the controller ownerReference
// (metadata.ownerReferences[].controller, by uid when both sides have one, else by namespace,
// kind and name: kubectl's fake outputs and hand-written lists often lack uids). An owner that is
// not among the objects read leaves its object as a workload of its own, marked "owned by".
import { asRecord } from "../core/constraint-template.js";
import type { KubeObject } from "../rego/kubernetes-object.js";

interface OwnerReference {
  kind?: string;
  name?: string;
  uid?: string;
  controller?: boolean;
}

export interface Workload {
  /** index of the top object among the inputs */
  root: number;
  /** indexes of the objects under it (ReplicaSets, Pods, Jobs of a CronJob), in input order */
  members: number[];
  /** the controller that owns the top object but was not read ("ReplicaSet web-7d4f") */
  ownedBy?: string;
}

export function controllerOf(obj: KubeObject): OwnerReference | undefined {
  const refs = asRecord(obj.metadata)?.ownerReferences;
  return Array.isArray(refs) ? (refs as OwnerReference[]).find((o) => asRecord(o)?.controller === true) : undefined;
}

const key = (namespace: string | undefined, kind: string | undefined, name: string | undefined) => `${namespace ?? ""}\u0000${kind ?? ""}\u0000${name ?? ""}`;

export function groupWorkloads(objects: KubeObject[]): Workload[] {
  const byUid = new Map<string, number>();
  const byName = new Map<string, number>();
  objects.forEach((o, i) => {
    const uid = asRecord(o.metadata)?.uid;
    if (typeof uid === "string" && uid !== "") byUid.set(uid, i);
    byName.set(key(o.metadata?.namespace, o.kind, o.metadata?.name), i);
  });
  const parent = objects.map((o, i) => {
    const ref = controllerOf(o);
    if (!ref) return undefined;
    const found = (ref.uid ? byUid.get(ref.uid) : undefined) ?? byName.get(key(o.metadata?.namespace, ref.kind, ref.name));
    return found === i ? undefined : found;
  });
  const rootOf = (i: number): number => {
    const path = [i];
    for (let up = parent[i]; up !== undefined; up = parent[up]) {
      const loop = path.indexOf(up);
      // an ownership cycle (hand-edited input): its first object stands for all of it
      if (loop >= 0) return Math.min(...path.slice(loop));
      path.push(up);
    }
    return path[path.length - 1] as number;
  };
  const workloads = new Map<number, Workload>();
  objects.forEach((o, i) => {
    const root = rootOf(i);
    let w = workloads.get(root);
    if (!w) {
      const ref = controllerOf(objects[root] as KubeObject);
      w = { root, members: [], ...(ref && parent[root] === undefined ? { ownedBy: `${ref.kind ?? ""} ${ref.name ?? ""}` } : {}) };
      workloads.set(root, w);
    }
    if (root !== i) w.members.push(i);
  });
  return [...workloads.values()].sort((a, b) => a.root - b.root);
}
