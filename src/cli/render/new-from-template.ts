// What `azpol new --from-template` prints: the files written, what could not be mapped, the kinds.
import type { FromTemplateOutcome } from "../../actions/new/new-from-template.js";
import type { Output } from "../output.js";

export function renderFromTemplate(output: Output, made: FromTemplateOutcome, json: boolean): void {
  if (json) {
    const { definition, template, written, kindsFrom, parameters, skipped, renamed } = made;
    output.out(JSON.stringify({ definition, template, written, kindsFrom, parameters, skipped, renamed }, null, 2));
    return;
  }
  for (const w of made.written) output.out(`wrote ${w}`);
  for (const s of made.skipped) output.err(`warning: not mapped: ${s}`);
  for (const r of made.renamed) output.err(`note: parameter renamed: ${r}`);
  output.err(`kinds from ${made.kindsFrom}: ${made.kinds.join(", ")}. next: azpol validate && azpol build`);
}
