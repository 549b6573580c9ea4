// impact counts a workload once: a Deployment with its ReplicaSet and Pods (controller
// ownerReferences, by uid or by namespace/kind/name) is one denied workload naming the
// definitions that deny each image; an excluded one is counted as excluded with its reason, one no
// definition checks as not checked. Images are blamed only when a violation is about them.
import { describe, expect, it } from "vitest";
import { groupWorkloads } from "../src/impact/workload-tree.js";
import { summarize } from "../src/impact/summarize.js";
import { imagesOfViolation, pulledImages } from "../src/impact/object-images.js";
import { verdictOf } from "../src/manifest-check/object-verdict.js";
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
const ok: ObjectReview = { violations: [], excluded: [], matched: 1 };
const judged = (review: ObjectReview) => ({ review, verdict: verdictOf(review) });

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
    const summary = summarize(objects, reviews.map(judged), (c) => definitions[c] ?? c);
    expect(summary.objects).toBe(3);
    expect(summary.objectsRead).toBe(6);
    expect(summary.denied).toEqual([
      { kind: "Deployment", namespace: "shop", name: "web", owns: ["ReplicaSet web-1", "Pod web-1-a", "Pod web-1-b"], images: ["k8s.gcr.io/pause:3.9"], deniedImages: ["k8s.gcr.io/pause:3.9"], messages: ["image k8s.gcr.io/pause:3.9 is denied"], definitions: ["k8s-gcr-deprecation", "allowed-registries"] },
    ]);
    expect(summary.excluded).toEqual([{ kind: "Pod", namespace: "kube-system", name: "dns", owns: [], images: ["k8s.gcr.io/coredns:1.8.6"], reason: "namespace kube-system is in excludedNamespaces" }]);
    expect(summary.byNamespace).toEqual([
      { namespace: "shop", objects: 2, denied: 1, excluded: 0, notChecked: 0 },
      { namespace: "kube-system", objects: 1, denied: 0, excluded: 1, notChecked: 0 },
    ]);
    expect(summary.byImage).toEqual([{ image: "k8s.gcr.io/pause:3.9", objects: 1, namespaces: ["shop"], definitions: ["allowed-registries", "k8s-gcr-deprecation"] }]);
  });
});

describe("which images a denied workload is blamed for", () => {
  const violation = (msg: string, details: unknown = {}): ObjectReview["violations"][number] => ({ constraint: "c-gcr", constraintKind: "K", enforcementAction: "deny", msg, details });
  const pod = (spec: Record<string, unknown>): KubeObject => ({ apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "shop" }, spec });

  it("reads images from every container list and from image volumes", () => {
    const obj = pod({ initContainers: [{ name: "i", image: "busybox" }], containers: [{ name: "c", image: "nginx" }], ephemeralContainers: [{ name: "e", image: "debug" }], volumes: [{ name: "cfg", configMap: { name: "x" } }, { name: "v", image: { reference: "k8s.gcr.io/etcd:3.5.0-0" } }] });
    expect(pulledImages(obj)).toEqual(["busybox", "nginx", "debug", "k8s.gcr.io/etcd:3.5.0-0"]);
  });

  it("takes details.image, else whole image strings of the object in the message, never a substring", () => {
    const images = ["nginx", "k8s.gcr.io/ingress-nginx/controller:v1.1.1", "k8s.gcr.io/pause"];
    // azpol's templates: details.image
    expect(imagesOfViolation(violation('container "b" uses image "k8s.gcr.io/ingress-nginx/controller:v1.1.1"', { image: "k8s.gcr.io/ingress-nginx/controller:v1.1.1" }), images)).toEqual(["k8s.gcr.io/ingress-nginx/controller:v1.1.1"]);
    // a template with no details (the built-ins' "Container image %v for container %v has not been allowed.")
    expect(imagesOfViolation(violation("Container image k8s.gcr.io/ingress-nginx/controller:v1.1.1 for container b has not been allowed."), images)).toEqual(["k8s.gcr.io/ingress-nginx/controller:v1.1.1"]);
    expect(imagesOfViolation(violation("Container image nginx for container a has not been allowed."), images)).toEqual(["nginx"]);
    expect(imagesOfViolation(violation("image nginx."), images)).toEqual(["nginx"]);
    // k8s.gcr.io/pause is a prefix of k8s.gcr.io/pause:3.9, not the image the message names
    expect(imagesOfViolation(violation("image k8s.gcr.io/pause:3.9 is denied"), images)).toEqual([]);
    expect(imagesOfViolation(violation("object too large: 1001 items, over the limit of 1000"), images)).toEqual([]);
  });

  it("a workload denied for its image volume is blamed for the volume's image only; one whose violations name no image is denied but blames none", () => {
    const vol = pod({ containers: [{ name: "c", image: "registry.k8s.io/pause:3.9" }], volumes: [{ name: "v", image: { reference: "k8s.gcr.io/etcd:3.5.0-0" } }] });
    const big = { ...pod({ containers: [{ name: "c", image: "registry.k8s.io/pause:3.9" }] }), metadata: { name: "big", namespace: "shop" } };
    const reviews: ObjectReview[] = [
      { violations: [violation('volume "v" uses image "k8s.gcr.io/etcd:3.5.0-0"', { volume: "v", image: "k8s.gcr.io/etcd:3.5.0-0" })], excluded: [], matched: 1 },
      { violations: [violation("the object has 1001 pod spec items", { rule: "too-many-items" })], excluded: [], matched: 1 },
    ];
    const summary = summarize([vol, big], reviews.map(judged), () => "k8s-gcr-deprecation");
    expect(summary.denied.map((d) => `${d.name}: ${d.deniedImages.join(",")} of ${d.images.join(",")}`)).toEqual(["p: k8s.gcr.io/etcd:3.5.0-0 of registry.k8s.io/pause:3.9,k8s.gcr.io/etcd:3.5.0-0", "big:  of registry.k8s.io/pause:3.9"]);
    expect(summary.byImage).toEqual([{ image: "k8s.gcr.io/etcd:3.5.0-0", objects: 1, namespaces: ["shop"], definitions: ["k8s-gcr-deprecation"] }]);
  });
});

describe("every object keeps its verdict", () => {
  it("not checked and undecided workloads are listed with their reasons, a workload takes its members' strongest verdict, and nothing judged is said", () => {
    const rollout = { apiVersion: "argoproj.io/v1alpha1", kind: "Rollout", metadata: { name: "ro", namespace: "shop", uid: "ro-1" }, spec: { template: { spec: { containers: [{ name: "c", image: "k8s.gcr.io/pause" }] } } } };
    const rs = owned("ReplicaSet", "ro-5c", "shop", { kind: "Rollout", name: "ro", uid: "ro-1" }, "rs-1");
    const cm: KubeObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cm", namespace: "shop" } };
    const slow = owned("Pod", "slow", "shop");
    const notChecked = (reason: string) => ({ review: { violations: [], excluded: [], matched: 0 }, verdict: "not checked" as const, reason });
    const judgedObjects = [
      notChecked("no definition checks argoproj.io/Rollout"),
      judged({ ...denied("k8s.gcr.io/pause:3.9"), matched: 1 }),
      notChecked("no definition checks ConfigMap"),
      { review: { ...denied("k8s.gcr.io/pause:3.9"), matched: 1, undecided: "over the webhook's budget" }, verdict: "undecided" as const, reason: "over the webhook's budget" },
    ];
    const summary = summarize([rollout, rs, cm, slow], judgedObjects, (c) => c);
    // the Rollout no definition checks owns a ReplicaSet that is denied: the workload is denied
    expect(summary.denied.map((d) => `${d.kind} ${d.name} (${d.owns.join(", ")})`)).toEqual(["Rollout ro (ReplicaSet ro-5c)"]);
    expect(summary.notChecked).toEqual([{ kind: "ConfigMap", namespace: "shop", name: "cm", owns: [], images: [], reason: "no definition checks ConfigMap" }]);
    expect(summary.undecided.map((u) => `${u.name}: ${u.reason}`)).toEqual(["slow: over the webhook's budget"]);
    expect(summary.objects).toBe(3);
    expect(summary.objectsRead).toBe(4);
    expect(summary.nothingChecked).toBe(false);
    expect(summarize([cm], [notChecked("no definition checks ConfigMap")], (c) => c).nothingChecked).toBe(true);
    expect(summarize([], [], (c) => c).nothingChecked).toBe(false);
  });
});
