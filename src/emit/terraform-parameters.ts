// The module's `parameters` variable, checked at plan time: `type = any` accepts any object, and a
// misspelt key or a wrongly typed value would only fail at apply (Azure rejects the assignment).
// Validation blocks check each key against the policy's parameter names, each value's JSON type
// against the parameter's type (jsonencode is exact where tostring/tonumber would convert), and
// allowedValues. lookup() with a default of the right type keeps every condition defined when
// the key is absent (HCL's || does not short-circuit in every Terraform version).
import type { ParameterType } from "../model/definition-source.js";
import type { PolicyParameter } from "../core/policy-model.js";
import { hclAttributes, hclString, hclValue } from "./hcl.js";

const JSON_SHAPE: Record<ParameterType, { pattern: string; empty: unknown; noun: string }> = {
  String: { pattern: '^"', empty: "", noun: "a string" },
  DateTime: { pattern: '^"', empty: "", noun: "a string (date-time)" },
  Array: { pattern: "^\\[", empty: [], noun: "a list" },
  Object: { pattern: "^\\{", empty: {}, noun: "an object" },
  Boolean: { pattern: "^(true|false)$", empty: false, noun: "true or false" },
  Integer: { pattern: "^-?[0-9]+$", empty: 0, noun: "a whole number" },
  Float: { pattern: "^-?[0-9]", empty: 0, noun: "a number" },
};

function validation(condition: string, message: string): string {
  return `  validation {\n${hclAttributes(
    [
      ["condition", condition],
      ["error_message", hclString(message)],
    ],
    "    ",
  )}\n  }`;
}

export function parametersVariable(model: { parameters: Record<string, PolicyParameter> }): string {
  const names = Object.keys(model.parameters);
  const blocks = [
    validation(`alltrue([for name in keys(var.parameters) : contains(${hclValue(names)}, name)])`, `parameters may only set this policy's parameters: ${names.join(", ")}. Check the spelling.`),
  ];
  for (const [name, p] of Object.entries(model.parameters)) {
    const shape = JSON_SHAPE[p.type];
    const value = (fallback: unknown) => `lookup(var.parameters, ${hclString(name)}, ${hclValue(fallback)})`;
    blocks.push(validation(`can(regex(${hclString(shape.pattern)}, jsonencode(${value(shape.empty)})))`, `parameters.${name} must be ${shape.noun} (${p.type}).`));
    if (p.allowedValues !== undefined && p.allowedValues.length > 0) {
      blocks.push(validation(`contains(${hclValue(p.allowedValues)}, ${value(p.allowedValues[0])})`, `parameters.${name} must be one of: ${p.allowedValues.map((v) => JSON.stringify(v)).join(", ")}.`));
    }
  }
  const head = hclAttributes([
    ["description", hclString("Assignment parameter values by policy parameter name; they replace the defaults below. Names, types and allowed values are checked at plan time.")],
    ["type", "any"],
    ["default", "{}"],
  ]);
  return `variable "parameters" {\n${head}\n\n${blocks.join("\n\n")}\n}`;
}
