// How `azpol test` shows its run to people as it happens: suite cases, the engine chosen per
// template, each object's verdict, progress on long runs.
import { stringify } from "yaml";
import { reachWarnings } from "./probe-report.js";
import type { TestEvents } from "../../actions/test.js";
import type { ObjectReport } from "../../manifest-check/check-manifests.js";
import type { CaseResult } from "../../io/run-suites.js";
import type { Output } from "../output.js";
import { paint } from "./colour.js";
import { exclusionReason } from "../../manifest-check/object-verdict.js";
import { unjudgedLabel } from "./test-report.js";

/** Streams the run to people as it happens (text), or collects object reports (structured formats). */
export function testEvents(output: Output, options: { quiet?: boolean | undefined }, structured: boolean, reports: ObjectReport[]): TestEvents {
  const quiet = options.quiet === true;
  const startedAt = performance.now();
  let lastProgress = startedAt;
  return {
    loadingEngine: () => {
      if (output.interactive && !structured) output.err("loading the OPA engine...");
    },
    strictUnavailable: (reason) => output.err(`warning: objects were not checked for what the API server would reject (unknown fields, invalid names): ${reason}`),
    unboundedEngine: () => output.err("warning: the js/wasm engine cannot bound an evaluation's wall time or memory (--eval-timeout, --eval-memory are not applied; the step limit of the webhook budget still is); build the native engine with Go ('npm run build:engine') for both"),
    // Suite results first; manifest reports stream after them as each run of objects is checked.
    cases: (cases) => {
      if (!structured) renderCases(cases, output, quiet);
    },
    engineChosen: (e) => {
      if (!structured && !quiet) output.err(`${e.definition}: template ${e.template} is judged by its ${e.engine} code`);
    },
    // what a template cannot see of the kinds its definition declares
    reach: (r) => {
      if (!structured) for (const line of reachWarnings(r)) output.err(line);
    },
    report: (r) => {
      if (structured) reports.push(r);
      else if (!(quiet && r.violations.length === 0 && r.verdict !== "undecided" && r.verdict !== "rejected")) renderReport(r, output);
    },
    progress: (p) => {
      const now = performance.now();
      if (now - startedAt < 2000 || now - lastProgress < 2000) return;
      lastProgress = now;
      output.err(`azpol test: ${p.objects.toLocaleString("en-US")} objects read (file ${p.file} of ${p.files}, ${Math.floor((100 * p.bytes) / Math.max(1, p.totalBytes))}%)`);
    },
  };
}

function renderCases(cases: CaseResult[], output: Output, quiet: boolean): void {
  let current = "";
  for (const c of cases) {
    if (quiet && c.status === "pass") continue;
    if (c.suite !== current) {
      current = c.suite;
      output.out(current);
    }
    const label = { pass: paint.green("ok  "), fail: paint.red("FAIL"), skip: paint.yellow("skip"), error: paint.red("ERR ") }[c.status];
    const engine = c.engine && (c.status === "pass" || c.status === "fail") ? ` [${c.engine}]` : "";
    output.out(`  ${label} ${[c.test, c.case].filter(Boolean).join(" / ")}${engine}${c.problems.length ? `: ${c.problems.join("; ")}` : ""}`);
  }
}

function renderReport(r: ObjectReport, output: Output): void {
  const verdict =
    r.verdict === "ok"
      ? ": ok"
      : r.verdict === "excluded"
        ? `: ${paint.yellow(`excluded (${exclusionReason(r.excluded)})`)}`
        : r.verdict === "undecided"
          ? `: ${paint.red(unjudgedLabel(r.verdict))}: ${r.reason ?? ""}`
          : r.verdict === "not checked" || r.verdict === "rejected"
            ? `: ${paint.yellow(unjudgedLabel(r.verdict))} (${r.reason ?? ""})`
            : "";
  output.out(`${r.location} ${r.object}${verdict}`);
  if (r.mutationError) output.out(`  ${paint.red("mutate")} not applied: ${r.mutationError}`);
  if (r.mutated) {
    // the object after mutation, which is what the constraints above judged
    output.out(`  ${paint.yellow("mutated")} by ${r.mutated.by.join(", ") || "the Mutate definitions together"} (${r.mutated.changes.join(", ")}); after mutation:`);
    for (const line of stringify(r.mutated.object).trimEnd().split("\n")) output.out(`    ${line}`);
  }
  for (const v of r.violations) output.out(`  ${paint.red(v.enforcementAction.padEnd(6))} ${v.constraint}: ${v.msg}`);
}
