// `azpol test --format junit|sarif`: the same results as --json, for CI test tabs (JUnit XML)
// and code-scanning annotations (SARIF 2.1.0, with the file and line of each object).
import type { ObjectReport } from "../../manifest-check/check-manifests.js";
import type { ManifestProblem } from "../../io/manifests.js";
import type { CaseResult } from "../../io/run-suites.js";
import { VERSION } from "../program-version.js";
import { exclusionReason } from "../../manifest-check/object-verdict.js";
import { redactSecrets } from "../../io/redact.js";

/**
 * Text for an XML attribute or element. Redacted first, on the raw text: once `&sig=` is `&amp;sig=`
 * the redactor no longer reads it as a query parameter (src/io/redact.ts). Then XML escaping, and
 * the C0 controls XML 1.0 cannot hold shown as escapes (\x1b); the output boundary (cli/output-boundary.ts)
 * shows the rest that could act on a terminal (C1, DEL, U+202E, ...), as for every command.
 */
// eslint-disable-next-line no-control-regex -- XML 1.0 forbids these characters
const xml = (s: string) => redactSecrets(s).replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c] ?? c).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);

/** How a verdict other than ok or violations is named in every format. */
export const unjudgedLabel = (verdict: ObjectReport["verdict"]): string => (verdict === "rejected" ? "rejected by the API server" : verdict === "undecided" ? "undecided (over the webhook's time budget)" : verdict);

/** Objects were read but no constraint judged any of them: a failed run, said once. */
export const NOTHING_CHECKED = "nothing was checked: every object read is excluded or not checked by the definitions";

export function toJunit(cases: CaseResult[], reports: ObjectReport[], problems: ManifestProblem[], nothingChecked = false): string {
  const suites = new Map<string, string[]>();
  const counts = new Map<string, { tests: number; failures: number; errors: number; skipped: number }>();
  const add = (suite: string, kind: "pass" | "fail" | "error" | "skip", name: string, classname: string, detail: string) => {
    const c = counts.get(suite) ?? { tests: 0, failures: 0, errors: 0, skipped: 0 };
    c.tests++;
    if (kind === "fail") c.failures++;
    if (kind === "error") c.errors++;
    if (kind === "skip") c.skipped++;
    counts.set(suite, c);
    const body = kind === "fail" ? `<failure message="${xml(detail.split("\n")[0] ?? "")}">${xml(detail)}</failure>` : kind === "error" ? `<error message="${xml(detail.split("\n")[0] ?? "")}">${xml(detail)}</error>` : kind === "skip" ? (detail ? `<skipped message="${xml(detail)}"/>` : "<skipped/>") : "";
    suites.set(suite, [...(suites.get(suite) ?? []), `    <testcase classname="${xml(classname)}" name="${xml(name)}">${body}</testcase>`]);
  };
  for (const c of cases) add(c.suite, c.status, [c.test, c.case].filter(Boolean).join(" / ") || "suite", c.suite, c.problems.join("\n"));
  // an excluded or not-checked object was judged by nothing: skipped (with the reason), not
  // passed; one the API server would reject, or the webhook would not decide in time, is an error
  for (const r of reports) {
    const kind = r.verdict === "undecided" || r.verdict === "rejected" ? "error" : r.violations.length ? "fail" : r.verdict === "ok" ? "pass" : "skip";
    const detail = kind === "fail" ? r.violations.map((v) => `${v.enforcementAction} ${v.constraint}: ${v.msg}`).join("\n") : kind === "pass" ? "" : `${unjudgedLabel(r.verdict)}: ${r.reason ?? exclusionReason(r.excluded)}`;
    add(r.file, kind, `${r.location} ${r.object}`, r.file, detail);
  }
  for (const p of problems) add(p.file, "error", `${p.file}:${p.line}#${p.document}`, p.file, p.message);
  if (nothingChecked) add("azpol test", "error", "objects checked", "azpol test", NOTHING_CHECKED);
  const body = [...suites.entries()].map(([name, testcases]) => {
    const c = counts.get(name) ?? { tests: 0, failures: 0, errors: 0, skipped: 0 };
    return `  <testsuite name="${xml(name)}" tests="${c.tests}" failures="${c.failures}" errors="${c.errors}" skipped="${c.skipped}">\n${testcases.join("\n")}\n  </testsuite>`;
  });
  const total = [...counts.values()].reduce((a, c) => ({ tests: a.tests + c.tests, failures: a.failures + c.failures, errors: a.errors + c.errors }), { tests: 0, failures: 0, errors: 0 });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="azpol test" tests="${total.tests}" failures="${total.failures}" errors="${total.errors}">\n${body.join("\n")}\n</testsuites>\n`;
}

interface SarifResult {
  ruleId: string;
  level: "error" | "warning" | "note";
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
}

// an artifact URI must be a valid URI reference: "<stdin>" and spaces are percent-encoded
const location = (uri: string, line: number) => [{ physicalLocation: { artifactLocation: { uri: encodeURI(uri.split("\\").join("/")) }, region: { startLine: Math.max(1, line) } } }];

export function toSarif(cases: CaseResult[], reports: ObjectReport[], problems: ManifestProblem[], nothingChecked = false): string {
  const results: SarifResult[] = [];
  const rules = new Map<string, string>();
  for (const r of reports) {
    for (const v of r.violations) {
      rules.set(v.constraint, `${v.constraintKind} constraint ${v.constraint}`);
      results.push({ ruleId: v.constraint, level: v.enforcementAction === "deny" ? "error" : "warning", message: { text: `${r.object}: ${v.msg}` }, locations: location(r.file, r.line) });
    }
  }
  // Objects no constraint judged are notes (not findings, but not checked either); one the API
  // server would reject, or the webhook would not decide in time, is an error.
  const unjudged = {
    excluded: ["azpol/excluded", "an object a definition checks the kind of, left out by the assignment's match", "note"],
    "not checked": ["azpol/not-checked", "an object of a kind no definition checks", "note"],
    rejected: ["azpol/rejected-by-api-server", "an object the API server would reject before admission", "error"],
    undecided: ["azpol/undecided-webhook-timeout", "an object Gatekeeper's webhook would not decide within its 3 s timeout: the AKS add-on fails open and admits it", "error"],
  } as const;
  for (const r of reports) {
    if (r.verdict === "ok" || r.verdict === "violations") continue;
    const [id, text, level] = unjudged[r.verdict];
    rules.set(id, text);
    results.push({ ruleId: id, level, message: { text: `${r.object}: ${unjudgedLabel(r.verdict)}: ${r.reason ?? exclusionReason(r.excluded)}` }, locations: location(r.file, r.line) });
  }
  const first = reports[0];
  if (nothingChecked && first) {
    rules.set("azpol/nothing-checked", "manifests were given but no definition judged any object in them");
    results.push({ ruleId: "azpol/nothing-checked", level: "error", message: { text: NOTHING_CHECKED }, locations: location(first.file, first.line) });
  }
  for (const p of problems) {
    rules.set("azpol/unreadable-manifest", "a manifest azpol could not read as kubectl would");
    results.push({ ruleId: "azpol/unreadable-manifest", level: "error", message: { text: p.message }, locations: location(p.file, p.line) });
  }
  for (const c of cases.filter((x) => x.status === "fail" || x.status === "error")) {
    const id = c.status === "fail" ? "azpol/suite-case-failed" : "azpol/suite-case-error";
    rules.set(id, c.status === "fail" ? "a gator suite case whose assertions do not hold" : "a gator suite case azpol could not evaluate");
    results.push({ ruleId: id, level: "error", message: { text: `${[c.test, c.case].filter(Boolean).join(" / ")}: ${c.problems.join("; ")}` }, locations: location(c.suite, 1) });
  }
  const sarif = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "azpol", version: VERSION, informationUri: "https://github.com/azpol/azpol", rules: [...rules.entries()].map(([id, text]) => ({ id, shortDescription: { text } })) } },
        results,
      },
    ],
  };
  return JSON.stringify(sarif, null, 2);
}
