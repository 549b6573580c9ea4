// AZP2010-AZP2013, AZP2019, AZP2020: limits Azure enforces on a definition
// (azure-policy-k8s-format.md §6): name pattern and length, text lengths, parameter count.
import { joinPointer } from "../../model/diagnostics.js";
import { DETAILS_PARAMETERS, STANDARD_PARAMETERS } from "../policy-model.js";
import type { Rule } from "./rule-context.js";
import { definitionNameProblem, LIMITS } from "../../model/azure-limits.js";


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
