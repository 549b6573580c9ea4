// main.tf's `parameters` variable is checked at plan time by the real terraform: a misspelt name,
// a value of the wrong type or one outside allowedValues fails `terraform plan` with the
// variable's message, and correct values pass. The variable block is planned on its own (with an
// output that shows it), so no provider is needed; the provider (azurerm) cannot be had here.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseOverrides } from "../src/cli/flags.js";
import { buildSources } from "../src/pipeline/read-sources.js";
import { readAnywhere } from "../src/io/project-boundary.js";
import { findTerraform, terraformEnv } from "./support/terraform.js";

const root = join(import.meta.dirname, "..");
const terraform = findTerraform();
const dir = mkdtempSync(join(tmpdir(), "azpol-tfvars-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(() => {
  if (!terraform) return;
  const built = buildSources([join(root, "definitions", "k8s-gcr-deprecation")], ["terraform"], parseOverrides([]), readAnywhere());
  const mainTf = built.artifacts[0]?.content ?? "";
  const block = /^variable "parameters" \{[\s\S]*?^\}$/m.exec(mainTf)?.[0];
  if (!block) throw new Error("main.tf has no parameters variable");
  writeFileSync(join(dir, "main.tf"), `${block}\n\noutput "parameters" {\n  value = var.parameters\n}\n`);
  const init = spawnSync(terraform, ["init", "-input=false", "-no-color"], { cwd: dir, encoding: "utf8", env: terraformEnv() });
  if (init.status !== 0) throw new Error(init.stdout + init.stderr);
});

function plan(parameters: string): { status: number | null; output: string } {
  const run = spawnSync(terraform as string, ["plan", "-input=false", "-no-color", "-var", `parameters=${parameters}`], { cwd: dir, encoding: "utf8", env: terraformEnv() });
  return { status: run.status, output: run.stdout + run.stderr };
}

describe.runIf(terraform !== undefined)("var.parameters at plan time (real terraform)", () => {
  it.each([
    ["{}", "no values: the defaults"],
    ['{ effect = "Audit" }', "an allowed effect"],
    ['{ excludedNamespaces = ["kube-system", "team-a"], labelSelector = { matchLabels = { tier = "web" } }, message = "use registry.k8s.io" }', "every type right"],
  ])("accepts %s (%s)", (value) => {
    const run = plan(value);
    expect(run.output).not.toMatch(/Error/);
    expect(run.status).toBe(0);
  });

  it.each([
    ['{ efect = "Deny" }', /may only set this policy's parameters: effect, excludedNamespaces/],
    ['{ effect = "deny" }', /parameters\.effect must be one of: "Audit", "Deny", "Disabled"/],
    ["{ effect = 5 }", /parameters\.effect must be a string \(String\)/],
    ['{ excludedNamespaces = "kube-system" }', /parameters\.excludedNamespaces must be a list \(Array\)/],
    ['{ labelSelector = ["tier"] }', /parameters\.labelSelector must be an object \(Object\)/],
    ['{ blockedRegistries = { a = "k8s.gcr.io" } }', /parameters\.blockedRegistries must be a list \(Array\)/],
  ])("refuses %s", (value, message) => {
    const run = plan(value);
    expect(run.status).toBe(1);
    expect(run.output).toMatch(/Invalid value for variable/);
    expect(run.output.replace(/\s+/g, " ")).toMatch(message);
  });
});

// audit-builtins finding 8: the example assignments left out parameters without a default, so
// they failed at Azure after the definition was made; each assignment now has a precondition
// (checked by the real terraform at plan time, only for an assignment that is made)
describe.runIf(terraform !== undefined)("an example assignment of a definition with a parameter without default (real terraform)", () => {
  const required = mkdtempSync(join(tmpdir(), "azpol-tfreq-"));
  afterAll(() => rmSync(required, { recursive: true, force: true }));

  beforeAll(() => {
    const source = join(required, "src");
    mkdirSync(source);
    const template = join(root, "constraint-templates", "allowed-registries", "template.yaml");
    writeFileSync(join(source, "definition.yaml"), `name: needs-registries\ndisplayName: Needs registries\ndescription: d\ntemplate:\n  path: ${template}\n  source: Base64Encoded\nparameters:\n  registries:\n    type: Array\n    templateParameter: registries\n`);
    const built = buildSources([source], ["terraform"], parseOverrides([]), readAnywhere());
    const mainTf = built.artifacts.find((a) => a.path.endsWith("main.tf") && !a.path.includes("example"))?.content ?? "";
    const variable = /^variable "parameters" \{[\s\S]*?^\}$/m.exec(mainTf)?.[0];
    const lifecycle = /^resource "azurerm_resource_group_policy_assignment" "this" \{[\s\S]*?(^ {2}lifecycle \{[\s\S]*?^ {2}\})\n\}$/m.exec(mainTf)?.[1];
    if (!variable || !lifecycle) throw new Error(`main.tf has no parameters variable or no assignment precondition:\n${mainTf}`);
    // the assignment's precondition on a resource terraform has without a provider
    writeFileSync(join(required, "main.tf"), `${variable}\n\nresource "terraform_data" "this" {\n  count = 1\n\n${lifecycle}\n}\n`);
    const init = spawnSync(terraform as string, ["init", "-input=false", "-no-color"], { cwd: required, encoding: "utf8", env: terraformEnv() });
    if (init.status !== 0) throw new Error(init.stdout + init.stderr);
  });

  const planRequired = (parameters: string) => {
    const run = spawnSync(terraform as string, ["plan", "-input=false", "-no-color", "-var", `parameters=${parameters}`], { cwd: required, encoding: "utf8", env: terraformEnv() });
    return { status: run.status, output: (run.stdout + run.stderr).replace(/\s+/g, " ") };
  };

  it("fails the plan naming the parameter when it is not set, and plans when it is", () => {
    const missing = planRequired("{}");
    expect(missing.status).toBe(1);
    expect(missing.output).toMatch(/parameters must set registries: they have no default, and Azure refuses an assignment without them/);
    const set = planRequired('{ registries = ["myregistry.azurecr.io"] }');
    expect(set.output).not.toMatch(/Error/);
    expect(set.status).toBe(0);
  });
});
