// The plan as people read it: one line per resource, a readable diff under each update.
import type { ApplyOutcome } from "../../deploy/apply-plan.js";
import type { Change } from "../../deploy/json-diff.js";
import type { Plan } from "../../deploy/plan.js";
import { paint } from "./colour.js";

const SYMBOL = { create: "+", update: "~", unchanged: "=", blocked: "!", delete: "-" } as const;
/** what people call each resource (a policy set definition is an initiative in the portal) */
export const KIND_LABEL = { definition: "definition", setDefinition: "initiative", assignment: "assignment", exemption: "exemption" } as const;
const MAX_VALUE = 160;

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? "undefined";
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

export function formatChange(c: Change): string {
  if (c.op === "add") return `+ ${c.path}: ${show(c.after)}`;
  if (c.op === "remove") return `- ${c.path}: ${show(c.before)}`;
  return `~ ${c.path}: ${show(c.before)} → ${show(c.after)}`;
}

const TONE = { create: paint.green, update: paint.yellow, unchanged: paint.dim, blocked: paint.red, delete: paint.red } as const;

export function formatPlan(plan: Plan): string {
  const lines = [paint.bold(`Plan for ${plan.scope} (definitions in ${plan.definitionLocation}):`)];
  for (const i of plan.items) {
    lines.push(`  ${TONE[i.action](`${SYMBOL[i.action]} ${i.action.padEnd(9)}`)} ${KIND_LABEL[i.kind].padEnd(10)} ${i.name}`);
    if (i.action === "update") for (const c of i.changes) lines.push(`      ${formatChange(c)}`);
    for (const reason of i.blocked) lines.push(`      ${paint.red("blocked:")} ${reason}`);
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
    ...plan.items.map((i) => `| ${SYMBOL[i.action]} | ${i.action} | ${KIND_LABEL[i.kind]} | \`${i.name.replace(/[|`]/g, "")}\` |`),
  ];
  for (const i of plan.items.filter((x) => x.changes.length || x.blocked.length)) {
    lines.push("", `<details><summary>${i.action} ${KIND_LABEL[i.kind]} <code>${i.name.replace(/[<>&]/g, "")}</code></summary>`, "", "```diff");
    for (const ch of i.changes) lines.push(formatChange(ch));
    for (const b of i.blocked) lines.push(`! blocked: ${b}`);
    lines.push("```", "", "</details>");
  }
  return lines.join("\n");
}
