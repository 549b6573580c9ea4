// `azpol test` on a Deployment with the built-in-shaped fixture (source: All): the CLI reports
// the Deployment's own violation and the one of the Pod it would create ([Implied by ...]);
// --param source=Original (what an assignment can set) drops the implied one.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { azpolAsync } from "../support/cli.js";

const root = join(import.meta.dirname, "..", "..");
const work = mkdtempSync(join(tmpdir(), "azpol-builtin-fields-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const manifest = join(work, "d.yaml");
writeFileSync(
  manifest,
  "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: default}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: c, image: docker.io/nginx:1.27}]\n",
);
const run = (extra: string[]) => azpolAsync(["test", manifest, "--definitions", "test/fixtures/definitions/builtin-shapes", "--allow-outside-project", ...extra], { cwd: root });

it("source All: the workload and the Pod it would create", async () => {
  const r = await run([]);
  expect(r.stdout).toMatch(/dryrun azurepolicy-builtin-shapes: container "c" \(spec\.template\.spec\.containers\[0\]\) uses image "docker\.io\/nginx:1\.27"/);
  expect(r.stdout).toMatch(/dryrun azurepolicy-builtin-shapes: \[Implied by expand-workloads\] container "c" \(spec\.containers\[0\]\)/);
});

it("--param source=Original: only the workload itself", async () => {
  const r = await run(["--param", "source=Original"]);
  expect(r.stdout).toMatch(/spec\.template\.spec\.containers\[0\]/);
  expect(r.stdout).not.toMatch(/Implied by/);
});
