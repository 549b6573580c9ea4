// AZP2024: text people read in the portal, the plan and `az policy` output (name, display
// name, description, category, parameter names and display names) may not hold characters
// that change how it reads without showing themselves: bidirectional overrides and isolates
// (the "Trojan Source" trick), zero-width characters, and control characters. A name that
// displays as "deny-k8s-gcr" but is something else defeats review.
import { joinPointer } from "../../model/diagnostics.js";
import { readableTextProblem } from "../../model/safe-name.js";
import type { Rule } from "./rule-context.js";

// The characters are the one rule of src/model/safe-name.ts (readableTextProblem), which
// initiatives, exemptions and assignment sources apply to their texts too.
export const deceptiveTextRule: Rule = ({ source, report }) => {
  const check = (pointer: string, text: unknown) => {
    const problem = readableTextProblem(text);
    if (problem) report("AZP2024", pointer, problem);
  };
  check("/name", source.name);
  check("/displayName", source.displayName);
  check("/description", source.description);
  check("/category", source.category);
  for (const [name, p] of Object.entries(source.parameters ?? {})) {
    check(joinPointer("parameters", name), name);
    check(joinPointer("parameters", name, "displayName"), p.displayName);
    check(joinPointer("parameters", name, "description"), p.description);
  }
};
