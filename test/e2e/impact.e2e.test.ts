// azpol impact against a live cluster (the fake API server, read through @kubernetes/client-node
// with a kubeconfig and context) and against kubectl output on stdin: which workloads the
// definitions would deny now, per namespace and per image, honouring the assignment's namespaces;
// a kind it may not list is reported, never skipped silently.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeKube } from "../fake-kube/server.js";
import { azpol, azpolAsync } from "../support/cli.js";

const dir = mkdtempSync(join(tmpdir(), "azpol-impact-"));
const ns = (name: string, labels: Record<string, string> = {}) => ({ apiVersion: "v1", kind: "Namespace", metadata: { name, labels } });
const pod = (name: string, namespace: string, image: string, owner?: string) => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace, ...(owner ? { ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: owner, uid: "u", controller: true }] } : {}) },
  spec: { containers: [{ name: "c", image }] },
});
const deployment = (name: string, namespace: string, image: string) => ({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name, namespace }, spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "c", image }] } } } });
const objects = {
  "/namespaces": [ns("shop"), ns("kube-system"), ns("batch")],
  "/pods": [pod("web-1", "shop", "k8s.gcr.io/pause:3.9", "web-7d4f"), pod("web-2", "shop", "registry.k8s.io/pause:3.9"), pod("dns", "kube-system", "k8s.gcr.io/coredns:1.8.6"), pod("p3", "batch", "k8s.gcr.io/pause:3.9")],
  "apps/deployments": [deployment("web", "shop", "k8s.gcr.io/pause:3.9")],
  "batch/cronjobs": [],
};
const kube = new FakeKube({ token: "fake-kube-token", objects, forbidden: [] });

beforeAll(async () => {
  await kube.start();
  writeFileSync(join(dir, "kubeconfig"), kube.kubeconfig("aks-prod"));
  expect(azpol(["new", "--preset", "k8s-gcr-deprecation"], { cwd: dir }).status).toBe(0);
});
afterAll(async () => {
  await kube.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface Impact {
  objects: number;
  denied: { kind: string; namespace: string; name: string; ownedBy?: string }[];
  objectsRead: number;
  excluded: { kind: string; namespace: string; name: string; reason: string }[];
  byNamespace: { namespace: string; objects: number; denied: number; excluded: number }[];
  byImage: { image: string; objects: number; namespaces: string[]; definitions: string[] }[];
  hint?: string;
  problems: string[];
}

describe("azpol impact", () => {
  it("an API server that accepts and never answers: exit 3 after --request-timeout, valid --json, no hang", async () => {
    const silent = new FakeKube({ token: "t", objects, silent: ["apps/deployments"] });
    await silent.start();
    try {
      writeFileSync(join(dir, "silent.kubeconfig"), silent.kubeconfig("silent"));
      const run = await azpolAsync(["impact", "--kubeconfig", join(dir, "silent.kubeconfig"), "--request-timeout", "0.5", "--json"], { cwd: dir });
      expect(run.status, run.stderr).toBe(3);
      const doc = JSON.parse(run.stdout) as { error: { code: string; message: string } };
      expect(doc.error.code).toBe("ClusterTimeout");
      expect(doc.error.message).toMatch(/listing Deployment .*no answer within/);
      const deadline = await azpolAsync(["impact", "--kubeconfig", join(dir, "silent.kubeconfig"), "--deadline", "1"], { cwd: dir });
      expect(deadline.status, deadline.stderr).toBe(3);
      expect(deadline.stderr).toMatch(/--deadline 1 s passed/);
    } finally {
      await silent.stop();
    }
  });

  it("reads every workload kind of the kubeconfig's context and sums up what Deny would block; excluded namespaces are counted as excluded", async () => {
    const run = await azpolAsync(["impact", "--kubeconfig", join(dir, "kubeconfig"), "--context", "aks-prod", "--json"], { cwd: dir });
    expect(run.status).toBe(1);
    const out = JSON.parse(run.stdout) as Impact & { source: string };
    expect(out.source).toMatch(/^context aks-prod \(https:\/\/127\.0\.0\.1:\d+\)$/);
    expect(out.objects).toBe(5);
    // kube-system is excluded by the definition's default excludedNamespaces
    expect(out.denied.map((d) => `${d.kind} ${d.namespace}/${d.name}${d.ownedBy ? ` <- ${d.ownedBy}` : ""}`).sort()).toEqual(["Deployment shop/web", "Pod batch/p3", "Pod shop/web-1 <- ReplicaSet web-7d4f"]);
    expect(out.byNamespace).toEqual([
      { namespace: "shop", objects: 3, denied: 2, excluded: 0 },
      { namespace: "batch", objects: 1, denied: 1, excluded: 0 },
      { namespace: "kube-system", objects: 1, denied: 0, excluded: 1 },
    ]);
    expect(out.excluded.map((e) => `${e.kind} ${e.namespace}/${e.name}: ${e.reason}`)).toEqual(["Pod kube-system/dns: namespace kube-system is in excludedNamespaces"]);
    expect(out.hint).toMatch(/--param excludedNamespaces=/);
    expect(out.byImage).toEqual([{ image: "k8s.gcr.io/pause:3.9", objects: 3, namespaces: ["batch", "shop"], definitions: ["k8s-gcr-deprecation"] }]);
    expect(out.problems).toEqual([]);
    // all nine kinds and the namespaces were read, every request authenticated
    expect(kube.requests.filter((r) => r.status === 200)).toHaveLength(10);
  });

  it("honours the assignment's values: --param excludedNamespaces", async () => {
    const run = await azpolAsync(["impact", "--kubeconfig", join(dir, "kubeconfig"), "--param", "excludedNamespaces=kube-system,batch", "--json"], { cwd: dir });
    expect((JSON.parse(run.stdout) as Impact).byNamespace.map((n) => `${n.namespace} ${n.denied} denied, ${n.excluded} excluded`)).toEqual(["shop 2 denied, 0 excluded", "batch 0 denied, 1 excluded", "kube-system 0 denied, 1 excluded"]);
  });

  it("counts a Deployment once with its ReplicaSet and Pods, in text and JSON, and names the excluded with a hint", () => {
    const rs = { apiVersion: "apps/v1", kind: "ReplicaSet", metadata: { name: "api-5c", namespace: "shop", uid: "rs-api", ownerReferences: [{ apiVersion: "apps/v1", kind: "Deployment", name: "api", uid: "dep-api", controller: true }] }, spec: { template: { spec: { containers: [{ name: "c", image: "k8s.gcr.io/etcd:3.5.0" }] } } } };
    const dep = { ...deployment("api", "shop", "k8s.gcr.io/etcd:3.5.0"), metadata: { name: "api", namespace: "shop", uid: "dep-api" } };
    const pods = ["a", "b"].map((x) => ({ ...pod(`api-5c-${x}`, "shop", "k8s.gcr.io/etcd:3.5.0"), metadata: { name: `api-5c-${x}`, namespace: "shop", ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "api-5c", uid: "rs-api", controller: true }] } }));
    const list = { apiVersion: "v1", kind: "List", items: [ns("shop"), ns("kube-system"), pods[0], dep, rs, pods[1], pod("dns", "kube-system", "k8s.gcr.io/coredns:1.8.6")] };
    const json = azpol(["impact", "-", "--json"], { cwd: dir, input: stringify(list) });
    const out = JSON.parse(json.stdout) as Impact & { denied: { owns: string[]; definitions: string[] }[] };
    expect(out.objects).toBe(2);
    expect(out.objectsRead).toBe(5);
    expect(out.denied).toEqual([expect.objectContaining({ kind: "Deployment", name: "api", owns: ["Pod api-5c-a", "ReplicaSet api-5c", "Pod api-5c-b"], definitions: ["k8s-gcr-deprecation"] })]);
    expect(out.byImage).toEqual([{ image: "k8s.gcr.io/etcd:3.5.0", objects: 1, namespaces: ["shop"], definitions: ["k8s-gcr-deprecation"] }]);
    const text = azpol(["impact", "-"], { cwd: dir, input: stringify(list) });
    expect(text.stdout).toContain("2 workload(s) (5 object(s)) from stdin; 1 would be denied, 1 excluded");
    expect(text.stdout).toContain("k8s.gcr.io/etcd:3.5.0: 1 workload(s) in shop, denied by k8s-gcr-deprecation");
    expect(text.stdout).toContain("Deployment shop/api (with 2 Pod(s), 1 ReplicaSet): k8s.gcr.io/etcd:3.5.0");
    expect(text.stdout).toContain("Pod kube-system/dns: k8s.gcr.io/coredns:1.8.6: excluded (namespace kube-system is in excludedNamespaces)");
    expect(text.stderr).toMatch(/hint: 1 workload\(s\) excluded .*--param excludedNamespaces=/);
  });

  it("a kind it may not list is a problem it reports, and the exit code says so", async () => {
    kube.options.forbidden = ["apps/deployments"];
    try {
      const run = await azpolAsync(["impact", "--kubeconfig", join(dir, "kubeconfig"), "--json"], { cwd: dir });
      const out = JSON.parse(run.stdout) as Impact;
      expect(out.problems).toEqual([expect.stringMatching(/^cannot list Deployment: HTTP 403: deployments\.apps is forbidden/)]);
      expect(run.status).toBe(1);
    } finally {
      kube.options.forbidden = [];
    }
  });

  it("a wrong context or an unreachable kubeconfig is a usage error", async () => {
    const run = await azpolAsync(["impact", "--kubeconfig", join(dir, "kubeconfig"), "--context", "nope"], { cwd: dir });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/--context "nope" is not in the kubeconfig \(contexts: aks-prod\)/);
  });

  it("follows list chunks (limit/continue) and finds the kubeconfig through KUBECONFIG", async () => {
    const bulk = Array.from({ length: 620 }, (_, i) => pod(`bulk-${i}`, "batch", "registry.k8s.io/pause:3.9"));
    objects["/pods"].push(...bulk);
    try {
      kube.requests.length = 0;
      const run = await azpolAsync(["impact", "--json"], { cwd: dir, env: { KUBECONFIG: join(dir, "kubeconfig") } });
      const out = JSON.parse(run.stdout) as Impact;
      expect(out.objects).toBe(625);
      const podPages = kube.requests.filter((r) => r.path === "/api/v1/pods");
      expect(podPages).toHaveLength(2);
      expect(new URLSearchParams(podPages[1]?.query).get("continue")).toBeTruthy();
    } finally {
      objects["/pods"].splice(-bulk.length);
    }
  });

  it("reads kubectl get -o yaml output from stdin the same way", () => {
    const list = { apiVersion: "v1", kind: "List", items: [...objects["/namespaces"], ...objects["/pods"], ...objects["apps/deployments"]] };
    const run = azpol(["impact", "-", "--json"], { cwd: dir, input: stringify(list) });
    const out = JSON.parse(run.stdout) as Impact & { source: string };
    expect(out.source).toBe("stdin");
    expect(out.denied).toHaveLength(3);
    expect(run.status).toBe(1);
  });
});
