// azpol impact against a live cluster (the fake API server, read through @kubernetes/client-node
// with a kubeconfig and context) and against kubectl output on stdin: which workloads the
// definitions would deny now, per namespace and per image, honouring the assignment's namespaces;
// a kind it may not list is reported, never skipped silently.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeKube } from "../fake-kube/server.js";
import { azpol, azpolAsync } from "../support/cli.js";
import { matchesCliSchema } from "../support/cli-schemas.js";

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
  byNamespace: { namespace: string; objects: number; denied: number; excluded: number; notChecked: number }[];
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
      { namespace: "shop", objects: 3, denied: 2, excluded: 0, notChecked: 0 },
      { namespace: "batch", objects: 1, denied: 1, excluded: 0, notChecked: 0 },
      { namespace: "kube-system", objects: 1, denied: 0, excluded: 1, notChecked: 0 },
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
    // the two Namespaces are read too: counted, and not checked (no definition checks Namespace), as azpol test says
    expect(out.objects).toBe(4);
    expect(out.objectsRead).toBe(7);
    expect(out.denied).toEqual([expect.objectContaining({ kind: "Deployment", name: "api", owns: ["Pod api-5c-a", "ReplicaSet api-5c", "Pod api-5c-b"], definitions: ["k8s-gcr-deprecation"] })]);
    expect(out.byImage).toEqual([{ image: "k8s.gcr.io/etcd:3.5.0", objects: 1, namespaces: ["shop"], definitions: ["k8s-gcr-deprecation"] }]);
    const text = azpol(["impact", "-"], { cwd: dir, input: stringify(list) });
    expect(text.stdout).toContain("7 object(s) from stdin, 4 counting each workload once with what it owns: 1 would be denied, 1 excluded, 2 not checked");
    expect(text.stdout).toContain("k8s.gcr.io/etcd:3.5.0: 1 workload(s) in shop, denied by k8s-gcr-deprecation");
    expect(text.stdout).toContain("Deployment shop/api (with 2 Pod(s), 1 ReplicaSet): k8s.gcr.io/etcd:3.5.0\n");
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

  it("gives every object read from stdin the verdict azpol test gives it: kinds no definition checks are counted and named as not checked, and a run that checked nothing fails", () => {
    const rollout = { apiVersion: "argoproj.io/v1alpha1", kind: "Rollout", metadata: { name: "ro", namespace: "shop", uid: "1" }, spec: { template: { spec: { containers: [{ name: "c", image: "k8s.gcr.io/pause" }] } } } };
    const legacy = { ...deployment("dext", "shop", "k8s.gcr.io/pause"), apiVersion: "extensions/v1beta1", metadata: { name: "dext", namespace: "shop", uid: "2" } };
    const unchecked = stringify({ apiVersion: "v1", kind: "List", items: [rollout, legacy] });
    writeFileSync(join(dir, "unchecked.yaml"), unchecked);
    // the oracle for the verdicts is azpol test on the same objects
    const tested = azpol(["test", "unchecked.yaml", "--json"], { cwd: dir });
    expect(tested.status).toBe(1);
    const testReasons = (JSON.parse(tested.stdout) as { objects: { verdict: string; reason?: string }[] }).objects.map((o) => `${o.verdict}: ${o.reason ?? ""}`);
    const run = azpol(["impact", "-", "--json"], { cwd: dir, input: unchecked });
    expect(run.status, run.stderr).toBe(1);
    const out = JSON.parse(run.stdout) as Impact & { notChecked: { kind: string; name: string; images: string[]; reason: string }[]; nothingChecked: boolean };
    expect(matchesCliSchema("impact", out)).toBe(true);
    expect(out.objectsRead).toBe(2);
    expect(out.denied).toEqual([]);
    expect(out.nothingChecked).toBe(true);
    expect(out.notChecked.map((n) => `not checked: ${n.reason}`)).toEqual(testReasons);
    expect(out.notChecked.map((n) => `${n.kind} ${n.name} ${n.images.join(",")}`)).toEqual(["Rollout ro k8s.gcr.io/pause", "Deployment dext k8s.gcr.io/pause"]);
    expect(out.notChecked[0]?.reason).toMatch(/^no definition checks argoproj\.io\/Rollout/);
    expect(out.notChecked[1]?.reason).toMatch(/^no definition checks extensions\/Deployment/);
    const text = azpol(["impact", "-"], { cwd: dir, input: unchecked });
    expect(text.status).toBe(1);
    expect(text.stdout).toContain("2 object(s) from stdin, 2 counting each workload once with what it owns: 0 would be denied, 0 excluded, 2 not checked");
    expect(text.stdout).toMatch(/Rollout shop\/ro \[k8s\.gcr\.io\/pause\]: not checked \(no definition checks argoproj\.io\/Rollout/);
    expect(text.stderr).toContain("nothing was checked");
  });

  it("counts a ConfigMap beside the workloads (every object read) and still judges the rest", () => {
    const cm = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cm", namespace: "shop" }, data: { a: "b" } };
    const run = azpol(["impact", "-", "--json"], { cwd: dir, input: stringify({ apiVersion: "v1", kind: "List", items: [pod("bad", "shop", "k8s.gcr.io/pause:3.9"), pod("good", "shop", "registry.k8s.io/pause:3.9"), pod("sys", "kube-system", "k8s.gcr.io/pause:3.9"), cm] }) });
    expect(run.status).toBe(1);
    const out = JSON.parse(run.stdout) as Impact & { notChecked: { kind: string; name: string }[]; nothingChecked: boolean };
    expect(matchesCliSchema("impact", out)).toBe(true);
    expect(out.objectsRead).toBe(4);
    expect(out.denied.map((d) => d.name)).toEqual(["bad"]);
    expect(out.excluded.map((e) => e.name)).toEqual(["sys"]);
    expect(out.notChecked.map((n) => `${n.kind} ${n.name}`)).toEqual(["ConfigMap cm"]);
    expect(out.nothingChecked).toBe(false);
  });

  it("names per image only the images the violations are about: not an allowed image whose name is inside a denied one, and image volumes too", () => {
    const sub = { apiVersion: "v1", kind: "Pod", metadata: { name: "sub" }, spec: { containers: [{ name: "a", image: "nginx" }, { name: "b", image: "k8s.gcr.io/ingress-nginx/controller:v1.1.1" }] } };
    const vol = { apiVersion: "v1", kind: "Pod", metadata: { name: "vol", namespace: "default" }, spec: { containers: [{ name: "c", image: "registry.k8s.io/pause:3.9" }], volumes: [{ name: "v", image: { reference: "k8s.gcr.io/etcd:3.5.0-0" } }] } };
    const input = stringify({ apiVersion: "v1", kind: "List", items: [sub, vol] });
    const run = azpol(["impact", "-", "--json"], { cwd: dir, input });
    const out = JSON.parse(run.stdout) as Omit<Impact, "denied"> & { denied: { name: string; images: string[]; deniedImages: string[] }[] };
    expect(out.byImage.map((i) => i.image).sort()).toEqual(["k8s.gcr.io/etcd:3.5.0-0", "k8s.gcr.io/ingress-nginx/controller:v1.1.1"]);
    expect(out.denied.map((d) => `${d.name}: ${d.deniedImages.join(",")} of ${d.images.join(",")}`)).toEqual([
      "sub: k8s.gcr.io/ingress-nginx/controller:v1.1.1 of nginx,k8s.gcr.io/ingress-nginx/controller:v1.1.1",
      "vol: k8s.gcr.io/etcd:3.5.0-0 of registry.k8s.io/pause:3.9,k8s.gcr.io/etcd:3.5.0-0",
    ]);
    // a Pod without metadata.namespace is not shown with an empty namespace name
    const text = azpol(["impact", "-"], { cwd: dir, input });
    expect(text.stdout).toContain("k8s.gcr.io/ingress-nginx/controller:v1.1.1: 1 workload(s) in (no namespace), denied by k8s-gcr-deprecation");
    expect(text.stdout).toContain("Pod default/vol: k8s.gcr.io/etcd:3.5.0-0 (also runs registry.k8s.io/pause:3.9)");
    expect(text.stdout).not.toMatch(/ in ,|^ {2}nginx:|registry\.k8s\.io\/pause:3\.9: /m);
  });

  it.skipIf(existsSync("/var/run/secrets/kubernetes.io/serviceaccount/token"))("with no kubeconfig, says so and how to go on (--kubeconfig, or kubectl output on stdin), exit 2", async () => {
    const home = join(dir, "empty-home");
    const run = await azpolAsync(["impact", "--json"], { cwd: dir, env: { HOME: home, KUBECONFIG: "" } });
    expect(run.status, run.stderr).toBe(2);
    const doc = JSON.parse(run.stdout) as { error: { code: string; message: string } };
    expect(matchesCliSchema("impact", doc)).toBe(true);
    expect(doc.error.message).toMatch(/^no kubeconfig found \(KUBECONFIG is not set and ~\/\.kube\/config does not exist\): pass --kubeconfig <file>/);
    expect(doc.error.message).toContain("-o yaml | azpol impact -");
    expect(run.stderr).not.toMatch(/localhost:8080|HTTP protocol/);
  });

  it("a cluster that refuses the connection is exit 3 (the cluster could not be reached), as --help says, with valid --json", async () => {
    const gone = new FakeKube({ token: "t", objects });
    await gone.start();
    writeFileSync(join(dir, "refused.kubeconfig"), gone.kubeconfig("gone"));
    await gone.stop(); // nothing listens on its port any more: connect ECONNREFUSED
    const run = await azpolAsync(["impact", "--kubeconfig", join(dir, "refused.kubeconfig"), "--json"], { cwd: dir });
    expect(run.status, run.stderr).toBe(3);
    const doc = JSON.parse(run.stdout) as { error: { code: string; message: string } };
    expect(matchesCliSchema("impact", doc)).toBe(true);
    expect(doc.error.code).toBe("ClusterUnreachable");
    expect(doc.error.message).toMatch(/^cannot reach the cluster at https:\/\/127\.0\.0\.1:\d+ \(listing namespaces\): .*ECONNREFUSED/);
    expect(doc.error.message).not.toMatch(/HTTP ECONNREFUSED/);
    const help = azpol(["impact", "--help"], { cwd: dir });
    expect(help.stdout.replace(/\s+/g, " ")).toMatch(/3 the cluster could not be reached \(connection refused/);
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
