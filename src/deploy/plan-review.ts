// A plan item as a reviewer reads it. Pure. The path-level changes stay, but a template's Base64
// content is decoded and shown as a unified diff of its YAML; an assignment's parameter values and
// settings are set side by side (what Azure has, what the sources want); a create shows what it
// will write, leaf by leaf. Used by the text and Markdown plans and by --json alike.
import { createHash } from "node:crypto";
import type { Change } from "./json-diff.js";
import type { PlanItem } from "./plan.js";
import { unifiedDiff } from "../emit/unified-diff.js";

/** One value of an assignment, as Azure has it and as the plan will write it. */
export interface ValueRow {
  name: string;
  /** absent: not set in Azure (or the assignment does not exist yet) */
  current?: unknown;
  /** absent: the plan removes it */
  desired?: unknown;
  /** where the desired value comes from when it is not the sources (e.g. "--param") */
  origin?: string;
}

export interface TemplateDiff {
  /** the property path of the Base64 content */
  path: string;
  /** diff -u of the decoded YAML ("" only if the decoded texts are equal) */
  diff: string;
}

export interface ItemReview {
  /** path-level changes, except the ones shown as templates or values */
  changes: Change[];
  templates: TemplateDiff[];
  values: ValueRow[];
  /** what a create writes: its leaves (template content summarised) */
  content: Change[];
}

/** Assignment settings a reviewer compares side by side, beside the parameter values. */
const ASSIGNMENT_VALUES = ["policyDefinitionId", "definitionVersion", "enforcementMode", "notScopes", "nonComplianceMessages"];

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
// a mutator (mutationInfo) is Base64 YAML like a template: summarised in creates, diffed decoded in updates
const isTemplateContent = (path: string) => /(^|\.)(templateInfo|mutationInfo)\.content$/.test(path);

function decode(value: unknown): string {
  return typeof value === "string" ? Buffer.from(value, "base64").toString("utf8") : "";
}

/** "ConstraintTemplate k8sazpolfoo, 41 lines, sha256 1a2b3c4d5e6f" for a Base64 template. */
export function templateSummary(value: unknown): string {
  const yaml = decode(value);
  const kind = /^kind:\s*(\S+)/m.exec(yaml)?.[1] ?? "template";
  const name = /^metadata:\s*\n(?:\s+.*\n)*?\s+name:\s*(\S+)/m.exec(yaml)?.[1];
  const count = yaml === "" ? 0 : yaml.replace(/\n$/, "").split("\n").length;
  return `<${kind}${name ? ` ${name}` : ""}, ${count} lines of YAML, sha256 ${createHash("sha256").update(yaml).digest("hex").slice(0, 12)}>`;
}

/** Every leaf of a value with its path (objects by key, arrays by index; empty ones as they are). */
export function leaves(value: unknown, path = ""): Change[] {
  if (isObject(value) && Object.keys(value).length) return Object.entries(value).flatMap(([k, v]) => (v === undefined ? [] : leaves(v, path ? `${path}.${k}` : k)));
  if (Array.isArray(value) && value.length && value.some((v) => isObject(v) || Array.isArray(v))) return value.flatMap((v, i) => leaves(v, `${path}[${i}]`));
  return [{ path, op: "add", after: isTemplateContent(path) ? templateSummary(value) : value }];
}

function assignmentValues(item: PlanItem, changes: Change[], origins: Record<string, string>): { values: ValueRow[]; rest: Change[] } {
  const current = item.current?.properties ?? {};
  const desired = "properties" in item.desired ? item.desired.properties : {};
  const top = (path: string) => /^[^.[]+/.exec(path)?.[0] ?? path;
  const parameterOf = (path: string) => /^parameters\.([^.[]+)/.exec(path)?.[1];
  const names = new Set<string>();
  const rest: Change[] = [];
  for (const c of changes) {
    const parameter = parameterOf(c.path);
    if (parameter !== undefined) names.add(`parameters.${parameter}`);
    else if (ASSIGNMENT_VALUES.includes(top(c.path))) names.add(top(c.path));
    else rest.push(c);
  }
  const valueAt = (props: Record<string, unknown>, name: string): unknown => {
    if (!name.startsWith("parameters.")) return props[name];
    const p = (props.parameters as Record<string, unknown> | undefined)?.[name.slice("parameters.".length)];
    return isObject(p) ? p.value : undefined;
  };
  const values = [...names].map((name): ValueRow => {
    const origin = origins[name];
    const row: ValueRow = { name };
    const before = valueAt(current, name);
    const after = valueAt(desired, name);
    if (before !== undefined) row.current = before;
    if (after !== undefined) row.desired = after;
    if (origin !== undefined) row.origin = origin;
    return row;
  });
  return { values, rest };
}

/**
 * The review of one plan item. `origins` names, by row ("parameters.effect", "enforcementMode"),
 * where an assignment value comes from when it is not the sources (a flag for this run).
 */
export function reviewItem(item: PlanItem, origins: Record<string, string> = {}): ItemReview {
  const templates: TemplateDiff[] = [];
  const pathChanges: Change[] = [];
  for (const c of item.changes) {
    if (!isTemplateContent(c.path)) {
      pathChanges.push(c);
      continue;
    }
    const label = c.path.replace(/\.content$/, "");
    templates.push({ path: c.path, diff: unifiedDiff({ before: `azure/${label}`, after: `desired/${label}` }, decode(c.before), decode(c.after)) });
  }
  const content = item.action === "create" && "properties" in item.desired ? leaves(item.desired.properties) : [];
  if (item.kind !== "assignment") return { changes: pathChanges, templates, values: [], content };
  const { values, rest } = assignmentValues(item, item.action === "create" ? content : pathChanges, origins);
  // a new assignment's values are its content: shown once, side by side (current: none)
  return { changes: item.action === "create" ? pathChanges : rest, templates, values, content: item.action === "create" ? content.filter((c) => !values.some((v) => c.path === v.name || c.path.startsWith(`${v.name}.`) || c.path.startsWith(`${v.name}[`))) : content };
}
