// AZP2025: labelSelector must be a Kubernetes LabelSelector, as the schema azpol emits for the
// labelSelector parameter says (policy-model.ts LABEL_SELECTOR_SCHEMA, from the Azure built-ins):
// matchLabels maps strings to strings; each matchExpressions entry has a key, an operator In,
// NotIn, Exists or DoesNotExist (case matters: "in" is not "In"), and values that are present
// and non-empty for In/NotIn, absent or empty for Exists/DoesNotExist. Anything else would be
// accepted by validate and then match nothing, or everything, on the cluster.
import { joinPointer } from "../../model/diagnostics.js";
import type { Rule } from "./rule-context.js";

const OPERATORS = ["In", "NotIn", "Exists", "DoesNotExist"];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function labelSelectorProblems(selector: unknown): { pointer: string; message: string }[] {
  const problems: { pointer: string; message: string }[] = [];
  const add = (pointer: string, message: string) => problems.push({ pointer, message });
  if (!isRecord(selector)) return [{ pointer: "", message: "must be an object with matchLabels and/or matchExpressions" }];
  for (const key of Object.keys(selector)) {
    if (key !== "matchLabels" && key !== "matchExpressions") add(joinPointer(key), `unknown field '${key}'; a label selector has only matchLabels and matchExpressions`);
  }
  const labels = selector.matchLabels;
  if (labels !== undefined) {
    if (!isRecord(labels)) add("/matchLabels", "must be a map of label keys to string values");
    else for (const [k, v] of Object.entries(labels)) if (typeof v !== "string") add(joinPointer("matchLabels", k), `label value must be a string, got ${JSON.stringify(v)}; quote it`);
  }
  const expressions = selector.matchExpressions;
  if (expressions !== undefined) {
    if (!Array.isArray(expressions)) add("/matchExpressions", "must be a list of {key, operator, values}");
    else
      expressions.forEach((e: unknown, i: number) => {
        const at = (...rest: string[]) => joinPointer("matchExpressions", i, ...rest);
        if (!isRecord(e)) {
          add(at(), "must be an object {key, operator, values}");
          return;
        }
        for (const k of Object.keys(e)) if (!["key", "operator", "values"].includes(k)) add(at(k), `unknown field '${k}'; use key, operator and values`);
        if (typeof e.key !== "string" || e.key === "") add(at("key"), "must be a non-empty label key");
        const op = e.operator;
        if (typeof op !== "string" || !OPERATORS.includes(op)) {
          const near = typeof op === "string" ? OPERATORS.find((o) => o.toLowerCase() === op.toLowerCase()) : undefined;
          add(at("operator"), `operator ${JSON.stringify(op)} is not one of ${OPERATORS.join(", ")}${near ? `; did you mean '${near}'? (operators are case-sensitive)` : ""}`);
          return;
        }
        const values = e.values;
        if (values !== undefined && (!Array.isArray(values) || values.some((v) => typeof v !== "string"))) add(at("values"), "must be a list of strings");
        const count = Array.isArray(values) ? values.length : 0;
        if ((op === "In" || op === "NotIn") && count === 0) add(at("values"), `operator ${op} needs at least one value`);
        if ((op === "Exists" || op === "DoesNotExist") && count > 0) add(at("values"), `operator ${op} takes no values; remove them`);
      });
  }
  return problems;
}

export const labelSelectorRule: Rule = ({ source, report }) => {
  if (source.labelSelector === undefined) return;
  for (const p of labelSelectorProblems(source.labelSelector)) report("AZP2025", `/labelSelector${p.pointer}`, p.message);
};
