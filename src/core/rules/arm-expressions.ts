// AZP2050: every ARM expression a definition passes on (details.values at any depth, and list
// entries of apiGroups/kinds) parses, calls only functions a policy rule may call, and, with the
// parameters' defaults, evaluates the way Azure would evaluate it ("[parameters('x').ranges]"
// needs x's default to have 'ranges'). A parameter without a default is the assignment's to
// give, so what depends on it is not judged here.
import { ArmEvaluationError, evaluateArmValue, holdsArmExpression, lookupParameter } from "../arm-expression/evaluate.js";
import type { DefinitionSource } from "../../model/definition-source.js";
import { joinPointer } from "../../model/diagnostics.js";
import { DEFAULT_EXCLUDED_NAMESPACES } from "../policy-model.js";
import type { Rule } from "./rule-context.js";

export type Evaluated = { value: unknown } | { error: string } | { unknown: string };

/** A details value evaluated with the source's defaults, as an assignment without values gets it. */
export function evaluateWithDefaults(source: DefinitionSource, value: unknown): Evaluated {
  const standard: Record<string, unknown> = {
    effect: source.effect ?? "Audit",
    excludedNamespaces: source.excludedNamespaces ?? DEFAULT_EXCLUDED_NAMESPACES,
    namespaces: source.namespaces ?? [],
    labelSelector: source.labelSelector ?? {},
    ...(source.source !== undefined ? { source: source.source } : {}),
    ...(source.warn !== undefined ? { warn: source.warn } : {}),
  };
  let missing: string | undefined;
  try {
    return {
      value: evaluateArmValue(value, (name) => {
        const fixed = lookupParameter(standard, name);
        if (fixed) return fixed;
        const declared = lookupParameter(source.parameters ?? {}, name)?.value;
        if (!declared) return { declared: false };
        if (declared.default === undefined) missing ??= name;
        return { value: declared.default };
      }),
    };
  } catch (e) {
    if (!(e instanceof ArmEvaluationError)) throw e;
    if (missing !== undefined && e.message.includes(`parameter '${missing}' has no value`)) return { unknown: missing };
    return { error: e.message };
  }
}

export const armExpressionsRule: Rule = ({ source, report }) => {
  const check = (pointer: string, value: unknown) => {
    if (!holdsArmExpression(value)) return;
    const result = evaluateWithDefaults(source, value);
    // an undeclared parameter is AZP2009's to report
    if ("error" in result && !/parameter '.*' is not declared/.test(result.error)) report("AZP2050", pointer, `${JSON.stringify(value)}: ${result.error}`);
  };
  for (const [key, value] of Object.entries(source.values ?? {})) check(joinPointer("values", key), value);
  for (const field of ["apiGroups", "kinds"] as const) {
    const list = source[field];
    if (Array.isArray(list)) list.forEach((entry, i) => check(joinPointer(field, i), entry));
  }
};
