// azpol fix and impact judge objects as `azpol test` does: an object the API server would refuse (strict
// field validation, an invalid name; test/e2e/test-rejected.e2e.test.ts) never runs, so its images
// are not moved (fix) or judged (impact): it is listed as "rejected by the API server" with the reasons, and fix exits 1.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { azpol } from "../support/cli.js";

const root = join(import.meta.dirname, "..", "..");
const dir = mkdtempSync(join(tmpdir(), "azpol-fix-rejected-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MANIFEST = `apiVersion: v1
kind: Pod
metadata: {name: good, namespace: shop}
spec:
  containers:
  - name: c
    image: k8s.gcr.io/pause:3.9
---
apiVersion: v1
kind: Pod
metadata: {name: typo, namespace: shop}
spec:
  containers:
  - name: c
    image: k8s.gcr.io/etcd:3.5
    imagePullPolicyy: Always
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: Bad_Name, namespace: shop}
spec:
  selector: {matchLabels: {app: x}}
  template:
    metadata: {labels: {app: x}}
    spec:
      containers:
      - name: c
        image: k8s.gcr.io/coredns:1.7.0
`;

it("moves the images of objects the API server accepts, and lists the others as rejected with the reasons", () => {
  cpSync(join(root, "definitions", "k8s-gcr-deprecation"), join(dir, "definitions", "k8s-gcr-deprecation"), { recursive: true, filter: (s) => !s.includes("golden") });
  cpSync(join(root, "constraint-templates"), join(dir, "constraint-templates"), { recursive: true });
  writeFileSync(join(dir, "app.yaml"), MANIFEST);
  const run = azpol(["fix", "app.yaml", "--json"], { cwd: dir });
  expect(run.status, run.stderr).toBe(1);
  const out = JSON.parse(run.stdout) as { changes: { line: number; newImage: string }[]; rejected: { line: number; image: string; reason: string }[] };
  expect(out.changes).toEqual([expect.objectContaining({ line: 7, newImage: "registry.k8s.io/pause:3.9" })]);
  expect(out.rejected.map((r) => [r.line, r.image])).toEqual([
    [15, "k8s.gcr.io/etcd:3.5"],
    [28, "k8s.gcr.io/coredns:1.7.0"],
  ]);
  expect(out.rejected[0]?.reason).toBe('unknown field "spec.containers[0].imagePullPolicyy"');
  expect(out.rejected[1]?.reason).toContain('metadata.name: Invalid value: "Bad_Name"');
  // only the accepted object's image changed
  expect(readFileSync(join(dir, "app.yaml"), "utf8")).toBe(MANIFEST.replace("k8s.gcr.io/pause:3.9", "registry.k8s.io/pause:3.9"));
  const text = azpol(["fix", "app.yaml", "--dry-run"], { cwd: dir });
  expect(text.stderr).toContain('app.yaml:15: rejected by the API server (unknown field "spec.containers[0].imagePullPolicyy"): k8s.gcr.io/etcd:3.5 is not moved; fix the object first');
  expect(text.stderr).toContain("0 to move, 0 need a human, 2 rejected by the API server");
  expect(text.status).toBe(1);
});

it("impact (stdin) lists objects the API server would refuse as rejected, not judged; objects read back from a cluster are judged", () => {
  // a Pod as kubectl get -o yaml returns it (metadata.uid): a newer server's field is not "unknown" to that server
  const live = `---
apiVersion: v1
kind: Pod
metadata: {name: live, namespace: shop, uid: 7c9e6679-7425-40de-944b-e07fc1f90ae7}
spec:
  futureField: true
  containers:
  - name: c
    image: k8s.gcr.io/pause:3.9
`;
  const run = azpol(["impact", "-", "--json"], { cwd: dir, input: MANIFEST + live });
  expect(run.status, run.stderr).toBe(1);
  const out = JSON.parse(run.stdout) as { denied: { name: string }[]; rejected: { kind: string; name: string; reason: string }[] };
  expect(out.denied.map((d) => d.name).sort()).toEqual(["good", "live"]);
  expect(out.rejected.map((r) => `${r.kind} ${r.name}`)).toEqual(["Pod typo", "Deployment Bad_Name"]);
  expect(out.rejected[0]?.reason).toBe('unknown field "spec.containers[0].imagePullPolicyy"');
  const text = azpol(["impact", "-"], { cwd: dir, input: MANIFEST });
  expect(text.stdout).toContain("2 rejected by the API server (not judged)");
  expect(text.stdout).toContain('Pod shop/typo: rejected by the API server (unknown field "spec.containers[0].imagePullPolicyy")');
});
