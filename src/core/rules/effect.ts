// AZP2001: the effects a definition lists (effects:, default Audit, Deny, Disabled) are ones a
// Microsoft.Kubernetes.Data definition may use, in any case (built-ins list "audit" and
// "Audit"); the default effect is one of them as written, since Azure compares allowedValues
// case-sensitively. Mutate belongs to details.mutationInfo (Gatekeeper mutation), which a
// templateInfo definition cannot carry.
import { joinPointer } from "../../model/diagnostics.js";
import { EFFECTS, KUBERNETES_EFFECTS, type Effect } from "../policy-model.js";
import type { Rule } from "./rule-context.js";

export function canonicalEffect(value: string): Effect | undefined {
  return EFFECTS.find((e) => e.toLowerCase() === value.toLowerCase());
}

const MUTATE = "Mutate needs a Gatekeeper mutator (details.mutationInfo), not a ConstraintTemplate: point template.path at an Assign, AssignMetadata, ModifySet or AssignImage file";

function effectProblem(value: string): string | undefined {
  if (value.toLowerCase() === "mutate") return `effect ${JSON.stringify(value)}: ${MUTATE}`;
  if (!canonicalEffect(value)) return `effect ${JSON.stringify(value)} is not allowed for Microsoft.Kubernetes.Data; use one of: ${KUBERNETES_EFFECTS.join(", ")}`;
  return undefined;
}

export const effectRule: Rule = ({ source, report }) => {
  const effects = source.effects;
  effects?.forEach((e, i) => {
    const problem = effectProblem(e);
    if (problem) report("AZP2001", joinPointer("effects", i), problem);
    if (effects.indexOf(e) !== i) report("AZP2001", joinPointer("effects", i), `effect ${JSON.stringify(e)} is already listed at effects[${effects.indexOf(e)}]; remove this one`);
  });
  if (source.effect === undefined) return; // the default is Audit when listed, else the first
  const problem = effectProblem(source.effect);
  if (problem) {
    report("AZP2001", "/effect", problem);
    return;
  }
  if (effects && !effects.includes(source.effect)) {
    report("AZP2001", "/effect", `effect ${JSON.stringify(source.effect)} is not among effects ${JSON.stringify(effects)}; Azure compares them case-sensitively, so add it or change the default`);
  }
};
