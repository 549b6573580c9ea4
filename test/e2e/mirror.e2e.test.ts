// azpol mirror and fix --to: with both presets (k8s.gcr.io blocked, only myacr.azurecr.io allowed)
// plain fix has nowhere to move anything and says so with a hint; mirror plans cache rules and
// imports (with the az commands) for every denied image; fix --to then rewrites every image to
// its mirrored name, and azpol test passes on the result.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { azpolAsync } from "../support/cli.js";

const dir = mkdtempSync(join(tmpdir(), "azpol-mirror-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const digest = `sha256:${"cd".repeat(32)}`;
const manifest = `apiVersion: v1
kind: Pod
metadata: {name: app, namespace: shop}
spec:
  containers:
  - {name: a, image: k8s.gcr.io/pause:3.9}
  - {name: b, image: prometheus:2.6.1}
  - {name: c, image: "quay.io/brancz/kube-rbac-proxy@${digest}"}
`;

beforeAll(async () => {
  mkdirSync(join(dir, "k8s"));
  writeFileSync(join(dir, "k8s", "app.yaml"), manifest);
  for (const args of [["new", "--preset", "k8s-gcr-deprecation"], ["new", "--preset", "allowed-registries", "--registry", "myacr.azurecr.io"]]) {
    const made = await azpolAsync(args, { cwd: dir });
    if (made.status !== 0) throw new Error(made.stderr);
  }
});

it("plain fix has nowhere allowed to move them, and says how to get there", async () => {
  const run = await azpolAsync(["fix", "k8s", "--dry-run"], { cwd: dir });
  expect(run.status).toBe(1);
  expect(run.stderr).toMatch(/hint: 3 image\(s\) have nowhere allowed to go: mirror them into your registry \(azpol mirror --registry <login server>\), then azpol fix --to <login server>/);
});

it("mirror plans cache rules and imports with the az commands; fix --to moves every image to its mirror and test passes", async () => {
  const plan = await azpolAsync(["mirror", "k8s", "--registry", "myacr.azurecr.io", "--json"], { cwd: dir });
  expect(plan.status, plan.stderr).toBe(1);
  const out = JSON.parse(plan.stdout) as { cacheRules: { sourceRepository: string }[]; imports: { source: string }[]; references: { image: string; mirrored: string }[]; azCommands: string[] };
  expect(out.cacheRules.map((r) => r.sourceRepository)).toEqual(["docker.io/*", "registry.k8s.io/*"]);
  expect(out.imports.map((i) => i.source)).toEqual([`quay.io/brancz/kube-rbac-proxy@${digest}`]);
  expect(out.azCommands).toHaveLength(3);
  const text = await azpolAsync(["mirror", "k8s", "--registry", "myacr.azurecr.io"], { cwd: dir });
  expect(text.stdout).toContain("then: azpol fix --to myacr.azurecr.io");

  const fix = await azpolAsync(["fix", "k8s", "--to", "myacr.azurecr.io"], { cwd: dir });
  expect(fix.status, fix.stderr).toBe(0);
  const after = readFileSync(join(dir, "k8s", "app.yaml"), "utf8");
  for (const { mirrored } of out.references) expect(after).toContain(mirrored);
  expect(after).toBe(
    manifest
      .replace("k8s.gcr.io/pause:3.9", "myacr.azurecr.io/registry.k8s.io/pause:3.9")
      .replace("prometheus:2.6.1", "myacr.azurecr.io/docker.io/library/prometheus:2.6.1")
      .replace("quay.io/brancz", "myacr.azurecr.io/quay.io/brancz"),
  );
  const test = await azpolAsync(["test", "k8s"], { cwd: dir });
  expect(test.status, test.stdout).toBe(0);
});

it("--registry must be a login server", async () => {
  const run = await azpolAsync(["mirror", "--registry", "https://myacr.azurecr.io"], { cwd: dir });
  expect(run.status).toBe(2);
  expect(run.stderr).toMatch(/login server, such as myacr\.azurecr\.io/);
});
