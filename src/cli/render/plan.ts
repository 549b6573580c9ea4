// The plan as people read it: one line per resource, and under it what a reviewer needs: the
// path-level changes of an update, a template change as a diff of its YAML, assignment values side
// by side, what a create writes (render/plan-review.ts).
import type { ApplyOutcome } from "../../deploy/apply-plan.js";
import type { Plan } from "../../deploy/plan.js";
import { reviewItem } from "../../deploy/plan-review.js";
import { paint } from "./colour.js";
import { redactSecrets } from "../../io/redact.js";
import { reviewLines, reviewMarkdown } from "./plan-review.js";
export { formatChange } from "./plan-review.js";

const SYMBOL = { create: "+", update: "~", unchanged: "=", blocked: "!", delete: "-" } as const;
/** what people call each resource (a policy set definition is an initiative in the portal) */
export const KIND_LABEL = { definition: "definition", setDefinition: "initiative", assignment: "assignment", exemption: "exemption" } as const;
const TONE = { create: paint.green, update: paint.yellow, unchanged: paint.dim, blocked: paint.red, delete: paint.red } as const;

export function formatPlan(plan: Plan): string {
  const lines = [paint.bold(`Plan for ${plan.scope} (definitions in ${plan.definitionLocation}):`)];
  for (const i of plan.items) {
    lines.push(`  ${TONE[i.action](`${SYMBOL[i.action]} ${i.action.padEnd(9)}`)} ${KIND_LABEL[i.kind].padEnd(10)} ${i.name}`);
    // why a change is blocked comes first, then what it would have changed
    for (const reason of i.blocked) lines.push(`      ${paint.red("blocked:")} ${reason}`);
    if (i.action === "update" || i.action === "create" || i.action === "blocked") for (const l of reviewLines(reviewItem(i, plan.valueOrigins))) lines.push(`      ${l}`);
  }
  const c = plan.counts;
  lines.push(`Plan: ${c.create} to create, ${c.update} to update, ${c.unchanged} unchanged, ${c.blocked} blocked${c.delete ? `, ${c.delete} to delete` : ""}.`);
  return lines.join("\n");
}

export function formatOutcome(o: ApplyOutcome): string {
  const verb = { create: "created", update: "updated", delete: "deleted" }[o.action];
  if (o.status === "done") return `${verb} ${KIND_LABEL[o.kind]} ${o.name}`;
  if (o.status === "skipped") return `skipped ${KIND_LABEL[o.kind]} ${o.name}: ${o.reason ?? "what it depends on was not written"}`;
  const e = o.error;
  return `failed ${KIND_LABEL[o.kind]} ${o.name}: ${e?.statusCode ?? ""} ${e?.code ?? ""}: ${e?.message ?? ""}${e?.requestId ? ` (request id ${e.requestId})` : ""}`.replace(/ {2,}/g, " ");
}

/** A name as HTML code, escaped rather than cut: the comment shows the name that is written (and `|` cannot end a table cell); redacted before escaping (src/io/redact.ts reads raw text). */
const htmlCode = (name: string) => `<code>${redactSecrets(name).replace(/[&<>|`]/g, (c) => `&#${c.charCodeAt(0)};`)}</code>`;

/** The plan as a pull-request comment: a summary line, a table, and the changes under details. */
export function formatPlanMarkdown(plan: Plan): string {
  const c = plan.counts;
  const lines = [
    `### azpol plan for \`${plan.scope}\``,
    "",
    `Definitions in ${plan.definitionLocation}. **${c.create}** to create, **${c.update}** to update, **${c.delete}** to delete, ${c.unchanged} unchanged, **${c.blocked}** blocked.`,
    "",
    "| | action | kind | name |",
    "|---|---|---|---|",
    ...plan.items.map((i) => `| ${SYMBOL[i.action]} | ${i.action} | ${KIND_LABEL[i.kind]} | ${htmlCode(i.name)} |`),
  ];
  for (const i of plan.items.filter((x) => x.action === "create" || x.changes.length || x.blocked.length)) {
    lines.push("", `<details><summary>${i.action} ${KIND_LABEL[i.kind]} ${htmlCode(i.name)}</summary>`, "");
    if (i.blocked.length) lines.push("```diff", ...i.blocked.map((b) => `! blocked: ${b}`), "```", "");
    lines.push(...reviewMarkdown(reviewItem(i, plan.valueOrigins)), "", "</details>");
  }
  return lines.join("\n");
}
