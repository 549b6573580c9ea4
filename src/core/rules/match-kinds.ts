// AZP2017: apiGroups and kinds are required with templateInfo and may not be "*"
// (Azure effect-deny docs). A kind listed without its API group never matches (Gatekeeper
// matches group ∈ apiGroups AND kind ∈ kinds), but Azure accepts such a definition and
// Microsoft ships some (ContainerEnforcePreStopHook and AKS_GuardrailsMustHaveAntiAffinityRulesSet
// list ReplicationController under ["apps"]), so it is a warning: importing or customising a
// live definition must not be refused for what Azure takes.
// Either may instead be "[parameters('x')]" naming an Array parameter (the assignment then
// chooses the kinds, as Microsoft's BlockResource built-in does); its default is checked alike.
import { joinPointer } from "../../model/diagnostics.js";
import type { Rule, RuleContext } from "./rule-context.js";
import { apiGroupOfKind } from "../pod-bearing-kinds.js";
import { DEFAULT_API_GROUPS, parameterRefName } from "../policy-model.js";

/** The list a field stands for: itself, or the default of the Array parameter it names (reported when it cannot). */
function listOf(ctx: RuleContext, field: "apiGroups" | "kinds"): { list: string[]; pointer: (i: number) => string } | undefined {
  const value = ctx.source[field];
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return { list: value, pointer: (i) => joinPointer(field, i) };
  const ref = parameterRefName(value);
  const parameter = ref === undefined ? undefined : ctx.source.parameters?.[ref];
  if (ref === undefined) {
    ctx.report("AZP2017", joinPointer(field), `${field} must be a list or "[parameters('name')]", not ${JSON.stringify(value)}`);
    return undefined;
  }
  if (!parameter) {
    ctx.report("AZP2009", joinPointer(field), `${field} uses parameter '${ref}', which is not declared; declare it under parameters (type Array)`);
    return undefined;
  }
  if (parameter.type !== "Array") {
    ctx.report("AZP2017", joinPointer(field), `${field} uses parameter '${ref}' of type ${parameter.type}; it must be an Array of strings`);
    return undefined;
  }
  const defaults = Array.isArray(parameter.default) ? parameter.default.filter((v): v is string => typeof v === "string") : [];
  return { list: defaults, pointer: (i) => joinPointer("parameters", ref, "default", i) };
}

export const matchKindsRule: Rule = (ctx) => {
  const groupsList = listOf(ctx, "apiGroups");
  groupsList?.list.forEach((g, i) => {
    if (g === "*") ctx.report("AZP2017", groupsList.pointer(i), `apiGroups may not be "*" (Azure rejects it); list the groups, e.g. "", "apps", "batch"`);
  });
  const kindsList = listOf(ctx, "kinds");
  // a parameterised apiGroups is the assignment's choice: kinds cannot be checked against it
  if (typeof ctx.source.apiGroups === "string") return;
  const groups = new Set(groupsList?.list ?? DEFAULT_API_GROUPS);
  kindsList?.list.forEach((k, i) => {
    if (k === "*") {
      ctx.report("AZP2017", kindsList.pointer(i), `kinds may not be "*" (Azure rejects it); list the kinds`);
      return;
    }
    const group = apiGroupOfKind(k);
    if (group !== undefined && !groups.has(group)) {
      ctx.report("AZP2017", kindsList.pointer(i), `kind ${k} is in API group ${JSON.stringify(group)}, which apiGroups does not list, so ${k} objects are never checked (Gatekeeper matches a group in apiGroups AND a kind in kinds; Azure accepts the definition anyway); add ${JSON.stringify(group)} to apiGroups`, "warning");
    }
  });
};
