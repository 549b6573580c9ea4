// `azpol test` answers what the cluster would answer or says why it cannot: no default target
// that reads templates as workloads, a parameter Azure would require is required here, and an
// object no constraint judged is "excluded" or "not checked" (with the reason) in every format,
// never "ok". The project is what a new user makes: `azpol new --from-template` of the classic
// k8sallowedrepos template, whose `repos` has no default.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { XMLParser } from "fast-xml-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { azpol } from "../support/cli.js";
import { matchesCliSchema } from "../support/cli-schemas.js";

const root = join(import.meta.dirname, "..", "..");
const dir = mkdtempSync(join(tmpdir(), "azpol-verdicts-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CLASSIC = join(root, "test", "fixtures", "templates", "classic-allowedrepos", "template.yaml");
const repos = ["--param", "repos=private.example.com"];

beforeAll(() => {
  cpSync(CLASSIC, join(dir, "classic.yaml"));
  const made = azpol(["new", "--from-template", "classic.yaml", "-n", "allowed-repos"], { cwd: dir });
  expect(made.status, made.stderr).toBe(0);
  mkdirSync(join(dir, "m"));
  writeFileSync(
    join(dir, "m", "app.yaml"),
    `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec: {containers: [{name: c, image: private.example.com/web:1}]}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg, namespace: shop}
---
apiVersion: v1
kind: Pod
metadata: {name: sys, namespace: kube-system}
spec: {containers: [{name: c, image: nginx:1.25}]}
`,
  );
});

describe("no paths", () => {
  it("with no suite in the project, says what to pass instead of reading templates as manifests", () => {
    const run = azpol(["test"], { cwd: dir });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("nothing to test: no gator suite (kind: Suite) under constraint-templates/");
    expect(run.stderr).toContain("azpol test manifests/");
    expect(run.stdout).not.toContain("ok");
  });

  it("with suites under constraint-templates/, runs them (and only them)", () => {
    const project = mkdtempSync(join(tmpdir(), "azpol-verdicts-suites-"));
    try {
      cpSync(join(root, "constraint-templates"), join(project, "constraint-templates"), { recursive: true });
      const run = azpol(["test", "--json"], { cwd: project });
      const report = JSON.parse(run.stdout) as { ok: boolean; cases: unknown[]; objects: unknown[] };
      expect(report.cases.length).toBeGreaterThan(0);
      expect(report.objects).toEqual([]);
      expect(run.status).toBe(report.ok ? 0 : 1);
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });
});

describe("a parameter with no default and no value", () => {
  it("is an error naming the parameter and how to pass it, for test, in text and --json", () => {
    const run = azpol(["test", "m"], { cwd: dir });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('definition allowed-repos: parameter "repos" (Array) has no default and no value; Azure requires one when the definition is assigned. Pass it with --param repos=first,second');
    const json = azpol(["test", "m", "--json"], { cwd: dir });
    expect(json.status).toBe(2);
    expect(json.stdout).toContain("repos");
  });

  it("is satisfied by --param", () => {
    expect(azpol(["test", "m", ...repos], { cwd: dir }).status).toBe(0);
  });
});

describe("objects no constraint judged", () => {
  it("are excluded or not checked with the reason, and only judged objects count as checked", () => {
    const run = azpol(["test", "m", ...repos], { cwd: dir });
    expect(run.stdout).toContain("m/app.yaml#0 v1 Pod shop/web: ok\n");
    expect(run.stdout).toContain("m/app.yaml#1 v1 ConfigMap shop/cfg: not checked (no definition checks ConfigMap (their kinds: Pod, Deployment,");
    expect(run.stdout).toContain("m/app.yaml#2 v1 Pod kube-system/sys: excluded (namespace kube-system is in excludedNamespaces)");
    expect(run.stdout).toContain("3 objects read: 1 checked against 1 policy (0 with violations, 1 ok), 1 excluded, 1 not checked");
    expect(run.status).toBe(0);
  });

  it("a ConstraintTemplate given as a manifest is not checked, and a run that checked nothing fails (text, json, sarif, junit agree)", () => {
    const text = azpol(["test", "classic.yaml", ...repos], { cwd: dir });
    expect(text.stdout).toContain("classic.yaml#0 templates.gatekeeper.sh/v1beta1 ConstraintTemplate k8sallowedrepos: not checked (a ConstraintTemplate is policy, not a workload");
    expect(text.stdout).not.toMatch(/: ok$/m);
    expect(text.stdout).toContain("1 object read: 0 checked against 1 policy, 1 not checked");
    expect(text.stdout).toContain("nothing was checked");
    expect(text.status).toBe(1);

    const json = azpol(["test", "classic.yaml", ...repos, "--json"], { cwd: dir });
    const doc = JSON.parse(json.stdout) as { ok: boolean; objects: { verdict: string; reason: string }[] };
    expect(matchesCliSchema("test", doc)).toBe(true);
    expect(doc.ok).toBe(false);
    expect(doc.objects.map((o) => o.verdict)).toEqual(["not checked"]);
    expect(doc.objects[0]?.reason).toContain("ConstraintTemplate is policy");
    expect(json.status).toBe(1);

    const sarif = azpol(["test", "classic.yaml", ...repos, "--format", "sarif"], { cwd: dir });
    const results = (JSON.parse(sarif.stdout) as { runs: { results: { ruleId: string; level: string }[] }[] }).runs[0]?.results;
    expect(results?.map((r) => [r.ruleId, r.level])).toEqual([
      ["azpol/not-checked", "note"],
      ["azpol/nothing-checked", "error"],
    ]);
    expect(sarif.status).toBe(1);

    const junit = azpol(["test", "classic.yaml", ...repos, "--format", "junit"], { cwd: dir });
    const xml = new XMLParser({ ignoreAttributes: false }).parse(junit.stdout) as { testsuites: { "@_errors": string; testsuite: { testcase: unknown }[] | { "@_skipped": string } } };
    expect(xml.testsuites["@_errors"]).toBe("1");
    expect(junit.stdout).toContain('<skipped message="not checked: a ConstraintTemplate is policy');
    expect(junit.status).toBe(1);
  });

  it("--json of a mixed folder carries each verdict and validates against the schema", () => {
    const run = azpol(["test", "m", ...repos, "--json"], { cwd: dir });
    const doc = JSON.parse(run.stdout) as { ok: boolean; objects: { verdict: string }[] };
    expect(matchesCliSchema("test", doc)).toBe(true);
    expect(doc.objects.map((o) => o.verdict)).toEqual(["ok", "not checked", "excluded"]);
    expect(doc.ok).toBe(true);
  });
});

describe("a folder is read as kubectl apply -f reads it", () => {
  it("reads dotfiles, names what it skips, and reads subfolders only with -R", () => {
    const folder = join(dir, "f");
    mkdirSync(join(folder, "sub"), { recursive: true });
    const pod = (name: string, image: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: shop}\nspec: {containers: [{name: c, image: ${image}}]}\n`;
    writeFileSync(join(folder, "app.yaml"), pod("app", "private.example.com/app:1"));
    writeFileSync(join(folder, ".bad.yaml"), pod("bad", "k8s.gcr.io/pause:3.9"));
    writeFileSync(join(folder, "README.md"), "# not a manifest\n");
    writeFileSync(join(folder, "sub", "deep.yaml"), pod("deep", "k8s.gcr.io/pause:3.9"));

    const run = azpol(["test", "f", ...repos], { cwd: dir });
    expect(run.stdout).toContain("f/.bad.yaml#0 v1 Pod shop/bad\n");
    expect(run.stdout).not.toContain("deep");
    expect(run.stderr).toContain("skipped f/README.md: not a .json, .yaml or .yml file");
    expect(run.stderr).toContain("skipped f/sub: a subfolder; kubectl apply -f reads subfolders only with -R");
    expect(run.status).toBe(1);

    const json = JSON.parse(azpol(["test", "f", ...repos, "--json"], { cwd: dir }).stdout) as { skipped: { path: string }[]; objects: { location: string }[] };
    expect(matchesCliSchema("test", json)).toBe(true);
    expect(json.skipped.map((s) => s.path)).toEqual(["f/README.md", "f/sub"]);
    expect(json.objects.map((o) => o.location)).toEqual(["f/.bad.yaml#0", "f/app.yaml#0"]);

    const recursive = JSON.parse(azpol(["test", "-R", "f", ...repos, "--json"], { cwd: dir }).stdout) as { skipped: { path: string }[]; objects: { location: string }[] };
    expect(recursive.objects.map((o) => o.location)).toEqual(["f/.bad.yaml#0", "f/app.yaml#0", "f/sub/deep.yaml#0"]);
    expect(recursive.skipped.map((s) => s.path)).toEqual(["f/README.md"]);
  });
});

describe("reach and --attack on a template azpol did not write", () => {
  it("azpol test warns, per kind, about what the classic template cannot see, and says source: All fixes the workloads", () => {
    const run = azpol(["test", "m", ...repos], { cwd: dir });
    expect(run.stderr).toContain("warning AZP3016: definition allowed-repos: template k8sallowedrepos cannot see ephemeralContainers[].image, volumes[].image.reference of a Pod");
    expect(run.stderr).toMatch(/cannot see any image in its pod spec of a Deployment: .*setting `source: All` in the definition makes it see containers\[\]\.image, initContainers\[\]\.image \(Gatekeeper expands/);
    const json = JSON.parse(azpol(["test", "m", ...repos, "--json"], { cwd: dir }).stdout) as { reach: { gaps: { kind: string; field: string }[] }[] };
    expect(matchesCliSchema("test", json)).toBe(true);
    expect(json.reach[0]?.gaps.map((g) => `${g.kind}.${g.field}`)).toContain("Pod.ephemeralContainers");
  });

  it("validate reports the same reach warnings as AZP3016 diagnostics; warm, from the cache, it starts no engine", () => {
    const tested = azpol(["test", "m", ...repos], { cwd: dir, env: { AZPOL_CACHE_DIR: join(dir, "cache-test") } });
    const prefix = "warning AZP3016: ";
    const fromTest = tested.stderr.split("\n").filter((l) => l.startsWith(prefix)).map((l) => l.slice(prefix.length));
    expect(fromTest.length).toBeGreaterThan(1);
    const cache = join(dir, "cache-validate");
    // cold: probed on the engine; warm: an engine that cannot start proves the answer came from the cache
    for (const env of [{ AZPOL_CACHE_DIR: cache }, { AZPOL_CACHE_DIR: cache, AZPOL_ENGINE_PATH: join(dir, "no-such-engine") }]) {
      const run = azpol(["validate", ...repos, "--json"], { cwd: dir, env });
      expect(run.status, run.stderr).toBe(0);
      const doc = JSON.parse(run.stdout) as { diagnostics: { code: string; severity: string; message: string; file: string }[] };
      expect(matchesCliSchema("validate", doc)).toBe(true);
      const reach = doc.diagnostics.filter((d) => d.code === "AZP3016");
      expect(reach.map((d) => d.message).sort()).toEqual([...fromTest].sort());
      expect(reach.every((d) => d.severity === "warning" && d.file.endsWith("definition.yaml"))).toBe(true);
    }
    const text = azpol(["validate", ...repos], { cwd: dir, env: { AZPOL_CACHE_DIR: cache } });
    expect(text.stderr).toMatch(/definition\.yaml warning AZP3016 definition allowed-repos: template k8sallowedrepos cannot see any image in its pod spec of a Deployment/);
    // with no value for repos there is nothing to probe with (azpol test asks for --param): no AZP3016, not a false "sees all"
    const unset = JSON.parse(azpol(["validate", "--json"], { cwd: dir, env: { AZPOL_CACHE_DIR: cache } }).stdout) as { diagnostics: { code: string }[] };
    expect(unset.diagnostics.filter((d) => d.code === "AZP3016")).toEqual([]);
  });

  it("azpol test --attack reports each family that gets through with its object, exit 1; --json matches the schema", () => {
    const run = azpol(["test", "--attack", ...repos], { cwd: dir });
    expect(run.status).toBe(1);
    for (const family of ["host-suffix", "path", "ephemeral-container", "image-volume", "workload-kind"]) expect(run.stdout).toContain(`GETS THROUGH ${family}:`);
    expect(run.stdout).toContain('"private.example.com.evil.example/azpol-probe:1.0"');
    expect(run.stdout).toContain("denied       init-container");
    const json = JSON.parse(azpol(["test", "--attack", ...repos, "--json"], { cwd: dir }).stdout) as { ok: boolean; attacks: { bypasses: { family: string; object: { kind: string } }[] }[] };
    expect(matchesCliSchema("test", json)).toBe(true);
    expect(json.ok).toBe(false);
    expect(json.attacks[0]?.bypasses.find((b) => b.family === "workload-kind")?.object.kind).toBe("Deployment");
    expect(azpol(["test", "--attack", "m", ...repos], { cwd: dir }).status).toBe(2);
  });
});
