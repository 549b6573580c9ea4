// Gatekeeper's spec.match semantics, reimplemented in TypeScript (src/rego/match.ts).
import { describe, expect, it } from "vitest";
import { matchObject, wildcardMatches, type ConstraintMatch } from "../src/rego/match.js";
import type { KubeObject } from "../src/rego/kubernetes-object.js";

const pod = (ns: string | undefined, labels: Record<string, string> = {}): KubeObject => ({ apiVersion: "v1", kind: "Pod", metadata: { name: "p", ...(ns ? { namespace: ns } : {}), labels } });
const deployment: KubeObject = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d", namespace: "default" } };
const namespace = (name: string, labels: Record<string, string> = {}): KubeObject => ({ apiVersion: "v1", kind: "Namespace", metadata: { name, labels } });
const clusterRole: KubeObject = { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: "r" } };
const none = new Map<string, KubeObject>();

describe("kinds", () => {
  it.each<[string, ConstraintMatch, KubeObject, boolean]>([
    ["kind and group listed", { kinds: [{ apiGroups: [""], kinds: ["Pod"] }] }, pod("default"), true],
    ["Deployment is not in the core group", { kinds: [{ apiGroups: [""], kinds: ["Pod", "Deployment"] }] }, deployment, false],
    ["Deployment with apps", { kinds: [{ apiGroups: ["", "apps"], kinds: ["Pod", "Deployment"] }] }, deployment, true],
    ["wildcard group", { kinds: [{ apiGroups: ["*"], kinds: ["Deployment"] }] }, deployment, true],
    ["empty kinds list matches all", { kinds: [{ apiGroups: ["apps"] }] }, deployment, true],
    ["no kinds matcher", {}, clusterRole, true],
  ])("%s", (_, match, obj, expected) => {
    expect(matchObject(match, obj, none)).toEqual({ matches: expected });
  });
});

describe("namespaces", () => {
  it.each<[string, ConstraintMatch, KubeObject, boolean]>([
    ["excluded", { excludedNamespaces: ["kube-system"] }, pod("kube-system"), false],
    ["excluded by prefix glob", { excludedNamespaces: ["kube-*"] }, pod("kube-public"), false],
    ["not excluded", { excludedNamespaces: ["kube-system"] }, pod("default"), true],
    ["included list", { namespaces: ["team-a"] }, pod("team-b"), false],
    ["included by suffix glob", { namespaces: ["*-prod"] }, pod("web-prod"), true],
    ["a Namespace is judged by its own name", { excludedNamespaces: ["kube-system"] }, namespace("kube-system"), false],
    ["cluster-scoped objects pass namespace matchers", { namespaces: ["team-a"] }, clusterRole, true],
    ["an object without namespace is not excluded", { excludedNamespaces: ["default"] }, pod(undefined), true],
    ["scope Namespaced skips cluster objects", { scope: "Namespaced" }, clusterRole, false],
    ["scope Cluster skips namespaced objects", { scope: "Cluster" }, pod("default"), false],
  ])("%s", (_, match, obj, expected) => {
    expect(matchObject(match, obj, none)).toMatchObject({ matches: expected });
  });
});

describe("selectors", () => {
  it.each<[string, ConstraintMatch, KubeObject, boolean]>([
    ["matchLabels", { labelSelector: { matchLabels: { app: "web" } } }, pod("d", { app: "web" }), true],
    ["matchLabels mismatch", { labelSelector: { matchLabels: { app: "web" } } }, pod("d", { app: "db" }), false],
    ["In", { labelSelector: { matchExpressions: [{ key: "tier", operator: "In", values: ["a", "b"] }] } }, pod("d", { tier: "b" }), true],
    ["NotIn without the label", { labelSelector: { matchExpressions: [{ key: "tier", operator: "NotIn", values: ["a"] }] } }, pod("d"), true],
    ["Exists", { labelSelector: { matchExpressions: [{ key: "x", operator: "Exists" }] } }, pod("d"), false],
    ["DoesNotExist", { labelSelector: { matchExpressions: [{ key: "azpol.dev/exempt", operator: "DoesNotExist" }] } }, pod("d", { "azpol.dev/exempt": "" }), false],
  ])("%s", (_, match, obj, expected) => {
    expect(matchObject(match, obj, none)).toMatchObject({ matches: expected });
  });

  it("namespaceSelector uses Namespace objects from the inputs, and errors (autoreject) without them", () => {
    const match: ConstraintMatch = { namespaceSelector: { matchLabels: { env: "prod" } } };
    const namespaces = new Map([["web", namespace("web", { env: "prod" })]]);
    expect(matchObject(match, pod("web"), namespaces)).toEqual({ matches: true });
    const outcome = matchObject(match, pod("other"), namespaces);
    expect("error" in outcome && outcome.error).toContain('the Namespace "other" is not among the inputs');
  });

  it("an invalid operator is an error", () => {
    expect(matchObject({ labelSelector: { matchExpressions: [{ key: "a", operator: "Has" }] } }, pod("d"), none)).toHaveProperty("error");
  });
});

describe("why an object is left out (the verdict \"excluded\", never \"ok\")", () => {
  it.each<[string, ConstraintMatch, KubeObject, string | undefined]>([
    ["excludedNamespaces", { kinds: [{ apiGroups: [""], kinds: ["Pod"] }], excludedNamespaces: ["kube-*"] }, pod("kube-system"), "namespace kube-system is in excludedNamespaces"],
    ["namespaces", { namespaces: ["team-a"] }, pod("team-b"), "namespace team-b is not in namespaces"],
    ["labelSelector", { labelSelector: { matchLabels: { app: "web" } } }, pod("d", { app: "db" }), "its labels do not match labelSelector"],
    ["namespaceSelector", { namespaceSelector: { matchLabels: { env: "prod" } } }, pod("web"), "the labels of namespace web do not match namespaceSelector"],
    ["another kind is not matched, not excluded", { kinds: [{ apiGroups: [""], kinds: ["Pod"] }], excludedNamespaces: ["kube-system"] }, { ...deployment, metadata: { name: "d", namespace: "kube-system" } }, undefined],
    ["scope is not an exclusion", { scope: "Cluster" }, pod("default"), undefined],
  ])("%s", (_, match, obj, reason) => {
    const outcome = matchObject(match, obj, new Map([["web", namespace("web", { env: "dev" })]]));
    expect(outcome).toEqual(reason ? { matches: false, excluded: reason } : { matches: false });
  });
});

it.each([
  ["kube-*", "kube-system", true],
  ["*-system", "kube-system", true],
  ["*be-sy*", "kube-system", true],
  ["kube-system", "kube-systems", false],
  ["*", "anything", true],
])("wildcard %s vs %s", (pattern, value, expected) => {
  expect(wildcardMatches(pattern, value)).toBe(expected);
});
