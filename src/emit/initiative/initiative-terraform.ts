// A Terraform module per initiative. The member definitions come from their own modules
// (../<definition>/main.tf, called without assignment scopes), so one `terraform apply` here makes
// the definitions, the policy set and the example assignments. azurerm 4 splits the policy set into
// azurerm_policy_set_definition (subscription) and azurerm_management_group_policy_set_definition
// (terraform-provider-azurerm: website/docs/r/policy_set_definition.html.markdown and
// management_group_policy_set_definition; ../shared/reference/azure-policy-k8s-format.md §9.3),
// hence the version floor of 4.0 and one of the two by count, both fed from the same locals.
// Set-level parameter schemas are kept by the provider (unlike azurerm_policy_definition's).
import type { InitiativeModel } from "../../initiative/initiative-model.js";
import { hclAttributes, hclString, hclValue } from "../hcl.js";
import { policyMetadata, policyParameters } from "../policy-rule.js";
import { assignmentParameters, exampleAssignments, moduleInputs } from "../terraform-assignments.js";

/** A Terraform identifier per member definition (module "<this>"), unique. */
export function moduleNames(definitionNames: string[]): Map<string, string> {
  const out = new Map<string, string>();
  const used = new Set<string>();
  for (const name of definitionNames) {
    if (out.has(name)) continue;
    const base = `definition_${name.replace(/[^A-Za-z0-9_]/g, "_")}`;
    let id = base;
    for (let n = 2; used.has(id.toLowerCase()); n++) id = `${base}_${n}`;
    used.add(id.toLowerCase());
    out.set(name, id);
  }
  return out;
}

export function initiativeTerraform(model: InitiativeModel): string {
  const modules = moduleNames(model.members.map((m) => m.definitionName));
  const references = model.members.map(
    (m) =>
      `    {\n${hclAttributes(
        [
          ["policy_definition_id", `module.${modules.get(m.definitionName)}.policy_definition_id`],
          ["reference_id", hclString(m.referenceId)],
          ["parameter_values", `jsonencode(${hclValue(Object.fromEntries(Object.entries(m.parameters).map(([k, v]) => [k, { value: v }])), "      ")})`],
        ],
        "      ",
      )}\n    },`,
  );
  const setDefinition = (resource: string, count: string, extra: [string, string][]) =>
    `resource "${resource}" "this" {\n${hclAttributes([
      ["count", count],
      ["name", hclString(model.name)],
      ["policy_type", hclString("Custom")],
      ["display_name", hclString(model.displayName)],
      ["description", hclString(model.description)],
      ...extra,
      ["metadata", "local.set_metadata"],
      ["parameters", "local.set_parameters"],
    ])}\n\n  dynamic "policy_definition_reference" {\n    for_each = local.policy_definition_references\n    content {\n${hclAttributes(
      [
        ["policy_definition_id", "policy_definition_reference.value.policy_definition_id"],
        ["reference_id", "policy_definition_reference.value.reference_id"],
        ["parameter_values", "policy_definition_reference.value.parameter_values"],
      ],
      "      ",
    )}\n    }\n  }\n}`;
  const blocks = [
    ...moduleInputs(model, ">= 4.0, < 6.0", "initiative", "the definitions and the initiative"),
    ...[...modules].map(([definition, id]) => `module "${id}" {\n${hclAttributes([
      ["source", hclString(`../${definition}`)],
      ["definition_management_group_id", "var.definition_management_group_id"],
    ])}\n}`),
    `locals {\n${hclAttributes([
      ["set_metadata", `jsonencode(${hclValue(policyMetadata(model), "  ")})`],
      ["set_parameters", `jsonencode(${hclValue(policyParameters(model), "  ")})`],
      ["policy_definition_references", `[\n${references.join("\n")}\n  ]`],
    ])}\n}`,
    setDefinition("azurerm_policy_set_definition", "var.definition_management_group_id == null ? 1 : 0", []),
    setDefinition("azurerm_management_group_policy_set_definition", "var.definition_management_group_id == null ? 0 : 1", [["management_group_id", "var.definition_management_group_id"]]),
    `locals {\n  policy_set_definition_id = one(concat(azurerm_policy_set_definition.this[*].id, azurerm_management_group_policy_set_definition.this[*].id))\n}`,
    assignmentParameters(model, "initiative's"),
    ...exampleAssignments(model, "local.policy_set_definition_id"),
    `output "policy_set_definition_id" {\n  value = local.policy_set_definition_id\n}`,
  ];
  return `${blocks.join("\n\n")}\n`;
}
