// AZP2017: apiGroups and kinds are required with templateInfo and may not be "*"
// (Azure effect-deny docs); a workload kind listed without its API group never matches.
import { joinPointer } from "../diagnostics.js";
import type { Rule } from "./rule-context.js";
import { apiGroupOfKind } from "../pod-bearing-kinds.js";
import { DEFAULT_API_GROUPS } from "../policy-model.js";

export const matchKindsRule: Rule = ({ source, report }) => {
  (source.apiGroups ?? []).forEach((g, i) => {
    if (g === "*") report("AZP2017", joinPointer("apiGroups", i), `apiGroups may not be "*" (Azure rejects it); list the groups, e.g. "", "apps", "batch"`);
  });
  const groups = new Set(source.apiGroups ?? DEFAULT_API_GROUPS);
  (source.kinds ?? []).forEach((k, i) => {
    if (k === "*") {
      report("AZP2017", joinPointer("kinds", i), `kinds may not be "*" (Azure rejects it); list the kinds`);
      return;
    }
    const group = apiGroupOfKind(k);
    if (group !== undefined && !groups.has(group)) {
      report("AZP2017", joinPointer("kinds", i), `kind ${k} is in API group ${JSON.stringify(group)}, which apiGroups does not list, so ${k} objects are never checked; add ${JSON.stringify(group)} to apiGroups`);
    }
  });
};
