// The Terraform output parsed by a real HCL2 parser (@cdktf/hcl2json, HashiCorp's hcl
// compiled to wasm): the module has the right resources, and every jsonencode(...) argument
// round-trips to exactly the JSON the other formats emit.
import { readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { parse } from "@cdktf/hcl2json";
import { describe, expect, it } from "vitest";
import { buildDefinitions } from "../src/pipeline/build-definitions.js";
import { hclString, hclValue } from "../src/emit/hcl.js";
import { policyMetadata, policyParameters, policyRule } from "../src/emit/policy-rule.js";
import { managementGroupAssignmentName } from "../src/emit/terraform-assignments.js";
import { findDefinitionFiles, loadDefinitionInput } from "../src/io/load-definitions.js";
import { readAnywhere } from "../src/io/project-boundary.js";

const root = join(import.meta.dirname, "..");
const sources = [...findDefinitionFiles(join(root, "definitions")), ...findDefinitionFiles(join(root, "test", "fixtures", "definitions"))];

type Hcl = Record<string, Record<string, Record<string, Record<string, unknown>[]>>>;

/** Terraform JSON escapes "${" and "%{" the same way HCL does; undo it to compare values. */
function unescape(value: unknown): unknown {
  if (typeof value === "string") return value.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{");
  if (Array.isArray(value)) return value.map(unescape);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unescape(v)]));
  return value;
}

async function roundTrip(value: unknown): Promise<unknown> {
  const parsed = (await parse("roundtrip.tf", `locals {\n  v = ${hclValue(value, "  ")}\n}\n`)) as { locals: { v: unknown }[] };
  return unescape(parsed.locals[0]?.v);
}

for (const source of sources) {
  describe(relative(root, source), () => {
    const built = buildDefinitions([loadDefinitionInput(source, readAnywhere(root))], []);
    // a Mutate definition (Gatekeeper mutator) is built as a mutation, with mutationInfo beside mutation.yaml
    const model = built.models[0] ?? built.mutations[0];
    if (!model) throw new Error(`${source} does not build`);
    const tf = readFileSync(join(dirname(source), "golden", "main.tf"), "utf8");

    it("parses as HCL2 with the definition and three scoped assignments", async () => {
      const hcl = (await parse("main.tf", tf)) as Hcl;
      const def = hcl.resource?.azurerm_policy_definition?.this?.[0];
      expect(def).toMatchObject({ name: model.name, policy_type: "Custom", mode: "Microsoft.Kubernetes.Data", display_name: model.displayName, description: model.description });
      expect(String(def?.policy_rule)).toMatch(/^\$\{jsonencode\(/);
      for (const [type, scopeArg, variable] of [
        ["azurerm_resource_group_policy_assignment", "resource_group_id", "assign_resource_group_id"],
        ["azurerm_subscription_policy_assignment", "subscription_id", "assign_subscription_id"],
        ["azurerm_management_group_policy_assignment", "management_group_id", "assign_management_group_id"],
      ] as const) {
        const a = hcl.resource?.[type]?.this?.[0];
        expect(a).toMatchObject({ count: `\${var.${variable} == null ? 0 : 1}`, [scopeArg]: `\${var.${variable}}`, policy_definition_id: "${azurerm_policy_definition.this.id}", enforce: "${var.enforce}" });
      }
      const mgName = hcl.resource?.azurerm_management_group_policy_assignment?.this?.[0]?.name as string;
      expect(mgName.length).toBeLessThanOrEqual(24);
      expect(Object.keys(hcl.variable ?? {}).sort()).toEqual(["assign_management_group_id", "assign_resource_group_id", "assign_subscription_id", "definition_management_group_id", "enforce", "parameters"]);
    });

    it("default assignment parameters are the definition's defaults", async () => {
      const hcl = (await parse("main.tf", tf)) as { locals: { default_parameters: unknown }[] };
      const defaults = Object.fromEntries(Object.entries(model.parameters).filter(([, p]) => p.defaultValue !== undefined).map(([k, p]) => [k, p.defaultValue]));
      expect(unescape(hcl.locals[0]?.default_parameters)).toEqual(defaults);
    });

    it("policy_rule, parameters and metadata round-trip through HCL to the ARM JSON", async () => {
      expect(await roundTrip(policyRule(model))).toEqual(policyRule(model));
      expect(await roundTrip(policyMetadata(model))).toEqual(policyMetadata(model));
      // main.tf leaves out parameter schemas (azurerm drops them, terraform-provider-azurerm#19720)
      const withoutSchema = Object.fromEntries(
        Object.entries(policyParameters(model)).map(([k, v]) => {
          const { schema: _schema, ...rest } = v as Record<string, unknown>;
          return [k, rest];
        }),
      );
      expect(await roundTrip(withoutSchema)).toEqual(withoutSchema);
      // the rule as written, except that a Base64Encoded template is read from template.yaml
      // (test/terraform-template-file.test.ts has the real terraform evaluate that expression)
      const [info, beside] = "mutationInfo" in model ? [model.mutationInfo, "mutation.yaml"] : [model.templateInfo, "template.yaml"];
      const rule = hclValue(policyRule(model), "  ");
      expect(tf).toContain(info.sourceType === "Base64Encoded" ? rule.replace(hclString(info.content), `filebase64("\${path.module}/${beside}")`) : rule);
    });
  });
}

it("escapes HCL template sequences and keeps keywords as quoted keys", async () => {
  const tricky = { for: "x", if: ["${var.x}", "%{ if true }", 'quote " backslash \\ newline \n tab \t'], "a b": null, n: 1.5, t: true };
  expect(await roundTrip(tricky)).toEqual(tricky);
});

it("shortens management group assignment names to 24 characters, stably", () => {
  expect(managementGroupAssignmentName("k8s-gcr-deprecation")).toBe("k8s-gcr-deprecation");
  const long = managementGroupAssignmentName("team-a-allowed-registries");
  expect(long).toHaveLength(24);
  expect(long).toBe(managementGroupAssignmentName("team-a-allowed-registries"));
  expect(long).not.toBe(managementGroupAssignmentName("team-a-allowed-registriez"));
});
