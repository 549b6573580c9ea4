// Would Gatekeeper's webhook answer in time? Gatekeeper's ValidatingWebhookConfiguration gives the
// API server 3 s (timeoutSeconds: 3, the Gatekeeper default the AKS add-on keeps); past it the
// add-on's webhook fails open (failurePolicy Ignore; Azure/AKS#1837, gatekeeper#4326), so the
// object is admitted undecided: a deny that takes too long is a pass on the cluster.
//
// azpol decides this without a clock (a loaded machine must not change a verdict): the engine
// counts each evaluation's steps and the size of its input (engine/eval_cost.go), and this file
// turns the counts into seconds of Gatekeeper time with coefficients calibrated against
// Gatekeeper's own code: `npm run calibrate:webhook-budget` (scripts/calibrate-webhook-budget.ts)
// runs gator test --stats (templateRunTimeNS: the Rego driver's time for one template on one
// object, input conversion included) over templates and objects of every shape and fits
//   seconds ≈ perTemplate + inputNodes × perInputNode + inputBytes × perInputByte + steps × perStep
// taking the largest per-step cost it measured (the slowest kind of step), so the estimate errs
// towards reporting. The webhook also pays once per request for what is outside the templates
// (decoding the AdmissionReview, the driver's JSON round trip of the review: frameworks
// pkg/client/drivers/rego/driver.go Query, toInterfaceMap): counted as one more input conversion.
//
// Margin: an object is reported from REPORT_FROM_SECONDS, half the timeout. The calibration ran on
// a 2-core machine; a node that is busier (other pods, Gatekeeper's audit running beside the
// webhook) or slower takes longer, so "near the budget" is reported as undecided too.

/** One evaluation's deterministic cost (engine/eval_cost.go). */
export interface EvalCost {
  steps: number;
  inputNodes: number;
  inputBytes: number;
  /** the evaluation passed the engine's step limit and was stopped there (steps is the limit) */
  stopped?: boolean;
}

/** Gatekeeper's webhook timeout (seconds). */
export const WEBHOOK_TIMEOUT_SECONDS = 3;
/** From this estimate on, an object is reported as undecided (half the timeout: the margin). */
export const REPORT_FROM_SECONDS = WEBHOOK_TIMEOUT_SECONDS / 2;

/**
 * Calibrated by scripts/calibrate-webhook-budget.ts against gator 3.20.1 (Gatekeeper 3.20.1, OPA
 * v1.7.1) on the project's 2-core machine, 2026-12-06, load average 16-19 (README, "Gatekeeper's 3 s
 * webhook budget", has the table). Fitted on gator's CPU time (its templateRunTimeNS is wall time,
 * which the load inflated 3-9x). Nanoseconds:
 *   perTemplate   0.6 ms least templateRunTimeNS of a template that reads nothing, rounded up;
 *   perInputNode  2,300 and perInputByte 41: least squares over a template that reads nothing on
 *                 Pods of 300-40,000 containers and one with a 1.4 MiB annotation (reading and
 *                 converting the object: 0.32 s of CPU for 40,000 containers, 1.2 MiB);
 *   perStep       3,800: the largest per-step cost measured (azpol's registry templates on 128
 *                 distinct 1,000-character images: builtins on long strings); the classic
 *                 allowed-repos template measured 850-1,400, string builtins 1,700-1,900, a
 *                 quadratic join 510-540. Taking the largest errs towards reporting.
 */
export const GATEKEEPER_COST_NS = {
  perTemplate: 1_000_000,
  perInputNode: 2_300,
  perInputByte: 41,
  perStep: 3_800,
} as const;

/** Steps after which the engine stops an evaluation: alone they take the whole timeout. */
export const MAX_EVALUATION_STEPS = Math.ceil((WEBHOOK_TIMEOUT_SECONDS * 1e9) / GATEKEEPER_COST_NS.perStep);

/** What converting the input into an OPA value costs Gatekeeper, in seconds. */
export function inputConversionSeconds(cost: Pick<EvalCost, "inputNodes" | "inputBytes">): number {
  return (cost.inputNodes * GATEKEEPER_COST_NS.perInputNode + cost.inputBytes * GATEKEEPER_COST_NS.perInputByte) / 1e9;
}

/** Gatekeeper's time for one template on one object (its templateRunTimeNS), estimated. */
export function templateSeconds(cost: EvalCost): number {
  return GATEKEEPER_COST_NS.perTemplate / 1e9 + inputConversionSeconds(cost) + (cost.steps * GATEKEEPER_COST_NS.perStep) / 1e9;
}

export interface TemplateCost {
  /** the constraint (one per template in a webhook request: Gatekeeper evaluates each template's constraints in one query) */
  constraint: string;
  /** deny, dryrun (Azure's Audit) or warn */
  enforcementAction: string;
  cost: EvalCost;
}

export interface BudgetVerdict {
  seconds: number;
  /** at least one evaluation was stopped: `seconds` is a lower bound */
  stopped: boolean;
  undecided: boolean;
  /** why the cluster would admit the object undecided (when it would) */
  reason?: string;
}

const fmt = (s: number) => `${s < 0.1 ? s.toFixed(3) : s.toFixed(2)} s`;

/**
 * Constraints that only audit (dryrun) or warn: admission does not wait for them, and Gatekeeper's
 * audit, which has no webhook timeout, runs them to the end. An evaluation that finished is
 * decided, however long it took; one azpol stopped at its step bound is not: what the audit would
 * report is unknown, and saying "violations" (or "ok") would claim a result nobody computed.
 */
function auditOnly(per: { constraint: string; steps: number; stopped: boolean }[], seconds: number): BudgetVerdict {
  const cut = per.filter((p) => p.stopped);
  if (cut.length === 0) return { seconds, stopped: false, undecided: false };
  const which = cut.map((p) => `${p.constraint} (stopped after ${p.steps.toLocaleString("en-US")} evaluation steps)`).join(", ");
  const reason = `not decided: azpol stopped evaluating ${which}, more than Gatekeeper's webhook could evaluate in its ${WEBHOOK_TIMEOUT_SECONDS} s. The constraint only audits or warns, so admission does not wait for it, and Gatekeeper's audit, which has no timeout, would run it to the end: what it would report is unknown`;
  return { seconds, stopped: true, undecided: true, reason };
}

/**
 * One webhook request: every template the object (and the Pods a workload expands to) is
 * evaluated against, one after another (the Rego driver's Query loops over the templates).
 * Undecided when a deny constraint is among them: a dryrun (Audit) or warn constraint admits the
 * object anyway, and Gatekeeper's audit, which has no webhook timeout, reports it later; with
 * only those, undecided only when azpol stopped an evaluation (auditOnly).
 */
export function judgeWebhookBudget(costs: readonly TemplateCost[]): BudgetVerdict {
  if (costs.length === 0) return { seconds: 0, stopped: false, undecided: false };
  const per = costs.map((c) => ({ constraint: c.constraint, seconds: templateSeconds(c.cost), steps: c.cost.steps, stopped: c.cost.stopped === true }));
  const largest = costs.reduce((a, c) => (c.cost.inputNodes > a.inputNodes ? c.cost : a), costs[0]?.cost as EvalCost);
  const outside = inputConversionSeconds(largest);
  const seconds = outside + per.reduce((a, p) => a + p.seconds, 0);
  const stopped = per.some((p) => p.stopped);
  if (!costs.some((c) => c.enforcementAction === "deny")) return auditOnly(per, seconds);
  if (seconds < REPORT_FROM_SECONDS && !stopped) return { seconds, stopped, undecided: false };
  const parts = [...per]
    .sort((a, b) => b.seconds - a.seconds)
    .slice(0, 5)
    .map((p) => `${p.constraint} ${p.stopped ? "more than " : ""}${fmt(p.seconds)} (${p.steps.toLocaleString("en-US")} evaluation steps${p.stopped ? ", stopped there" : ""})`);
  const how = seconds >= WEBHOOK_TIMEOUT_SECONDS || stopped ? `more than its webhook's ${WEBHOOK_TIMEOUT_SECONDS} s timeout` : `within ${fmt(WEBHOOK_TIMEOUT_SECONDS - seconds)} of its webhook's ${WEBHOOK_TIMEOUT_SECONDS} s timeout (reported from ${REPORT_FROM_SECONDS} s: a busier or slower node takes longer)`;
  const reason = `the cluster would admit this undecided: the add-on fails open. Gatekeeper would need ${stopped ? "more than " : "about "}${fmt(seconds)} to review it, ${how}: ${parts.join(", ")}${per.length > 5 ? ", ..." : ""}; plus ${fmt(outside)} to read the object itself`;
  return { seconds, stopped, undecided: true, reason };
}
