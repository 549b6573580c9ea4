// How `azpol test` shows its outcome once the run is over: the --json, JUnit or SARIF document, or
// the text summary. Loaded with the action when the command runs, not for `azpol test --help`.
import { problemLocation } from "../../io/manifests.js";
import { shownPath } from "../../io/shown-path.js";
import { exclusionHint } from "../../manifest-check/object-verdict.js";
import type { ObjectReport } from "../../manifest-check/check-manifests.js";
import type { TestOutcome } from "../../actions/test.js";
import type { Output } from "../output.js";
import { NOTHING_CHECKED, toJunit, toSarif } from "./test-report.js";

export function renderTestResult(result: TestOutcome, reports: ObjectReport[], output: Output, format: string | undefined): void {
  const structured = format !== "text";
  const { cases, problems, objects: objectCount, excluded: excludedCount, excludedReasons, nothingChecked, ok } = result;
  const failed = cases.filter((c) => c.status === "fail" || c.status === "error");
  const skipped = result.skipped.map((s) => ({ path: shownPath(s.path), reason: s.reason }));
  // kubectl apply -f would skip these too; they are named so that none is silently unread.
  if (!structured) for (const s of skipped) output.err(`skipped ${s.path}: ${s.reason}`);
  if (format === "json") output.out(JSON.stringify({ ok, opaVersion: result.opaVersion, engines: result.engines, cases, objects: reports, problems, skipped, reach: result.reach }, null, 2));
  else if (format === "junit") output.out(toJunit(cases, reports, problems, nothingChecked));
  else if (format === "sarif") output.out(toSarif(cases, reports, problems, nothingChecked));
  else {
    for (const p of problems) output.out(`${problemLocation(p)}: cannot read: ${p.message}`);
    if (cases.length) {
      const skipped = cases.filter((c) => c.status === "skip").length;
      output.out(`${cases.length - failed.length - skipped} passed, ${failed.length} failed${skipped ? `, ${skipped} skipped` : ""}`);
    }
    if (objectCount || problems.length) {
      output.out(objectsSummary(result));
      if (nothingChecked) output.out(`${NOTHING_CHECKED} (the reasons are above)`);
    }
    const hint = exclusionHint(excludedCount, excludedReasons);
    if (hint) output.err(`hint: ${hint}`);
  }
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * "4 objects read: 2 checked against 1 policy (1 with violations, 1 ok), 1 excluded, 1 not checked".
 * Every object read has exactly one verdict, so the parts after the colon add up to the objects
 * read; only objects a constraint judged (violations or ok) are "checked". Mutation and unreadable
 * documents are about something else, after a semicolon.
 */
export function objectsSummary(result: TestOutcome): string {
  const { objects, violating, excluded, notChecked, rejected, undecided, policies, mutations, mutated, mutationErrors, problems } = result;
  const passed = objects - violating - excluded - notChecked - rejected - undecided;
  const checked = violating + passed;
  const verdicts = [
    `${checked} checked against ${plural(policies, "policy", "policies")}${checked ? ` (${violating} with violations, ${passed} ok)` : ""}`,
    ...(undecided ? [`${undecided} undecided (Gatekeeper's webhook would time out: the cluster admits them)`] : []),
    ...(excluded ? [`${excluded} excluded`] : []),
    ...(notChecked ? [`${notChecked} not checked`] : []),
    ...(rejected ? [`${rejected} rejected by the API server`] : []),
  ];
  const besides = [
    ...(mutations ? [`${mutated} mutated by ${plural(mutations, "Mutate definition")}`] : []),
    ...(mutationErrors ? [`${mutationErrors} not mutated (error)`] : []),
    ...(problems.length ? [`${problems.length} unreadable`] : []),
  ];
  return `${plural(objects, "object")} read: ${verdicts.join(", ")}${besides.length ? `; ${besides.join(", ")}` : ""}`;
}
