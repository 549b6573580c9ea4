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
  const { cases, problems, objects: objectCount, violating: violatingCount, excluded: excludedCount, excludedReasons, notChecked: notCheckedCount, rejected: rejectedCount, undecided: undecidedCount, nothingChecked, policies: policyCount, ok, mutations: mutationCount, mutated: mutatedCount, mutationErrors } = result;
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
      // only objects a constraint judged are "checked"
      const checkedCount = objectCount - excludedCount - notCheckedCount - rejectedCount;
      const unjudged = [
        ...(excludedCount ? [`${excludedCount} excluded`] : []),
        ...(notCheckedCount ? [`${notCheckedCount} not checked`] : []),
        ...(rejectedCount ? [`${rejectedCount} rejected by the API server`] : []),
        ...(mutationCount ? [`${mutatedCount} mutated by ${mutationCount} Mutate definition${mutationCount === 1 ? "" : "s"}`] : []),
        ...(mutationErrors ? [`${mutationErrors} not mutated (error)`] : []),
      ];
      const undecided = undecidedCount ? `, ${undecidedCount} undecided (Gatekeeper's webhook would time out: the cluster admits them)` : "";
      output.out(
        `${checkedCount} object${checkedCount === 1 ? "" : "s"} checked against ${policyCount} polic${policyCount === 1 ? "y" : "ies"}: ${violatingCount} with violations${undecided}${unjudged.length ? `, ${unjudged.join(", ")}` : ""}${problems.length ? `, ${problems.length} unreadable` : ""}`,
      );
      if (nothingChecked) output.out(`${NOTHING_CHECKED} (the reasons are above)`);
    }
    const hint = exclusionHint(excludedCount, excludedReasons);
    if (hint) output.err(`hint: ${hint}`);
  }
}
