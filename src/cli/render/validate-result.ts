// azpol validate's result as text (stderr) and as its --json document. A definition whose reach
// (AZP3016) was not probed is a note in both, and the summary counts it: "0 warnings" alone
// would read as "its template sees every pod-bearing kind", which was not checked.
import type { ValidateResult } from "../../actions/validate.js";
import type { NotProbed } from "../../pipeline/reach-diagnostics.js";
import { diagnosticJson, formatDiagnostic, formatSummary } from "./diagnostics.js";

export function notProbedLine(n: NotProbed): string {
  return `${n.file} note: reach of definition ${n.definition} not probed: ${n.reason}${n.hint ? `; ${n.hint}` : ""}`;
}

export function validateText(result: ValidateResult): string[] {
  const lines = [...result.diagnostics.map(formatDiagnostic), ...result.notProbed.map(notProbedLine)];
  const n = result.notProbed.length;
  const notProbed = n === 0 ? "" : `; reach not probed for ${n} definition${n === 1 ? "" : "s"} (see note${n === 1 ? "" : "s"})`;
  return [...lines, formatSummary(result.diagnostics, result.files.length) + notProbed];
}

export function validateJson(result: ValidateResult): string {
  const notProbed = result.notProbed.map((n) => ({ ...n, message: notProbedLine(n) }));
  return JSON.stringify({ ok: result.ok, files: result.files.length, diagnostics: result.diagnostics.map(diagnosticJson), notProbed }, null, 2);
}
