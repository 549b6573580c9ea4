// What deploy prints: its progress on stderr, the plan (text, markdown or JSON) on stdout, and
// what was applied. The action (src/actions/deploy/deploy.ts) streams events; this renders them.
import type { DeployEvents, DeployOutcome } from "../../actions/deploy/deploy.js";
import type { Plan } from "../../deploy/plan.js";
import { reviewItem } from "../../deploy/plan-review.js";
import { confirmChanges } from "../confirm.js";
import type { Output } from "../output.js";
import { diagnosticJson, formatDiagnostic } from "./diagnostics.js";
import { formatOutcome, formatPlan, formatPlanMarkdown, KIND_LABEL } from "./plan.js";

export type DeployFormat = "text" | "json" | "markdown";

/** The plan as deploy --json prints it: each item without its resources, with what a reviewer should look at. */
export function planJson(plan: Plan) {
  return {
    scope: plan.scope,
    definitionLocation: plan.definitionLocation,
    counts: plan.counts,
    ...(plan.valueOrigins ? { valueOrigins: plan.valueOrigins } : {}),
    items: plan.items.map((i) => {
      const { desired: _d, current: _c, ...rest } = i;
      return { ...rest, review: reviewItem(i, plan.valueOrigins) };
    }),
  };
}

export function deployEvents(output: Output, format: DeployFormat): DeployEvents {
  const json = format === "json";
  const say = (line: string) => {
    if (!json) output.err(line);
  };
  return {
    notice: (d) => say(formatDiagnostic(d)),
    excluded: (file, env) => say(`excluded: ${file} lists environments, not '${env}'`),
    reading: () => say("reading what azpol manages at the scope from ARM (custom definitions, assignments, and initiatives and exemptions when used)..."),
    planned: (plan) => {
      if (format === "markdown") output.out(formatPlanMarkdown(plan));
      else if (!json) output.out(formatPlan(plan));
    },
    saved: (file) => say(`saved the plan to ${file}; apply it with: azpol deploy --plan ${file}`),
    confirm: (pending, scope) => confirmChanges(pending, `Apply ${pending} change(s) to ${scope}? [y/N] `, json),
    applying: (e) => {
      if (e.type === "start") say(`  ${{ create: "creating", update: "updating", delete: "deleting" }[e.item.action as "create"]} ${KIND_LABEL[e.item.kind]} ${e.item.name}...`);
    },
  };
}

/** The outcome: JSON on stdout, or what was applied on stdout and the summary on stderr. */
export function renderDeployOutcome(output: Output, outcome: DeployOutcome, json: boolean, dryRun: boolean): void {
  if (outcome.status === "invalid") {
    if (json) output.out(JSON.stringify({ ok: false, diagnostics: outcome.diagnostics.map(diagnosticJson) }, null, 2));
    else for (const d of outcome.diagnostics) output.err(formatDiagnostic(d));
    return;
  }
  const { plan, applied, pending } = outcome;
  const failed = applied.filter((o) => o.status !== "done");
  const ok = outcome.status === "applied" ? failed.length === 0 : outcome.status !== "blocked";
  if (json) {
    const body = outcome.status === "nothing" || outcome.status === "dryRun" ? { ok, dryRun } : { ok };
    output.out(JSON.stringify({ ...body, plan: planJson(plan), applied, warnings: outcome.warnings.map(diagnosticJson) }, null, 2));
    return;
  }
  if (outcome.status === "blocked") output.err(`${plan.counts.blocked} change(s) are blocked; nothing was changed`);
  else if (outcome.status !== "applied") output.err(pending === 0 ? "nothing to change" : "dry run: nothing was changed");
  else {
    for (const o of applied) output.out(formatOutcome(o));
    output.err(failed.length ? `${failed.length} of ${applied.length} change(s) failed; fix the cause and rerun: azpol only writes what still differs` : `applied ${applied.length} change(s)`);
  }
}
