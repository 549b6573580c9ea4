// One line per problem: file:line:col severity code /json/pointer: message.
import { DIAGNOSTIC_CODES, type Diagnostic } from "../../model/diagnostics.js";

export function formatDiagnostic(d: Diagnostic): string {
  const where = d.line !== undefined ? `${d.file}:${d.line}:${d.col ?? 1}` : d.file;
  const path = d.pointer === "" ? "" : `${d.pointer}: `;
  return `${where} ${d.severity} ${d.code} ${path}${d.message}`;
}

export function formatSummary(diagnostics: Diagnostic[], files: number): string {
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.length - errors;
  return `${files} source${files === 1 ? "" : "s"} checked: ${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}`;
}

export function diagnosticJson(d: Diagnostic): Record<string, unknown> {
  return { ...d, title: DIAGNOSTIC_CODES[d.code] };
}
