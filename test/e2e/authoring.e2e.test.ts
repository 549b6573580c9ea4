// The built CLI end to end: new → validate → build → test, exit codes, --json, and that a
// bad input leaves no partial output.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { azpol } from "../support/cli.js";

const root = join(import.meta.dirname, "..", "..");
const scratch = mkdtempSync(join(tmpdir(), "azpol-e2e-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function project(name: string): string {
  const dir = join(scratch, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

describe("help and usage", () => {
  it.each([[[]], [["build"]], [["validate"]], [["new"]], [["test"]], [["deploy"]], [["status"]]])("azpol %j --help exits 0", (args) => {
    const run = azpol([...args, "--help"], { cwd: scratch });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/Usage: azpol/);
  });

  it("an unknown command or option is a usage error (exit 2)", () => {
    expect(azpol(["frobnicate"], { cwd: scratch }).status).toBe(2);
    const run = azpol(["build", "--formt", "arm"], { cwd: scratch });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/unknown option '--formt'/);
  });

  it("an invalid --format value is a usage error", () => {
    const run = azpol(["build", "--format", "pulumi"], { cwd: scratch });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/Allowed choices are arm, portal, terraform, az, arm-template, bicep, all/);
  });
});

describe("presets", () => {
  it("lists them", () => {
    const run = azpol(["new", "--list", "--json"], { cwd: scratch });
    expect(run.status).toBe(0);
    expect((JSON.parse(run.stdout) as { id: string }[]).map((p) => p.id)).toEqual(["k8s-gcr-deprecation", "allowed-registries"]);
  });

  it("scaffold exactly the shipped definitions, which build to the committed golden files", () => {
    const dir = project("presets");
    expect(azpol(["new", "--preset", "k8s-gcr-deprecation"], { cwd: dir }).status).toBe(0);
    expect(azpol(["new", "--preset", "allowed-registries", "--registry", "myacr.azurecr.io"], { cwd: dir }).status).toBe(0);
    for (const name of ["k8s-gcr-deprecation", "allowed-registries"]) {
      expect(readFileSync(join(dir, "definitions", name, "definition.yaml"), "utf8")).toBe(readFileSync(join(root, "definitions", name, "definition.yaml"), "utf8"));
    }
    const validate = azpol(["validate"], { cwd: dir });
    expect(validate.status).toBe(0);
    expect(validate.stderr).toMatch(/2 sources checked: 0 errors, 0 warnings/);
    const build = azpol(["build", "--out", "out"], { cwd: dir });
    expect(build.status).toBe(0);
    for (const name of ["k8s-gcr-deprecation", "allowed-registries"]) {
      for (const file of ["policy.json", "portal.json", "main.tf"]) {
        expect(readFileSync(join(dir, "out", name, file), "utf8")).toBe(readFileSync(join(root, "definitions", name, "golden", file), "utf8"));
      }
    }
  });

  it("refuse bad input before writing anything", () => {
    const dir = project("preset-errors");
    const noRegistry = azpol(["new", "--preset", "allowed-registries"], { cwd: dir });
    expect(noRegistry.status).toBe(2);
    expect(noRegistry.stderr).toMatch(/needs at least one --registry/);
    expect(azpol(["new", "--preset", "allowed-registries", "--registry", "https://myacr.azurecr.io"], { cwd: dir }).stderr).toMatch(/has a scheme/);
    expect(azpol(["new", "--preset", "nope"], { cwd: dir }).stderr).toMatch(/unknown preset "nope"; use one of: k8s-gcr-deprecation, allowed-registries/);
    expect(existsSync(join(dir, "definitions"))).toBe(false);
    expect(azpol(["new", "--preset", "k8s-gcr-deprecation"], { cwd: dir }).status).toBe(0);
    const again = azpol(["new", "--preset", "k8s-gcr-deprecation"], { cwd: dir });
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/already exists; pass --force/);
  });
});

describe("build", () => {
  it("writes only the asked format, applies --param, and reports as JSON", () => {
    const dir = project("build-json");
    cpSync(join(root, "definitions"), join(dir, "definitions"), { recursive: true });
    cpSync(join(root, "constraint-templates"), join(dir, "constraint-templates"), { recursive: true });
    const run = azpol(["build", "--format", "portal", "--param", "blockedRegistries=k8s.gcr.io,gcr.io/google-containers", "--json", "definitions/k8s-gcr-deprecation"], { cwd: dir });
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as { ok: boolean; written: string[] };
    expect(report).toMatchObject({ ok: true, written: ["out/k8s-gcr-deprecation/portal.json"] });
    const portal = JSON.parse(readFileSync(join(dir, "out", "k8s-gcr-deprecation", "portal.json"), "utf8")) as { parameters: { blockedRegistries: { defaultValue: string[] } } };
    expect(portal.parameters.blockedRegistries.defaultValue).toEqual(["k8s.gcr.io", "gcr.io/google-containers"]);
  });

  it("leaves the previous build untouched when any definition is invalid (exit 1)", () => {
    const dir = project("build-atomic");
    cpSync(join(root, "definitions"), join(dir, "definitions"), { recursive: true });
    cpSync(join(root, "constraint-templates"), join(dir, "constraint-templates"), { recursive: true });
    expect(azpol(["build"], { cwd: dir }).status).toBe(0);
    const before = readFileSync(join(dir, "out", "k8s-gcr-deprecation", "policy.json"), "utf8");
    const def = join(dir, "definitions", "allowed-registries", "definition.yaml");
    writeFileSync(def, readFileSync(def, "utf8").replace("- myacr.azurecr.io", "- MyACR.azurecr.io/*"));
    const src = join(dir, "definitions", "k8s-gcr-deprecation", "definition.yaml");
    writeFileSync(src, readFileSync(src, "utf8").replace("effect: Deny", "effect: Audit"));
    const run = azpol(["build"], { cwd: dir });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^definitions\/allowed-registries\/definition\.yaml:\d+:\d+ error AZP2004 \/parameters\/allowedRegistries\/default\/0: registry "MyACR.azurecr.io\/\*" has a wildcard/m);
    expect(run.stderr).toMatch(/nothing was written/);
    expect(readFileSync(join(dir, "out", "k8s-gcr-deprecation", "policy.json"), "utf8")).toBe(before);
    expect(readdirSync(join(dir, "out")).sort()).toEqual([".azpol-manifest.json", "allowed-registries", "k8s-gcr-deprecation"]);
  });

  it("validate --json lists diagnostics with titles; no sources is a usage error", () => {
    const dir = project("validate-json");
    mkdirSync(join(dir, "definitions", "x"), { recursive: true });
    writeFileSync(join(dir, "definitions", "x", "definition.yaml"), "name: x\n");
    const run = azpol(["validate", "--json"], { cwd: dir });
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as { ok: boolean; diagnostics: { code: string; title: string; line: number }[] };
    expect(report.ok).toBe(false);
    expect(report.diagnostics[0]).toMatchObject({ code: "AZP1002", title: "source does not match the definition schema", line: 1 });
    expect(azpol(["validate", "nowhere"], { cwd: dir }).status).toBe(2);
  });
});

describe("Rego check", () => {
  it("validate and build compile each template with OPA and refuse one that does not compile", () => {
    const dir = project("rego-check");
    cpSync(join(root, "constraint-templates"), join(dir, "constraint-templates"), { recursive: true });
    expect(azpol(["new", "--preset", "k8s-gcr-deprecation"], { cwd: dir }).status).toBe(0);
    const template = join(dir, "constraint-templates", "disallowed-registries", "template.yaml");
    const text = readFileSync(template, "utf8");
    expect(text).toContain("package k8sazpoldisallowedregistries\n");
    writeFileSync(template, text.replace("package k8sazpoldisallowedregistries\n", "package k8sazpoldisallowedregistries\n        violation[{ +\n"));
    const run = azpol(["validate"], { cwd: dir });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^definitions\/k8s-gcr-deprecation\/definition\.yaml error AZP3007 \/template\/path: template k8sazpoldisallowedregistries does not compile: .*rego_(parse|compile)_error/m);
    expect(azpol(["build"], { cwd: dir }).status).toBe(1);
    expect(existsSync(join(dir, "out"))).toBe(false);
  });
});

describe("test", () => {
  it("reports a suite case that needs inventory data as an error", () => {
    const dir = project("inventory");
    cpSync(join(root, "constraint-templates", "disallowed-registries"), dir, { recursive: true });
    writeFileSync(join(dir, "suite.yaml"), readFileSync(join(dir, "suite.yaml"), "utf8").replace("        object: samples/k8s-gcr-io/example_allowed.yaml\n", "        object: samples/k8s-gcr-io/example_allowed.yaml\n        inventory: [samples/k8s-gcr-io/example_allowed.yaml]\n"));
    const run = azpol(["test", "suite.yaml"], { cwd: dir });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("ERR  k8s-gcr-io / example-allowed: inventory (data.inventory) is not supported");
    expect(run.stdout).toMatch(/^8 passed, 1 failed$/m);
  });

  it("runs the shipped suites", () => {
    const run = azpol(["test", join(root, "constraint-templates")], { cwd: root });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^23 passed, 0 failed$/m);
  });

  it("checks multi-document manifests and Lists against the definitions, naming file and document", () => {
    const dir = project("manifests");
    cpSync(join(root, "definitions"), join(dir, "definitions"), { recursive: true });
    cpSync(join(root, "constraint-templates"), join(dir, "constraint-templates"), { recursive: true });
    mkdirSync(join(dir, "manifests"));
    writeFileSync(
      join(dir, "manifests", "app.yaml"),
      `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: myacr.azurecr.io/web:1}]
      initContainers: [{name: init, image: k8s.gcr.io/busybox}]
---
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Pod
    metadata: {name: ok, namespace: shop}
    spec: {containers: [{name: c, image: myacr.azurecr.io/ok:1}]}
  - apiVersion: v1
    kind: Pod
    metadata: {name: sys, namespace: kube-system}
    spec: {containers: [{name: c, image: k8s.gcr.io/pause}]}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg, namespace: shop}
`,
    );
    const run = azpol(["test", "manifests"], { cwd: dir });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("manifests/app.yaml#0 apps/v1 Deployment shop/web\n  deny   azurepolicy-allowed-registries");
    expect(run.stdout).toContain('  deny   azurepolicy-k8s-gcr-deprecation: container "init" (spec.template.spec.initContainers[0]) uses image "k8s.gcr.io/busybox"');
    expect(run.stdout).toContain('  deny   azurepolicy-allowed-registries: container "init"');
    expect(run.stdout).toContain("manifests/app.yaml#1.items[0] v1 Pod shop/ok: ok");
    expect(run.stdout).toContain("manifests/app.yaml#1.items[1] v1 Pod kube-system/sys: excluded (namespace kube-system is in excludedNamespaces)"); // never "ok": nothing judged it
    // a ConfigMap is of a kind no definition checks: never "ok", and not counted as checked
    expect(run.stdout).toContain("manifests/app.yaml#2 v1 ConfigMap shop/cfg: not checked (no definition checks ConfigMap (their kinds: Pod, Deployment");
    expect(run.stdout).toMatch(/4 objects read: 2 checked against 2 policies \(1 with violations, 1 ok\), 1 excluded, 1 not checked/);

    const audit = azpol(["test", "manifests", "--param", "effect=Audit", "--param", "allowedRegistries=myacr.azurecr.io,k8s.gcr.io", "--json"], { cwd: dir });
    const report = JSON.parse(audit.stdout) as { objects: { location: string; violations: { constraint: string; enforcementAction: string }[] }[] };
    expect(report.objects[0]?.violations.map((v) => [v.constraint, v.enforcementAction])).toEqual([["azurepolicy-k8s-gcr-deprecation", "dryrun"]]);
  });
});
