// main.tf reads a Base64Encoded ConstraintTemplate from template.yaml beside it with filebase64()
// instead of carrying the Base64 inline. The real terraform evaluates main.tf's policy_rule
// expression (copied verbatim into a provider-free module next to a copy of template.yaml, since
// path.module is where filebase64 looks), and the JSON it produces must equal policy.json's
// policyRule byte for byte after parsing: same content, same escaping. The full module with the
// provider is applied in test/e2e/terraform-azurerm.e2e.test.ts (npm run check:azurerm).
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseOverrides } from "../src/cli/flags.js";
import { buildSources } from "../src/pipeline/read-sources.js";
import { readAnywhere } from "../src/io/project-boundary.js";
import { findTerraform, terraformEnv } from "./support/terraform.js";

const root = join(import.meta.dirname, "..");
const terraform = findTerraform();
const dir = mkdtempSync(join(tmpdir(), "azpol-tftemplate-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sources = ["definitions", "test/fixtures/definitions"].map((p) => join(root, p));
const built = buildSources(sources, ["terraform", "arm"], parseOverrides([]), readAnywhere());
const names = [...new Set(built.artifacts.map((a) => a.path.split("/")[0] ?? ""))].sort();
const file = (name: string, path: string) => built.artifacts.find((a) => a.path === `${name}/${path}`)?.content;

/** main.tf's `policy_rule = jsonencode({...})` expression: from "jsonencode(" to the "  })" that closes it. */
function policyRuleExpression(mainTf: string): string {
  const m = /^ {2}policy_rule = (jsonencode\(\{\n[\s\S]*?\n {2}\}\))$/m.exec(mainTf);
  if (!m?.[1]) throw new Error("main.tf has no policy_rule");
  return m[1];
}

let outputs: Record<string, { value: string }> = {};

beforeAll(() => {
  if (!terraform) return;
  const env = terraformEnv();
  const calls: string[] = [];
  for (const name of names) {
    mkdirSync(join(dir, name));
    const template = file(name, "template.yaml");
    if (template !== undefined) writeFileSync(join(dir, name, "template.yaml"), template);
    writeFileSync(join(dir, name, "main.tf"), `output "policy_rule" {\n  value = ${policyRuleExpression(file(name, "main.tf") ?? "")}\n}\n`);
    const id = name.replace(/[^A-Za-z0-9_]/g, "_");
    calls.push(`module "${id}" {\n  source = "./${name}"\n}\n\noutput "${id}" {\n  value = module.${id}.policy_rule\n}\n`);
  }
  writeFileSync(join(dir, "main.tf"), calls.join("\n"));
  for (const args of [["init", "-input=false", "-no-color"], ["apply", "-auto-approve", "-input=false", "-no-color"]]) {
    const run = spawnSync(terraform, args, { cwd: dir, encoding: "utf8", env });
    if (run.status !== 0) throw new Error(`terraform ${args[0]}: ${run.stdout}${run.stderr}`);
  }
  const out = spawnSync(terraform, ["output", "-json", "-no-color"], { cwd: dir, encoding: "utf8", env });
  if (out.status !== 0) throw new Error(out.stderr);
  outputs = JSON.parse(out.stdout) as typeof outputs;
});

it("builds every definition, with template.yaml (mutation.yaml) for each Base64Encoded one", () => {
  expect(built.ok).toBe(true);
  expect(names).toEqual(["allowed-registries", "k8s-gcr-deprecation", "team-a-allowed-registries", "builtin-shapes", "mutate-drop-all-capabilities"].sort());
  for (const name of names) {
    type Info = { sourceType: string; content?: string };
    const details = (JSON.parse(file(name, "policy.json") ?? "{}") as { properties: { policyRule: { then: { details: { templateInfo?: Info; mutationInfo?: Info } } } } }).properties.policyRule.then.details;
    // a ConstraintTemplate is template.yaml, a Gatekeeper mutator (a Mutate definition) mutation.yaml
    const [info, beside] = details.mutationInfo ? [details.mutationInfo, "mutation.yaml"] : [details.templateInfo, "template.yaml"];
    const text = file(name, beside);
    if (info?.sourceType === "Base64Encoded") {
      expect(Buffer.from(text ?? "", "utf8").toString("base64")).toBe(info.content);
      expect(file(name, "main.tf")).toContain(`content    = filebase64("\${path.module}/${beside}")`);
      expect(file(name, "main.tf")).not.toContain(info.content);
    } else {
      expect(info?.sourceType).toBe("PublicURL");
      expect(text).toBeUndefined();
    }
  }
});

describe.runIf(terraform !== undefined)("the real terraform evaluates main.tf's policy_rule", () => {
  it.each(names)("%s: equals policy.json's policyRule", (name) => {
    const policy = JSON.parse(file(name, "policy.json") ?? "{}") as { properties: { policyRule: unknown } };
    const value = outputs[name.replace(/[^A-Za-z0-9_]/g, "_")]?.value;
    expect(typeof value, relative(root, dir)).toBe("string");
    expect(JSON.parse(value ?? "null")).toEqual(policy.properties.policyRule);
  });
});
