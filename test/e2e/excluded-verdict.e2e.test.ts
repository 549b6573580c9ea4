// One verdict per object across test, fix and impact: a Pod in kube-system (in the preset's
// excludedNamespaces) is "excluded (namespace kube-system is in excludedNamespaces)" in all three,
// counted, never "ok" and never dropped, with a hint on how to include it; --param
// excludedNamespaces= includes it, and then all three deny it (and fix moves it).
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { azpolAsync } from "../support/cli.js";
import { matchesCliSchema } from "../support/cli-schemas.js";

const work = mkdtempSync(join(tmpdir(), "azpol-excluded-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const manifest = `apiVersion: v1
kind: Pod
metadata: {name: dns, namespace: kube-system}
spec:
  containers:
  - {name: c, image: k8s.gcr.io/coredns:1.8.6}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec:
  containers:
  - {name: c, image: k8s.gcr.io/pause:3.9}
---
apiVersion: v1
kind: Pod
metadata: {name: fine, namespace: shop}
spec:
  containers:
  - {name: c, image: registry.k8s.io/pause:3.9}
`;

let seed: string;
beforeAll(async () => {
  seed = join(work, "seed");
  mkdirSync(join(seed, "k8s"), { recursive: true });
  const made = await azpolAsync(["new", "--preset", "k8s-gcr-deprecation"], { cwd: seed });
  if (made.status !== 0) throw new Error(made.stderr);
  writeFileSync(join(seed, "k8s", "pods.yaml"), manifest);
});

const copy = (name: string) => {
  const dir = join(work, name);
  cpSync(seed, dir, { recursive: true });
  return dir;
};

const EXCLUDED = "excluded (namespace kube-system is in excludedNamespaces)";

describe("the excluded verdict", () => {
  it("test shows and counts the kube-system Pod as excluded, in text, JSON and JUnit, with a hint", async () => {
    const text = await azpolAsync(["test", "k8s"], { cwd: seed });
    expect(text.stdout).toContain(`k8s/pods.yaml#0 v1 Pod kube-system/dns: ${EXCLUDED}`);
    expect(text.stdout).toContain("k8s/pods.yaml#2 v1 Pod shop/fine: ok");
    expect(text.stdout).toContain("3 objects read: 2 checked against 1 policy (1 with violations, 1 ok), 1 excluded");
    expect(text.stderr).toMatch(/hint: 1 object\(s\) excluded by the assignment's match \(namespace kube-system is in excludedNamespaces\): to check them anyway, pass --param excludedNamespaces=/);
    expect(text.status).toBe(1);
    const json = await azpolAsync(["test", "k8s", "--json"], { cwd: seed });
    const out = JSON.parse(json.stdout) as { objects: { object: string; verdict: string; excluded: { constraint: string; reason: string }[] }[] };
    expect(matchesCliSchema("test", out)).toBe(true);
    expect(out.objects.map((o) => `${o.object}: ${o.verdict}`)).toEqual(["v1 Pod kube-system/dns: excluded", "v1 Pod shop/web: violations", "v1 Pod shop/fine: ok"]);
    expect(out.objects[0]?.excluded).toEqual([{ constraint: expect.any(String) as unknown, reason: "namespace kube-system is in excludedNamespaces" }]);
    const junit = await azpolAsync(["test", "k8s", "--format", "junit"], { cwd: seed });
    expect(junit.stdout).toMatch(/name="k8s\/pods.yaml#0 v1 Pod kube-system\/dns"><skipped message="excluded: namespace kube-system is in excludedNamespaces"\/>/);
  });

  it("fix says the same about the same Pod and does not move it; --param excludedNamespaces= includes it", async () => {
    const dir = copy("fix");
    const run = await azpolAsync(["fix", "k8s"], { cwd: dir });
    expect(run.stderr).toContain(`k8s/pods.yaml:6: ${EXCLUDED}: k8s.gcr.io/coredns:1.8.6 is not moved`);
    expect(run.stderr).toMatch(/image references: 1 moved, 0 need a human, 1 excluded \(not moved\)/);
    expect(run.stderr).toMatch(/hint: 1 image\(s\) excluded/);
    expect(run.status).toBe(0);
    const after = readFileSync(join(dir, "k8s", "pods.yaml"), "utf8");
    expect(after).toBe(manifest.replace("image: k8s.gcr.io/pause:3.9", "image: registry.k8s.io/pause:3.9"));
    const json = await azpolAsync(["fix", "k8s", "--json", "--dry-run"], { cwd: dir });
    expect((JSON.parse(json.stdout) as { excluded: unknown[] }).excluded).toEqual([{ file: "k8s/pods.yaml", line: 6, image: "k8s.gcr.io/coredns:1.8.6", reason: "namespace kube-system is in excludedNamespaces" }]);
    const included = await azpolAsync(["fix", "k8s", "--param", "excludedNamespaces="], { cwd: dir });
    expect(included.status, included.stderr).toBe(0);
    expect(readFileSync(join(dir, "k8s", "pods.yaml"), "utf8")).toBe(manifest.replace(/k8s\.gcr\.io/g, "registry.k8s.io"));
  });

  it("test with --param excludedNamespaces= judges it, and it is denied", async () => {
    const run = await azpolAsync(["test", "k8s", "--param", "excludedNamespaces=", "--json"], { cwd: seed });
    const out = JSON.parse(run.stdout) as { objects: { object: string; verdict: string }[] };
    expect(out.objects.map((o) => o.verdict)).toEqual(["violations", "violations", "ok"]);
  });
});
