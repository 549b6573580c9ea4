// What `azpol new` prints: the files written and what to do next; JSON replaces it all.
import type { NewAssignmentOutcome } from "../../actions/new/new-assignment.js";
import type { FromTemplateOutcome } from "../../actions/new/new-from-template.js";
import type { NewInitiativeOutcome } from "../../actions/new/new-initiative.js";
import type { Output } from "../output.js";
import { diagnosticJson, formatDiagnostic } from "./diagnostics.js";

export function renderFromTemplate(output: Output, made: FromTemplateOutcome, json: boolean): void {
  if (json) {
    const { definition, template, written, kindsFrom, parameters, skipped, renamed, diagnostics } = made;
    output.out(JSON.stringify({ definition, template, written, kindsFrom, parameters, skipped, renamed, ...(diagnostics.length ? { diagnostics: diagnostics.map(diagnosticJson) } : {}) }, null, 2));
    return;
  }
  for (const w of made.written) output.out(`wrote ${w}`);
  for (const s of made.skipped) output.err(`warning: not mapped: ${s}`);
  for (const r of made.renamed) output.err(`note: parameter renamed: ${r}`);
  for (const d of made.diagnostics) output.err(formatDiagnostic(d));
  output.err(`kinds from ${made.kindsFrom}: ${made.kinds.join(", ")}. next: azpol validate && azpol build`);
}

export function renderNewInitiative(output: Output, made: NewInitiativeOutcome, json: boolean): void {
  if (json) output.out(JSON.stringify(made, null, 2));
  else {
    output.out(`wrote ${made.initiative}`);
    for (const s of made.perMember) output.err(`  one parameter per member: ${s}`);
    output.err("next: azpol validate && azpol build");
  }
}

export function renderNewAssignment(output: Output, made: NewAssignmentOutcome, json: boolean): void {
  const { diagnostics, ...result } = made;
  if (json) output.out(JSON.stringify(result, null, 2));
  else {
    output.out(`wrote ${made.assignment}`);
    for (const d of diagnostics) output.err(formatDiagnostic(d));
    output.err("next: azpol validate && azpol deploy --dry-run");
  }
}
