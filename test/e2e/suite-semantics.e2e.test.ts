// Gator's Suite semantics (GK v3.19.1 pkg/gator/verify), each with a suite written here in
// gator's format, through `azpol test`. Where azpol gives an answer it must be gator's (the
// real gator is asked too when installed: CI installs it); where azpol cannot evaluate
// something, it must say so for each case, never pass it. CEL is judged by Gatekeeper's own
// k8scel driver and expansion by gator's expander, both linked into the native engine.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gatorPath } from "../../scripts/gator-support.js";
import { azpol } from "../support/cli.js";

const root = join(import.meta.dirname, "..", "..");
const dir = mkdtempSync(join(tmpdir(), "azpol-suites-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const pod = (image: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: default}\nspec: {containers: [{name: c, image: "${image}"}]}\n`;
const constraint = (registries: unknown) =>
  `apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: K8sAzpolDisallowedRegistries\nmetadata: {name: c}\nspec:\n  parameters:\n    registries: ${JSON.stringify(registries)}\n`;

beforeAll(() => {
  const s = join(dir, "suites");
  mkdirSync(s, { recursive: true });
  cpSync(join(root, "constraint-templates", "disallowed-registries", "template.yaml"), join(s, "template.yaml"));
  const rego = readFileSync(join(s, "template.yaml"), "utf8");
  // the same template with CEL code beside its Rego: Gatekeeper 3.19.1 evaluates the CEL
  writeFileSync(join(s, "template-cel.yaml"), rego.replace("      rego: |", "      code:\n      - engine: K8sNativeValidation\n        source:\n          validations:\n          - expression: \"false\"\n            message: from-cel\n      rego: |"));
  // a double-quoted scalar continued on a less-indented line: libyaml (kubectl, gator) accepts it
  const odd = rego.replace('    metadata.gatekeeper.sh/title: "Disallowed registries"', '    metadata.gatekeeper.sh/title: "Disallowed\n  registries"');
  if (odd === rego) throw new Error("the template's title line moved; update this fixture");
  writeFileSync(join(s, "template-odd-yaml.yaml"), odd);
  writeFileSync(join(s, "constraint.yaml"), constraint(["k8s.gcr.io"]));
  writeFileSync(join(s, "constraint-bad.yaml"), constraint("k8s.gcr.io"));
  writeFileSync(join(s, "bad.yaml"), pod("K8S.GCR.IO/pause:3.9"));
  writeFileSync(join(s, "good.yaml"), pod("registry.k8s.io/pause:3.9"));
  const podJson = (image: string) => ({ apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "default" }, spec: { containers: [{ name: "c", image }] } });
  const request = { uid: "u1", kind: { group: "", version: "v1", kind: "Pod" }, resource: { group: "", version: "v1", resource: "pods" }, name: "p", namespace: "default", userInfo: { username: "dev" } };
  const review = (extra: Record<string, unknown>, top: Record<string, unknown> = {}) => JSON.stringify({ apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", ...top, ...(extra.request === null ? {} : { request: { ...request, ...extra } }) });
  writeFileSync(join(s, "ar-update.yaml"), review({ operation: "UPDATE", object: podJson("k8s.gcr.io/pause:3.9"), oldObject: podJson("registry.k8s.io/pause:3.9") }));
  writeFileSync(join(s, "ar-delete.yaml"), review({ operation: "DELETE", oldObject: podJson("k8s.gcr.io/pause:3.9") }));
  writeFileSync(join(s, "ar-norequest.yaml"), review({ request: null }));
  writeFileSync(join(s, "ar-unknown.yaml"), review({ operation: "CREATE", object: podJson("registry.k8s.io/pause:3.9") }, { bogus: 1 }));
  const head = "kind: Suite\napiVersion: test.gatekeeper.sh/v1alpha1\nmetadata: {name: checks}\n";
  // not named suite.yaml: gator finds suites by kind
  writeFileSync(
    join(s, "registry-checks.yaml"),
    `${head}tests:
- name: basic
  template: template.yaml
  constraint: constraint.yaml
  cases:
  - name: no-assertions
    object: bad.yaml
    assertions: []
  - name: re2-case-insensitive
    object: bad.yaml
    assertions: [{violations: 1, message: "(?i)from registry .k8s\\\\.gcr\\\\.io."}]
  - name: good
    object: good.yaml
    assertions: [{violations: no}]
  - name: skipped
    object: bad.yaml
    skip: true
    assertions: [{violations: no}]
  - name: admission-update
    object: ar-update.yaml
    assertions: [{violations: 1, message: 'k8s\\.gcr\\.io/pause'}]
  - name: admission-delete-old-object
    object: ar-delete.yaml
    assertions: [{violations: 1}]
  - name: admission-no-request
    object: ar-norequest.yaml
    assertions: [{violations: no}]
  - name: admission-unknown-field
    object: ar-unknown.yaml
    assertions: [{violations: no}]
- name: yaml-gator-accepts
  template: template-odd-yaml.yaml
  constraint: constraint.yaml
  cases:
  - name: odd-yaml-template
    object: bad.yaml
    assertions: [{violations: 1}]
- name: invalid-as-expected
  template: template.yaml
  constraint: constraint-bad.yaml
  invalid: true
- name: invalid-but-valid
  template: template.yaml
  constraint: constraint.yaml
  invalid: true
`,
  );
  // an ExpansionTemplate: a Deployment is also checked as the Pod it makes
  writeFileSync(
    join(s, "expansion.yaml"),
    "apiVersion: expansion.gatekeeper.sh/v1alpha1\nkind: ExpansionTemplate\nmetadata: {name: expand-deployments}\nspec:\n  applyTo: [{groups: [apps], kinds: [Deployment], versions: [v1]}]\n  templateSource: spec.template\n  generatedGVK: {kind: Pod, group: '', version: v1}\n",
  );
  const deployment = (image: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: default}\nspec:\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: c, image: "${image}"}]}\n`;
  writeFileSync(join(s, "deployment-bad.yaml"), deployment("k8s.gcr.io/pause:3.9"));
  writeFileSync(join(s, "deployment-good.yaml"), deployment("registry.k8s.io/pause:3.9"));
  writeFileSync(
    join(s, "engines.yaml"),
    `${head}tests:
- name: cel
  template: template-cel.yaml
  constraint: constraint.yaml
  cases:
  - {name: cel-good, object: good.yaml, assertions: [{violations: 1, message: ^from-cel$}]}
  - {name: cel-bad, object: bad.yaml, assertions: [{violations: 1, message: ^from-cel$}]}
- name: expanded
  template: template.yaml
  constraint: constraint.yaml
  expansion: expansion.yaml
  cases:
  - {name: expanded-good, object: deployment-good.yaml, assertions: [{violations: no}]}
  - {name: expanded-bad, object: deployment-bad.yaml, assertions: [{violations: 1, message: '^\\[Implied by expand-deployments\\] '}]}
`,
  );
  writeFileSync(join(s, "skipped-suite.yaml"), `${head}skip: true\ntests:\n- name: t\n  template: template.yaml\n  constraint: constraint.yaml\n  cases:\n  - {name: e, object: bad.yaml, assertions: [{violations: no}]}\n`);
});

interface Case {
  suite: string;
  test: string;
  case: string;
  status: string;
  problems: string[];
  engine?: string;
}

function run(...extra: string[]): { status: number | null; cases: Case[] } {
  const r = azpol(["test", "suites", "--json", ...extra], { cwd: dir });
  return { status: r.status, cases: (JSON.parse(r.stdout) as { cases: Case[] }).cases };
}

describe("azpol test: gator's Suite semantics", () => {
  it("finds every Suite in a folder by its kind, not its file name", () => {
    const suites = new Set(run().cases.map((c) => c.suite));
    expect(suites).toEqual(new Set(["suites/registry-checks.yaml", "suites/engines.yaml", "suites/skipped-suite.yaml"]));
  });

  it("gives each case gator's outcome", () => {
    const { status, cases } = run();
    const by = (test: string, kase: string) => cases.find((c) => c.test === test && c.case === kase);
    expect(by("basic", "no-assertions")).toMatchObject({ status: "error", problems: ["invalid Case: assertions must be non-empty"] });
    expect(by("basic", "re2-case-insensitive")?.status).toBe("pass");
    expect(by("basic", "good")?.status).toBe("pass");
    expect(by("basic", "skipped")?.status).toBe("skip");
    expect(by("basic", "admission-update")?.status).toBe("pass");
    expect(by("yaml-gator-accepts", "odd-yaml-template")?.status).toBe("pass");
    expect(by("basic", "admission-delete-old-object")?.status).toBe("pass");
    expect(by("basic", "admission-no-request")).toMatchObject({ status: "error", problems: [expect.stringMatching(/has no request/)] });
    expect(by("basic", "admission-unknown-field")).toMatchObject({ status: "error", problems: [expect.stringMatching(/unknown field\(s\) bogus/)] });
    expect(by("invalid-as-expected", "")?.status).toBe("pass");
    expect(by("invalid-but-valid", "")).toMatchObject({ status: "fail" });
    expect(by("t", "e")?.status).toBe("skip");
    expect(status).toBe(1);
  });

  it("judges a template with CEL by its CEL, as Gatekeeper 3.19.1 does, and says so; --engine rego overrides", () => {
    const cel = run().cases.filter((c) => c.test === "cel");
    expect(cel.map((c) => [c.case, c.status, c.engine])).toEqual([
      ["cel-good", "pass", "CEL"],
      ["cel-bad", "pass", "CEL"],
    ]);
    const rego = run("--engine", "rego").cases.filter((c) => c.test === "cel");
    // the Rego passes the good Pod, so "1 violation from-cel" fails there: the Rego decided
    expect(rego.map((c) => [c.case, c.status, c.engine])).toEqual([
      ["cel-good", "fail", "Rego"],
      ["cel-bad", "fail", "Rego"],
    ]);
    const celOnly = run("--engine", "cel").cases.filter((c) => c.test === "basic" && c.case === "good");
    expect(celOnly[0]).toMatchObject({ status: "error", problems: [expect.stringMatching(/has no K8sNativeValidation \(CEL\) code, so --engine cel cannot evaluate it/)] });
  });

  it("checks a Deployment as the Pod its ExpansionTemplate makes, with gator's [Implied by] messages", () => {
    const expanded = run().cases.filter((c) => c.test === "expanded");
    expect(expanded.map((c) => [c.case, c.status])).toEqual([
      ["expanded-good", "pass"],
      ["expanded-bad", "pass"],
    ]);
  });

  it("on the js/wasm engine, which does not link Gatekeeper's CEL driver or expander, says so per case instead of passing", () => {
    const r = azpol(["test", "suites/engines.yaml", "--json"], { cwd: dir, env: { AZPOL_ENGINE: "wasm" } });
    const cases = (JSON.parse(r.stdout) as { cases: Case[] }).cases;
    expect(cases.map((c) => [c.case, c.status])).toEqual([
      ["cel-good", "error"],
      ["cel-bad", "error"],
      ["expanded-good", "error"],
      ["expanded-bad", "error"],
    ]);
    expect(cases[0]?.problems.join()).toMatch(/K8sNativeValidation \(CEL\) code, and only the native engine links Gatekeeper's CEL driver/);
    expect(cases[2]?.problems.join()).toMatch(/only the native azpol engine links/);
    expect(r.status).toBe(1);
  });

  it("agrees with the real gator on every case it answers", () => {
    let gator: string;
    try {
      gator = gatorPath();
    } catch {
      if (process.env.CI) throw new Error("gator must be installed in CI (npm run setup:gator)");
      return;
    }
    const gatorPass = new Map<string, boolean>();
    for (const suite of ["registry-checks.yaml", "engines.yaml"]) {
      const verify = spawnSync(gator, ["verify", "-v", join(dir, "suites", suite)], { encoding: "utf8" });
      for (const m of verify.stdout.matchAll(/^\s+--- (PASS|FAIL): (\S+)/gm)) gatorPass.set(m[2] as string, m[1] === "PASS");
    }
    const ours = run().cases.filter((c) => c.suite !== "suites/skipped-suite.yaml" && c.case !== "" && c.status !== "skip");
    expect(ours.length).toBeGreaterThanOrEqual(3);
    for (const c of ours) expect({ case: c.case, gator: gatorPass.get(c.case) }).toEqual({ case: c.case, gator: c.status === "pass" });
  });
});
