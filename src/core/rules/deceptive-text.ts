// AZP2024: text people read in the portal, the plan and `az policy` output (name, display
// name, description, category, parameter names and display names) may not hold characters
// that change how it reads without showing themselves: bidirectional overrides and isolates
// (the "Trojan Source" trick), zero-width characters, and control characters. A name that
// displays as "deny-k8s-gcr" but is something else defeats review.
import { joinPointer } from "../../model/diagnostics.js";
import type { Rule } from "./rule-context.js";

// U+202A-U+202E embeddings/overrides, U+2066-U+2069 isolates, U+200E/U+200F marks, U+061C;
// U+200B-U+200D and U+2060 zero-width, U+FEFF BOM; C0/C1 controls except tab and newline
// (descriptions may have line breaks).
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const DECEPTIVE = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u200b-\u200d\u2060\ufeff\u0000-\u0008\u000b-\u001f\u007f-\u009f]/u;

function describeChar(c: string): string {
  return `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;
}

export const deceptiveTextRule: Rule = ({ source, report }) => {
  const check = (pointer: string, text: unknown) => {
    if (typeof text !== "string") return;
    const m = DECEPTIVE.exec(text);
    if (m) report("AZP2024", pointer, `holds an invisible or direction-changing character (${describeChar(m[0])} at position ${m.index}); remove it, it makes the text read differently from what it is`);
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
