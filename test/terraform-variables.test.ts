// main.tf's `parameters` variable is checked at plan time by the real terraform: a misspelt name,
// a value of the wrong type or one outside allowedValues fails `terraform plan` with the
// variable's message, and correct values pass. The variable block is planned on its own (with an
// output that shows it), so no provider is needed; the provider (azurerm) cannot be had here.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
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
