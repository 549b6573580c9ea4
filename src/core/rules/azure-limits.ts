// AZP2010-AZP2013, AZP2019, AZP2020: limits Azure enforces on a definition
// (azure-policy-k8s-format.md §6): name pattern and length, text lengths, parameter count.
import { joinPointer } from "../diagnostics.js";
import { DETAILS_PARAMETERS, STANDARD_PARAMETERS } from "../policy-model.js";
import { safeNameProblem } from "../safe-name.js";
import type { Rule } from "./rule-context.js";

export const LIMITS = {
  name: 64,
  displayName: 128,
  description: 512,
  parameters: 20,
  metadataValue: 1024,
  bodyBytes: 1_048_576,
} as const;

const FORBIDDEN_NAME_CHARS = /[<>*%&:\\?.+/]/;

export function definitionNameProblem(name: string): string | undefined {
  if (name.length > LIMITS.name) return `name ${JSON.stringify(name)} is ${name.length} characters; Azure allows at most ${LIMITS.name}`;
  const bad = FORBIDDEN_NAME_CHARS.exec(name);
  if (bad) return `name ${JSON.stringify(name)} contains '${bad[0]}'; Azure resource names cannot contain < > * % & : \\ ? . + / (use '-' instead)`;
  if ([...name].some((c) => c.charCodeAt(0) < 0x20)) return `name ${JSON.stringify(name)} contains a control character`;
  if (name.endsWith(" ")) return `name ${JSON.stringify(name)} ends with a space; remove it`;
  // the name becomes a folder (build output, scaffolds): the one rule for names from input
  return safeNameProblem(name, "name");
}

export const azureLimitsRule: Rule = ({ source, report }) => {
  const nameProblem = definitionNameProblem(source.name);
  if (nameProblem) report("AZP2010", "/name", nameProblem);
  if (source.displayName.length > LIMITS.displayName) {
    report("AZP2011", "/displayName", `displayName is ${source.displayName.length} characters; Azure allows at most ${LIMITS.displayName}`);
  }
  if (source.description.length > LIMITS.description) {
    report("AZP2012", "/description", `description is ${source.description.length} characters; Azure allows at most ${LIMITS.description}`);
  }
  const standard = STANDARD_PARAMETERS.length + DETAILS_PARAMETERS.filter((d) => source[d] !== undefined).length;
  const count = standard + Object.keys(source.parameters ?? {}).length;
  if (count > LIMITS.parameters) {
    report("AZP2013", "/parameters", `the definition has ${count} parameters (${standard} standard + ${count - standard} own); Azure allows at most ${LIMITS.parameters}`);
  }
  if (source.category !== undefined && source.category.length > LIMITS.metadataValue) {
    report("AZP2019", "/category", `category is ${source.category.length} characters; Azure allows at most ${LIMITS.metadataValue} per metadata value`);
  }
  if (source.version !== undefined && !/^\d+\.\d+\.\d+(-preview|-deprecated)?$/.test(source.version)) {
    report("AZP2020", "/version", `version ${JSON.stringify(source.version)} is not #.#.# (optionally -preview or -deprecated); use e.g. '1.0.0'`);
  }
  for (const [name, parameter] of Object.entries(source.parameters ?? {})) {
    for (const field of ["displayName", "description"] as const) {
      const text = parameter[field];
      if (text !== undefined && text.length > LIMITS.metadataValue) {
        report("AZP2019", joinPointer("parameters", name, field), `parameter ${field} is ${text.length} characters; Azure allows at most ${LIMITS.metadataValue}`);
      }
    }
  }
};
