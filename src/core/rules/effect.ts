// AZP2001: the default effect must be Audit, Deny or Disabled. Azure lists effects in either
// case in built-ins, so any case is accepted here and the canonical form is emitted.
import { EFFECTS, type Effect } from "../policy-model.js";
import type { Rule } from "./rule-context.js";

export function canonicalEffect(value: string): Effect | undefined {
  return EFFECTS.find((e) => e.toLowerCase() === value.toLowerCase());
}

export const effectRule: Rule = ({ source, report }) => {
  if (source.effect === undefined) return;
  if (!canonicalEffect(source.effect)) {
    report("AZP2001", "/effect", `effect ${JSON.stringify(source.effect)} is not allowed for Microsoft.Kubernetes.Data; use one of: ${EFFECTS.join(", ")}`);
  }
};
