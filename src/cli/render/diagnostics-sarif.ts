// `azpol validate --format sarif`: the diagnostics as SARIF 2.1.0 for code scanning, with each
// AZP code's title, severity and explanation from the rule catalogue (model/rule-catalogue.ts).
import type { Diagnostic } from "../../model/diagnostics.js";
import { ruleFor } from "../../model/rule-catalogue.js";
import { VERSION } from "../program-version.js";

// an artifact URI must be a valid URI reference: backslashes and spaces are made URI-safe
const uri = (file: string) => encodeURI(file.split("\\").join("/"));

/** `notes`: what the run did not check (a definition whose reach was not probed), as SARIF tool notifications. */
export function diagnosticsSarif(diagnostics: readonly Diagnostic[], notes: readonly string[] = []): string {
  const codes = [...new Set(diagnostics.map((d) => d.code))].sort();
  const rules = codes.map((code) => {
    const rule = ruleFor(code);
    const level = rule?.severity === "warning" ? "warning" : "error";
    return { id: code, shortDescription: { text: rule?.title ?? code }, fullDescription: { text: rule?.explanation ?? code }, help: { text: `azpol explain ${code}` }, defaultConfiguration: { level } };
  });
  const results = diagnostics.map((d) => ({
    ruleId: d.code,
    ruleIndex: codes.indexOf(d.code),
    level: d.severity,
    message: { text: d.pointer === "" ? d.message : `${d.pointer}: ${d.message}` },
    locations: [{ physicalLocation: { artifactLocation: { uri: uri(d.file) }, region: { startLine: Math.max(1, d.line ?? 1), startColumn: Math.max(1, d.col ?? 1) } } }],
  }));
  const sarif = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [{
      tool: { driver: { name: "azpol", version: VERSION, informationUri: "https://github.com/azpol/azpol", rules } },
      ...(notes.length ? { invocations: [{ executionSuccessful: true, toolExecutionNotifications: notes.map((text) => ({ level: "note", message: { text } })) }] } : {}),
      results,
    }],
  };
  return JSON.stringify(sarif, null, 2);
}
