// Objects the API server would refuse (strict field validation, the default of kubectl since
// 1.27, and metadata.name validation) never reach an admission webhook: `azpol test` reports them
// as "rejected by the API server" with the server's reason instead of judging them. Kinds only
// the cluster knows (CRDs) are left to be judged. generateName objects are shown as kubectl
// prints them: the prefix and the server's 5-character suffix (unknown before the request).
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { azpol } from "../support/cli.js";
import { matchesCliSchema } from "../support/cli-schemas.js";

const root = join(import.meta.dirname, "..", "..");
const dir = mkdtempSync(join(tmpdir(), "azpol-rejected-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const repos = ["--param", "repos=private.example.com"];

beforeAll(() => {
  cpSync(join(root, "test", "fixtures", "templates", "classic-allowedrepos", "template.yaml"), join(dir, "classic.yaml"));
  const made = azpol(["new", "--from-template", "classic.yaml", "-n", "allowed-repos"], { cwd: dir });
  expect(made.status, made.stderr).toBe(0);
  writeFileSync(
    join(dir, "app.yaml"),
    `apiVersion: v1
kind: Pod
metadata: {name: typo, namespace: shop}
spec: {containers: [{name: c, image: k8s.gcr.io/pause:3.9, imagePullPolicyy: Always}]}
---
apiVersion: v1
kind: Pod
metadata: {name: Bad_Name, namespace: shop}
spec: {containers: [{name: c, image: private.example.com/web:1}]}
---
apiVersion: v1
kind: Pod
metadata: {generateName: web-, namespace: shop}
spec: {containers: [{name: c, image: k8s.gcr.io/pause:3.9}]}
---
apiVersion: v1
kind: Pod
metadata: {name: good, namespace: shop}
spec: {containers: [{name: c, image: private.example.com/web:1}]}
---
apiVersion: example.com/v1
kind: Widget
metadata: {name: Any_Name, namespace: shop}
spec: {whateverField: 1, image: k8s.gcr.io/pause:3.9}
`,
  );
});

interface Report {
  ok: boolean;
  objects: { object: string; verdict: string; reason?: string; violations: unknown[] }[];
}

describe("objects the API server would reject", () => {
  it("are reported as rejected with the server's reason (text); the run fails", () => {
    const run = azpol(["test", "app.yaml", ...repos], { cwd: dir });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/Pod shop\/typo.*rejected by the API server \(unknown field "spec\.containers\[0\]\.imagePullPolicyy"\)/);
    expect(run.stdout).toMatch(/Pod shop\/Bad_Name.*rejected by the API server \(metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/);
    expect(run.stdout).toContain("2 rejected by the API server");
  });

  it("--json: rejected objects are not judged, valid ones and CRD objects are, generateName shown as kubectl prints it", () => {
    const run = azpol(["test", "app.yaml", "--json", ...repos], { cwd: dir });
    const report = JSON.parse(run.stdout) as Report;
    expect(matchesCliSchema("test", report)).toBe(true);
    expect(report.ok).toBe(false);
    const by = new Map(report.objects.map((o) => [o.object.split(" ").at(-1), o]));
    expect(by.get("shop/typo")).toMatchObject({ verdict: "rejected", violations: [] });
    expect(by.get("shop/Bad_Name")).toMatchObject({ verdict: "rejected", violations: [] });
    // generateName "web-": the server names it web-xxxxx; judged like any Pod (its image is denied)
    expect(by.get("shop/web-#####")?.verdict).toBe("violations");
    expect(by.get("shop/good")?.verdict).toBe("ok");
    // a CRD's schema lives in the cluster: unknown fields and names are not ours to reject
    expect(by.get("shop/Any_Name")?.verdict).toBe("not checked");
  });
});
