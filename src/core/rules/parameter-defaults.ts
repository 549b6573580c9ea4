// AZP2015/AZP2023/AZP2022: a parameter's default has the declared type and is one of its
// allowedValues; the standard parameters (effect, namespaces, ...) are set at the top level.
import type { ParameterType } from "../../model/definition-source.js";
import { joinPointer } from "../../model/diagnostics.js";
import { DETAILS_PARAMETERS, jsonTypeOf, schemaTypeAccepts, schemaTypeOf, STANDARD_PARAMETERS } from "../policy-model.js";
import type { Rule, RuleContext } from "./rule-context.js";

export function valueMatchesType(type: ParameterType, value: unknown): boolean {
  if (type === "DateTime") return typeof value === "string" && !Number.isNaN(Date.parse(value));
  return schemaTypeAccepts(schemaTypeOf(type), jsonTypeOf(value));
}

/** AZP2015/AZP2023 for one declared default (definition and initiative parameters alike). */
export function checkParameterDefault(name: string, type: ParameterType, value: unknown, allowedValues: unknown[] | undefined, report: RuleContext["report"]): void {
  if (value === undefined) return;
  if (!valueMatchesType(type, value)) {
    report("AZP2015", joinPointer("parameters", name, "default"), `default of '${name}' is ${jsonTypeOf(value)} ${JSON.stringify(value)}, but the parameter type is ${type}; change one of them`);
    return;
  }
  if (allowedValues && !allowedValues.some((v) => JSON.stringify(v) === JSON.stringify(value))) {
    report("AZP2023", joinPointer("parameters", name, "default"), `default of '${name}' ${JSON.stringify(value)} is not in allowedValues ${JSON.stringify(allowedValues)}; Azure compares case-sensitively`);
  }
}

export const parameterDefaultsRule: Rule = ({ source, report }) => {
  for (const [name, parameter] of Object.entries(source.parameters ?? {})) {
    if ((STANDARD_PARAMETERS as readonly string[]).includes(name) || (DETAILS_PARAMETERS as readonly string[]).includes(name)) {
      report("AZP2022", joinPointer("parameters", name), `'${name}' is a standard parameter azpol declares itself; set it with the top-level '${name}' key and remove it from parameters`);
      continue;
    }
    checkParameterDefault(name, parameter.type as ParameterType, parameter.default, parameter.allowedValues, report);
  }
};
