// AZP2007/AZP2008/AZP2021: every details.values key is a property of the ConstraintTemplate's
// openAPIV3Schema, with a matching type ("Each value must exist and match a property in the
// validation openAPIV3Schema section", Azure effect-audit docs), and is set only once.
import type { ParameterType } from "../../model/definition-source.js";
import { joinPointer } from "../../model/diagnostics.js";
import { STANDARD_PARAMETER_TYPES } from "../parameter-override.js";
import { jsonTypeOf, parameterRefName, schemaTypeAccepts, schemaTypeOf } from "../policy-model.js";
import { holdsArmExpression } from "../arm-expression/evaluate.js";
import { evaluateWithDefaults } from "./arm-expressions.js";
import type { Rule } from "./rule-context.js";

export const constraintTemplateValuesRule: Rule = ({ source, template, report }) => {
  if (!template) return;
  const known = Object.keys(template.parameters);
  const describeKnown = known.length ? `the template '${template.name}' takes: ${known.join(", ")}` : `the template '${template.name}' takes no parameters`;
  const setBy = new Map<string, string>();

  const check = (key: string, pointer: string, actualType: string, itemsType: string | undefined, what: string) => {
    const previous = setBy.get(key);
    if (previous) {
      report("AZP2021", pointer, `template parameter '${key}' is already set by ${previous}; set it once`);
      return;
    }
    setBy.set(key, what);
    const property = template.parameters[key];
    if (!property) {
      report("AZP2007", pointer, `'${key}' is not a parameter of the template; ${describeKnown}`);
      return;
    }
    if (!schemaTypeAccepts(property.type, actualType)) {
      report("AZP2008", pointer, `${what} passes ${actualType} to template parameter '${key}', which is ${property.type}; make the types match`);
      return;
    }
    const items = property.items?.type;
    if (itemsType !== undefined && items !== undefined && !schemaTypeAccepts(items, itemsType)) {
      report("AZP2008", pointer, `${what} passes ${itemsType} items to template parameter '${key}', whose items are ${items}`);
    }
  };

  for (const [name, parameter] of Object.entries(source.parameters ?? {})) {
    if (!parameter.templateParameter) continue;
    const items = Array.isArray(parameter.default) ? uniformType(parameter.default) : undefined;
    check(parameter.templateParameter, joinPointer("parameters", name, "templateParameter"), schemaTypeOf(parameter.type as ParameterType), items, `parameter '${name}'`);
  }
  for (const [key, value] of Object.entries(source.values ?? {})) {
    const ref = parameterRefName(value);
    if (ref === undefined && holdsArmExpression(value)) {
      // a computed value ("[parameters('x').paths]", {rule: "[parameters('r')]"}): its type is
      // the evaluated value's; one that cannot be evaluated is AZP2050's (or the assignment's)
      const evaluated = evaluateWithDefaults(source, value);
      const items = "value" in evaluated && Array.isArray(evaluated.value) ? uniformType(evaluated.value) : undefined;
      if ("value" in evaluated) check(key, joinPointer("values", key), jsonTypeOf(evaluated.value), items, `values.${key}`);
      else setBy.set(key, `values.${key}`);
      continue;
    }
    // A reference takes the referenced parameter's type; an undeclared one is AZP2009's to report.
    const declaredType = ref === undefined ? undefined : (STANDARD_PARAMETER_TYPES[ref] ?? (source.parameters?.[ref]?.type as ParameterType | undefined));
    const actual = ref === undefined ? jsonTypeOf(value) : declaredType ? schemaTypeOf(declaredType) : (template.parameters[key]?.type ?? "string");
    const items = Array.isArray(value) ? uniformType(value) : undefined;
    check(key, joinPointer("values", key), actual, items, `values.${key}`);
  }
};

function uniformType(list: unknown[]): string | undefined {
  const types = new Set(list.map(jsonTypeOf));
  return types.size === 1 ? [...types][0] : types.size === 0 ? undefined : "mixed";
}
