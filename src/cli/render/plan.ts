// The plan as people read it: one line per resource, a readable diff under each update.
import type { ApplyOutcome } from "../../deploy/apply-plan.js";
import type { Change } from "../../deploy/json-diff.js";
import type { Plan } from "../../deploy/plan.js";

const SYMBOL = { create: "+", update: "~", unchanged: "=", blocked: "!" } as const;
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

export function formatPlan(plan: Plan): string {
  const lines = [`Plan for ${plan.scope} (definitions in ${plan.definitionLocation}):`];
  for (const i of plan.items) {
    lines.push(`  ${SYMBOL[i.action]} ${i.action.padEnd(9)} ${i.kind.padEnd(10)} ${i.name}`);
    if (i.action === "update") for (const c of i.changes) lines.push(`      ${formatChange(c)}`);
    for (const reason of i.blocked) lines.push(`      blocked: ${reason}`);
  }
  const c = plan.counts;
  lines.push(`Plan: ${c.create} to create, ${c.update} to update, ${c.unchanged} unchanged, ${c.blocked} blocked.`);
  return lines.join("\n");
}

export function formatOutcome(o: ApplyOutcome): string {
  const verb = o.action === "create" ? "created" : "updated";
  if (o.status === "done") return `${verb} ${o.kind} ${o.name}`;
  if (o.status === "skipped") return `skipped ${o.kind} ${o.name}: its definition was not written`;
  const e = o.error;
  return `failed ${o.kind} ${o.name}: ${e?.statusCode ?? ""} ${e?.code ?? ""}: ${e?.message ?? ""}${e?.requestId ? ` (request id ${e.requestId})` : ""}`.replace(/ {2,}/g, " ");
}
