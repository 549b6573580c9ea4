// `azpol test` twice in one project, as a pre-commit hook or an editor runs it: the first run
// remembers the templates it compiled (the warm plan, in the cache folder, never in the project),
// the second hands them to the engine as it starts. The answer is the same bytes whatever the
// plan holds: remembered, stale, corrupt or absent.
import { cpSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { azpol } from "../support/cli.js";

const root = join(import.meta.dirname, "..", "..");
const project = mkdtempSync(join(tmpdir(), "azpol-warm-project-"));
const cache = mkdtempSync(join(tmpdir(), "azpol-warm-cache-"));
afterAll(() => {
  rmSync(project, { recursive: true, force: true });
  rmSync(cache, { recursive: true, force: true });
});
const env = { AZPOL_CACHE_DIR: cache };
const run = () => azpol(["test", "app.yaml", "--json"], { cwd: project, env });

let first: ReturnType<typeof azpol>;
let planFile: string;
const projectFiles = () => readdirSync(project, { recursive: true }).map(String).sort();
let filesBefore: string[];

beforeAll(() => {
  cpSync(join(root, "definitions"), join(project, "definitions"), { recursive: true });
  cpSync(join(root, "constraint-templates"), join(project, "constraint-templates"), { recursive: true });
  writeFileSync(
    join(project, "app.yaml"),
    `apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: k8s.gcr.io/pause:3.9}]}
---
apiVersion: v1
kind: Pod
metadata: {name: ok, namespace: shop}
spec: {containers: [{name: c, image: registry.k8s.io/pause:3.9}]}
`,
  );
  filesBefore = projectFiles();
  first = run();
  const plans = readdirSync(join(cache, "warm"));
  expect(plans).toHaveLength(1);
  planFile = join(cache, "warm", plans[0] as string);
});

it("the first run judges and remembers its templates outside the project", () => {
  expect(first.status, first.stderr).toBe(1);
  const report = JSON.parse(first.stdout) as { objects: { object: string; verdict: string }[] };
  expect(report.objects.map((o) => [o.object, o.verdict])).toEqual([
    ["v1 Namespace shop", "not checked"],
    ["apps/v1 Deployment shop/web", "violations"],
    ["v1 Pod shop/ok", "violations"],
  ]);
  const plan = JSON.parse(readFileSync(planFile, "utf8")) as { folder: string; templates: { rego: string }[] };
  expect(plan.folder).toBe(realpathSync(project));
  expect(plan.templates.length).toBeGreaterThan(0);
  for (const t of plan.templates) expect(t.rego).toMatch(/^package /m);
  expect(projectFiles()).toEqual(filesBefore);
});

it("the next run gives the same bytes and leaves an unchanged plan alone", () => {
  const inode = statSync(planFile).ino;
  const second = run();
  expect([second.status, second.stdout, second.stderr]).toEqual([first.status, first.stdout, first.stderr]);
  expect(statSync(planFile).ino).toBe(inode);
});

it("a stale or corrupt plan changes nothing but speed", () => {
  const plan = JSON.parse(readFileSync(planFile, "utf8")) as { templates: { rego: string }[] };
  const stale = { ...plan, templates: plan.templates.map((t) => ({ ...t, rego: t.rego.replace(/violation\[/g, "violation_old[") })) };
  writeFileSync(planFile, JSON.stringify(stale));
  const afterStale = run();
  expect([afterStale.status, afterStale.stdout, afterStale.stderr]).toEqual([first.status, first.stdout, first.stderr]);
  expect(JSON.parse(readFileSync(planFile, "utf8"))).toEqual(plan); // remembered again as this run compiled it
  writeFileSync(planFile, "{corrupt");
  const afterCorrupt = run();
  expect([afterCorrupt.status, afterCorrupt.stdout, afterCorrupt.stderr]).toEqual([first.status, first.stdout, first.stderr]);
  expect(projectFiles()).toEqual(filesBefore);
});
