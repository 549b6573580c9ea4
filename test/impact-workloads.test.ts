// impact counts a workload once: a Deployment with its ReplicaSet and Pods (controller
// ownerReferences, by uid or by namespace/kind/name) is one denied workload naming the
// definitions that deny each image; an excluded one is counted as excluded with its reason.
import { describe, expect, it } from "vitest";
import { groupWorkloads } from "../src/impact/workload-tree.js";
import { summarize } from "../src/impact/summarize.js";
import type { ObjectReview } from "../src/rego/evaluate.js";
import type { KubeObject } from "../src/rego/kubernetes-object.js";

const owned = (kind: string, name: string, namespace: string, owner?: { kind: string; name: string; uid?: string }, uid?: string, image = "k8s.gcr.io/pause:3.9"): KubeObject => ({
  apiVersion: kind === "Pod" ? "v1" : "apps/v1",
  kind,
  metadata: { name, namespace, ...(uid ? { uid } : {}), ...(owner ? { ownerReferences: [{ apiVersion: "apps/v1", ...owner, controller: true }] } : {}) },
  spec: kind === "Pod" ? { containers: [{ name: "c", image }] } : { template: { spec: { containers: [{ name: "c", image }] } } },
});

const denied = (image: string, constraint = "c-gcr"): ObjectReview => ({ violations: [{ constraint, constraintKind: "K", enforcementAction: "deny", msg: `image ${image} is denied`, details: {} }], excluded: [] });
const excluded: ObjectReview = { violations: [], excluded: [{ constraint: "c-gcr", reason: "namespace kube-system is in excludedNamespaces" }] };
const ok: ObjectReview = { violations: [], excluded: [] };

describe("workloads", () => {
  it("a Deployment, its ReplicaSet and its Pods are one workload (uid links, and name links without uids)", () => {
    const objects = [
      owned("Pod", "web-7d4f-a", "shop", { kind: "ReplicaSet", name: "web-7d4f", uid: "rs-1" }),
      owned("Deployment", "web", "shop", undefined, "dep-1"),
      owned("ReplicaSet", "web-7d4f", "shop", { kind: "Deployment", name: "web", uid: "dep-1" }, "rs-1"),
      owned("Pod", "web-7d4f-b", "shop", { kind: "ReplicaSet", name: "web-7d4f" }), // no uid: linked by name
      owned("Pod", "orphan-x", "shop", { kind: "ReplicaSet", name: "gone" }), // owner not read
      owned("ReplicaSet", "other-ns", "batch", { kind: "Deployment", name: "web" }), // same name, another namespace
    ];
    expect(groupWorkloads(objects)).toEqual([
      { root: 1, members: [0, 2, 3] },
      { root: 4, members: [], ownedBy: "ReplicaSet gone" },
      { root: 5, members: [], ownedBy: "Deployment web" },
    ]);
  });

  it("an ownership cycle is one workload, not an endless walk", () => {
    const a = owned("ReplicaSet", "a", "x", { kind: "ReplicaSet", name: "b" });
    const b = owned("ReplicaSet", "b", "x", { kind: "ReplicaSet", name: "a" });
    const tail = owned("Pod", "p", "x", { kind: "ReplicaSet", name: "b" });
    expect(groupWorkloads([tail, a, b])).toEqual([{ root: 1, members: [0, 2] }]);
  });
});

describe("summarize", () => {
  it("counts the workload once, names the denying definition per image, and keeps the excluded", () => {
    const objects = [
      owned("Deployment", "web", "shop", undefined, "d1"),
      owned("ReplicaSet", "web-1", "shop", { kind: "Deployment", name: "web", uid: "d1" }, "r1"),
      owned("Pod", "web-1-a", "shop", { kind: "ReplicaSet", name: "web-1", uid: "r1" }),
      owned("Pod", "web-1-b", "shop", { kind: "ReplicaSet", name: "web-1", uid: "r1" }),
      owned("Pod", "dns", "kube-system", undefined, undefined, "k8s.gcr.io/coredns:1.8.6"),
      owned("Pod", "fine", "shop", undefined, undefined, "registry.k8s.io/pause:3.9"),
    ];
    const reviews = [denied("k8s.gcr.io/pause:3.9"), denied("k8s.gcr.io/pause:3.9"), { ...denied("k8s.gcr.io/pause:3.9"), violations: [...denied("k8s.gcr.io/pause:3.9").violations, ...denied("k8s.gcr.io/pause:3.9", "c-allow").violations] }, denied("k8s.gcr.io/pause:3.9"), excluded, ok];
    const definitions: Record<string, string> = { "c-gcr": "k8s-gcr-deprecation", "c-allow": "allowed-registries" };
    const summary = summarize(objects, reviews, (c) => definitions[c] ?? c);
    expect(summary.objects).toBe(3);
    expect(summary.objectsRead).toBe(6);
    expect(summary.denied).toEqual([
      { kind: "Deployment", namespace: "shop", name: "web", owns: ["ReplicaSet web-1", "Pod web-1-a", "Pod web-1-b"], images: ["k8s.gcr.io/pause:3.9"], messages: ["image k8s.gcr.io/pause:3.9 is denied"], definitions: ["k8s-gcr-deprecation", "allowed-registries"] },
    ]);
    expect(summary.excluded).toEqual([{ kind: "Pod", namespace: "kube-system", name: "dns", owns: [], images: ["k8s.gcr.io/coredns:1.8.6"], reason: "namespace kube-system is in excludedNamespaces" }]);
    expect(summary.byNamespace).toEqual([
      { namespace: "shop", objects: 2, denied: 1, excluded: 0 },
      { namespace: "kube-system", objects: 1, denied: 0, excluded: 1 },
    ]);
    expect(summary.byImage).toEqual([{ image: "k8s.gcr.io/pause:3.9", objects: 1, namespaces: ["shop"], definitions: ["allowed-registries", "k8s-gcr-deprecation"] }]);
  });
});
