// The last line of `azpol fix` (stderr). Two units, never mixed under one count: the distinct
// images found and judged by the definitions' templates, and what happens to each place
// (reference) a denied one is written. An excluded reference is "excluded", never counted as
// checked: the definitions leave its object out, so fix does not move it.
import type { FixPlan } from "../../fix/plan-fixes.js";

export function fixSummary(files: number, plan: FixPlan, moves: number, dryRun: boolean, notWritten: number): string {
  const outcomes = [
    `${moves} ${dryRun ? "to move" : "moved"}`,
    ...(notWritten ? [`${notWritten} file(s) not written`] : []),
    `${plan.needsHuman.length} need a human`,
    ...(plan.excluded.length ? [`${plan.excluded.length} excluded (not moved)`] : []),
    ...(plan.rejected.length ? [`${plan.rejected.length} rejected by the API server`] : []),
  ];
  return `${files} file(s) read, ${plan.imagesChecked} distinct image(s) judged by the definitions; image references: ${outcomes.join(", ")}`;
}
