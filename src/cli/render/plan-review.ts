// One plan item's review (deploy/plan-review.ts) as text lines and as Markdown: path-level
// changes, template changes as unified diffs of the decoded YAML, assignment values side by side,
// and what a create writes.
import type { Change } from "../../deploy/json-diff.js";
import type { ItemReview, ValueRow } from "../../deploy/plan-review.js";
import { paint } from "./colour.js";
import { redactSecrets } from "../../io/redact.js";

/** a value as JSON; "(none)" for a value that is not there */
export function show(value: unknown): string {
  return value === undefined ? "(none)" : (JSON.stringify(value) ?? "undefined");
}

export function formatChange(c: Change): string {
  if (c.op === "add") return `+ ${c.path}: ${show(c.after)}`;
  if (c.op === "remove") return `- ${c.path}: ${show(c.before)}`;
  return `~ ${c.path}: ${show(c.before)} → ${show(c.after)}`;
}

/** where a value comes from when it is not the sources: said on its row */
const originNote = (r: ValueRow) => (r.origin ? `  (${r.origin}, this run only)` : "");

/** Rows aligned in three columns: value, in Azure, desired. The middle column is capped so one long value does not push every row. */
function valueTable(rows: ValueRow[]): string[] {
  const nameWidth = Math.max(5, ...rows.map((r) => r.name.length));
  const currentWidth = Math.min(48, Math.max(8, ...rows.map((r) => show(r.current).length)));
  const line = (a: string, b: string, c: string) => `${a.padEnd(nameWidth)}  ${b.padEnd(currentWidth)}  ${c}`.trimEnd();
  return [paint.dim(line("value", "in Azure", "desired")), ...rows.map((r) => line(r.name, show(r.current), show(r.desired)) + originNote(r))];
}

const diffLines = (diff: string) => diff.replace(/\n$/, "").split("\n");

export function reviewLines(review: ItemReview): string[] {
  const lines = [...review.content.map(formatChange), ...review.changes.map(formatChange)];
  if (review.values.length) lines.push(...valueTable(review.values));
  for (const t of review.templates) {
    lines.push(`~ ${t.path} (Base64; the decoded YAML):`);
    lines.push(...diffLines(t.diff).map((l) => `    ${l.startsWith("+") && !l.startsWith("+++") ? paint.green(l) : l.startsWith("-") && !l.startsWith("---") ? paint.red(l) : l}`));
  }
  return lines;
}

/** text for a Markdown table cell: redacted while raw (the boundary cannot read `&amp;sig=` as a query parameter), then HTML-escaped, pipes escaped, on one line */
const cell = (text: string) => redactSecrets(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\|/g, "\\|").replace(/\n/g, " ");

export function reviewMarkdown(review: ItemReview): string[] {
  const out: string[] = [];
  const changes = [...review.content, ...review.changes];
  if (changes.length) out.push("```diff", ...changes.map(formatChange), "```");
  if (review.values.length) {
    out.push("", "| value | in Azure | desired |", "|---|---|---|");
    for (const r of review.values) out.push(`| <code>${cell(r.name)}</code> | <code>${cell(show(r.current))}</code> | <code>${cell(show(r.desired))}</code>${cell(originNote(r))} |`);
  }
  for (const t of review.templates) out.push("", `\`${t.path}\` (Base64; the decoded YAML):`, "", "```diff", ...diffLines(t.diff), "```");
  return out;
}
