// Evaluates ARM template expressions the way Azure does before it hands details.values to the
// add-on: parameters('x') is the assignment's value or the default, `.property` and `[index]`
// read into it (property names case-insensitively, as ARM does), and the template functions a
// policy rule may call (learn.microsoft.com azure-resource-manager/templates/template-functions-*;
// "Policy functions" in definition-structure-policy-rule lists the ones a policy rule cannot use).
// Functions that read Azure (field, resourceGroup, subscription, utcNow, ...) have no value
// offline: they are an error naming the function, never a guess. Pure.
import { ArmSyntaxError, readArmString, type ArmNode } from "./parse.js";

export class ArmEvaluationError extends Error {}

/** Not available in a policy rule at all (Azure's list), so a definition using them is refused. */
const NOT_IN_POLICY = new Set(
  ["copyIndex", "dateTimeAdd", "dateTimeFromEpoch", "dateTimeToEpoch", "deployment", "environment", "extensionResourceId", "lambda", "listAccountSas", "listKeys", "listSecrets", "managementGroup", "newGuid", "pickZones", "providers", "reference", "resourceId", "subscriptionResourceId", "tenantResourceId", "tenant", "variables", "filter", "map", "reduce", "sort", "toObject"].map((f) => f.toLowerCase()),
);
/** Allowed in a policy rule, but their value comes from Azure at evaluation time. */
const AZURE_ONLY = new Set(["field", "current", "requestContext", "policy", "resourceGroup", "subscription", "utcNow", "ipRangeContains", "addDays"].map((f) => f.toLowerCase()));

type Json = unknown;

const typeName = (v: Json): string => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v === "number" ? "int" : typeof v === "boolean" ? "bool" : typeof v);

function expect<T>(ok: boolean, value: Json, fn: string, wanted: string): T {
  if (!ok) throw new ArmEvaluationError(`${fn}() expects ${wanted}, got ${typeName(value)} ${JSON.stringify(value)}`);
  return value as T;
}
const str = (v: Json, fn: string) => expect<string>(typeof v === "string", v, fn, "a string");
const int = (v: Json, fn: string) => expect<number>(typeof v === "number" && Number.isInteger(v), v, fn, "an integer");
const bool = (v: Json, fn: string) => expect<boolean>(typeof v === "boolean", v, fn, "a bool");
const arr = (v: Json, fn: string) => expect<Json[]>(Array.isArray(v), v, fn, "an array");
const isObject = (v: Json): v is Record<string, Json> => typeof v === "object" && v !== null && !Array.isArray(v);

function deepEqual(a: Json, b: Json): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function arity(name: string, args: Json[], min: number, max = min): void {
  if (args.length < min || args.length > max) throw new ArmEvaluationError(`${name}() takes ${min === max ? min : `${min} to ${max}`} argument(s), got ${args.length}`);
}

type Fn = (args: Json[], name: string) => Json;

const FUNCTIONS: Record<string, Fn> = {
  concat: (a, n) => (a.length && Array.isArray(a[0]) ? a.flatMap((x) => arr(x, n)) : a.map((x) => (typeof x === "number" || typeof x === "boolean" ? String(x) : str(x, n))).join("")),
  if: (a, n) => (arity(n, a, 3), bool(a[0], n) ? a[1] : a[2]),
  equals: (a, n) => (arity(n, a, 2), typeof a[0] === "string" && typeof a[1] === "string" ? a[0].toLowerCase() === a[1].toLowerCase() : deepEqual(a[0], a[1])),
  not: (a, n) => (arity(n, a, 1), !bool(a[0], n)),
  and: (a, n) => a.every((x) => bool(x, n)),
  or: (a, n) => a.some((x) => bool(x, n)),
  true: (a, n) => (arity(n, a, 0), true),
  false: (a, n) => (arity(n, a, 0), false),
  null: (a, n) => (arity(n, a, 0), null),
  bool: (a, n) => (arity(n, a, 1), typeof a[0] === "string" ? a[0].toLowerCase() === "true" : typeof a[0] === "number" ? a[0] !== 0 : bool(a[0], n)),
  int: (a, n) => {
    arity(n, a, 1);
    const v = typeof a[0] === "string" && /^-?\d+$/.test(a[0]) ? Number(a[0]) : a[0];
    return int(v, n);
  },
  string: (a, n) => (arity(n, a, 1), typeof a[0] === "string" ? a[0] : JSON.stringify(a[0])),
  json: (a, n) => {
    arity(n, a, 1);
    try {
      return JSON.parse(str(a[0], n)) as Json;
    } catch {
      throw new ArmEvaluationError(`json() cannot parse ${JSON.stringify(a[0])}`);
    }
  },
  createArray: (a) => [...a],
  createObject: (a, n) => {
    if (a.length % 2) throw new ArmEvaluationError(`${n}() takes key/value pairs`);
    const out: Record<string, Json> = {};
    for (let i = 0; i < a.length; i += 2) out[str(a[i], n)] = a[i + 1];
    return out;
  },
  coalesce: (a) => a.find((x) => x !== null && x !== undefined) ?? null,
  empty: (a, n) => (arity(n, a, 1), a[0] === null || a[0] === "" || (Array.isArray(a[0]) && a[0].length === 0) || (isObject(a[0]) && Object.keys(a[0]).length === 0)),
  length: (a, n) => (arity(n, a, 1), typeof a[0] === "string" ? a[0].length : isObject(a[0]) ? Object.keys(a[0]).length : arr(a[0], n).length),
  contains: (a, n) => {
    arity(n, a, 2);
    const [c, x] = a;
    if (typeof c === "string") return c.includes(String(x));
    if (isObject(c)) return Object.keys(c).some((k) => k.toLowerCase() === str(x, n).toLowerCase());
    return arr(c, n).some((e) => deepEqual(e, x));
  },
  first: (a, n) => (arity(n, a, 1), typeof a[0] === "string" ? (a[0][0] ?? "") : (arr(a[0], n)[0] ?? null)),
  last: (a, n) => (arity(n, a, 1), typeof a[0] === "string" ? (a[0].at(-1) ?? "") : (arr(a[0], n).at(-1) ?? null)),
  skip: (a, n) => (arity(n, a, 2), typeof a[0] === "string" ? a[0].slice(Math.max(0, int(a[1], n))) : arr(a[0], n).slice(Math.max(0, int(a[1], n)))),
  take: (a, n) => (arity(n, a, 2), typeof a[0] === "string" ? a[0].slice(0, Math.max(0, int(a[1], n))) : arr(a[0], n).slice(0, Math.max(0, int(a[1], n)))),
  union: (a, n) => {
    if (a.every(isObject)) return Object.assign({}, ...a) as Json;
    const out: Json[] = [];
    for (const x of a) for (const e of arr(x, n)) if (!out.some((o) => deepEqual(o, e))) out.push(e);
    return out;
  },
  intersection: (a, n) => {
    const [head = [], ...rest] = a.map((x) => arr(x, n));
    return head.filter((e, i) => head.findIndex((o) => deepEqual(o, e)) === i && rest.every((r) => r.some((o) => deepEqual(o, e))));
  },
  range: (a, n) => (arity(n, a, 2), Array.from({ length: Math.max(0, int(a[1], n)) }, (_, i) => int(a[0], n) + i)),
  min: (a, n) => Math.min(...(a.length === 1 && Array.isArray(a[0]) ? a[0] : a).map((x) => int(x, n))),
  max: (a, n) => Math.max(...(a.length === 1 && Array.isArray(a[0]) ? a[0] : a).map((x) => int(x, n))),
  less: (a, n) => (arity(n, a, 2), compare(a, n) < 0),
  lessOrEquals: (a, n) => (arity(n, a, 2), compare(a, n) <= 0),
  greater: (a, n) => (arity(n, a, 2), compare(a, n) > 0),
  greaterOrEquals: (a, n) => (arity(n, a, 2), compare(a, n) >= 0),
  toLower: (a, n) => (arity(n, a, 1), str(a[0], n).toLowerCase()),
  toUpper: (a, n) => (arity(n, a, 1), str(a[0], n).toUpperCase()),
  trim: (a, n) => (arity(n, a, 1), str(a[0], n).trim()),
  replace: (a, n) => (arity(n, a, 3), str(a[0], n).split(str(a[1], n)).join(str(a[2], n))),
  split: (a, n) => {
    arity(n, a, 2);
    const seps = Array.isArray(a[1]) ? a[1].map((s) => str(s, n)) : [str(a[1], n)];
    let parts = [str(a[0], n)];
    for (const s of seps) parts = parts.flatMap((p) => p.split(s));
    return parts;
  },
  join: (a, n) => (arity(n, a, 2), arr(a[0], n).map((x) => str(x, n)).join(str(a[1], n))),
  substring: (a, n) => {
    arity(n, a, 2, 3);
    const s = str(a[0], n);
    const start = int(a[1], n);
    const len = a.length === 3 ? int(a[2], n) : s.length - start;
    if (start < 0 || len < 0 || start + len > s.length) throw new ArmEvaluationError(`substring() range ${start}+${len} is outside "${s}"`);
    return s.substring(start, start + len);
  },
  startsWith: (a, n) => (arity(n, a, 2), str(a[0], n).toLowerCase().startsWith(str(a[1], n).toLowerCase())),
  endsWith: (a, n) => (arity(n, a, 2), str(a[0], n).toLowerCase().endsWith(str(a[1], n).toLowerCase())),
  indexOf: (a, n) => (arity(n, a, 2), str(a[0], n).toLowerCase().indexOf(str(a[1], n).toLowerCase())),
  lastIndexOf: (a, n) => (arity(n, a, 2), str(a[0], n).toLowerCase().lastIndexOf(str(a[1], n).toLowerCase())),
  base64: (a, n) => (arity(n, a, 1), Buffer.from(str(a[0], n), "utf8").toString("base64")),
  base64ToString: (a, n) => (arity(n, a, 1), Buffer.from(str(a[0], n), "base64").toString("utf8")),
};
const BY_NAME = new Map(Object.entries(FUNCTIONS).map(([k, f]) => [k.toLowerCase(), f]));

function compare(a: Json[], n: string): number {
  const [x, y] = a;
  if (typeof x === "string" && typeof y === "string") return x < y ? -1 : x > y ? 1 : 0;
  return int(x, n) - int(y, n);
}

/** The value of a parameter as the assignment (or the default) gives it; undefined when it has none. */
export type ParameterValues = (name: string) => { value: Json } | { declared: false } | { value: undefined };

function evaluateNode(node: ArmNode, parameters: ParameterValues): Json {
  switch (node.kind) {
    case "string":
    case "number":
      return node.value;
    case "property": {
      const target = evaluateNode(node.target, parameters);
      if (!isObject(target)) throw new ArmEvaluationError(`cannot read property '${node.name}' of ${typeName(target)} ${JSON.stringify(target)}`);
      const key = Object.keys(target).find((k) => k.toLowerCase() === node.name.toLowerCase());
      if (key === undefined) throw new ArmEvaluationError(`the property '${node.name}' does not exist; it has: ${Object.keys(target).join(", ") || "none"}`);
      return target[key];
    }
    case "index": {
      const target = evaluateNode(node.target, parameters);
      const index = evaluateNode(node.index, parameters);
      if (Array.isArray(target)) {
        const i = int(index, "[index]");
        if (i < 0 || i >= target.length) throw new ArmEvaluationError(`index ${i} is outside the array of ${target.length}`);
        return target[i];
      }
      if (isObject(target)) {
        const name = str(index, "[index]");
        const key = Object.keys(target).find((k) => k.toLowerCase() === name.toLowerCase());
        if (key === undefined) throw new ArmEvaluationError(`the property '${name}' does not exist; it has: ${Object.keys(target).join(", ") || "none"}`);
        return target[key];
      }
      throw new ArmEvaluationError(`cannot index ${typeName(target)} ${JSON.stringify(target)}`);
    }
    case "call": {
      const lower = node.name.toLowerCase();
      if (lower === "parameters") {
        if (node.args.length !== 1) throw new ArmEvaluationError(`parameters() takes 1 argument, got ${node.args.length}`);
        const name = str(evaluateNode(node.args[0] as ArmNode, parameters), "parameters");
        const found = parameters(name);
        if ("declared" in found) throw new ArmEvaluationError(`parameter '${name}' is not declared`);
        if (found.value === undefined) throw new ArmEvaluationError(`parameter '${name}' has no value (no default, and the assignment sets none)`);
        return found.value;
      }
      if (NOT_IN_POLICY.has(lower)) throw new ArmEvaluationError(`${node.name}() cannot be used in a policy rule (Azure Policy refuses it)`);
      if (AZURE_ONLY.has(lower)) throw new ArmEvaluationError(`${node.name}() takes its value from Azure when the policy is evaluated; azpol cannot evaluate it offline`);
      const fn = BY_NAME.get(lower);
      if (!fn) throw new ArmEvaluationError(`${node.name}() is not an ARM template function`);
      return fn(
        node.args.map((a) => evaluateNode(a, parameters)),
        node.name,
      );
    }
  }
}

/**
 * A details value with every ARM expression in it evaluated, at any depth (Azure evaluates
 * expressions in nested objects and arrays of details.values alike); "[[" strings lose one '['.
 */
export function evaluateArmValue(value: Json, parameters: ParameterValues): Json {
  if (typeof value === "string") {
    let read;
    try {
      read = readArmString(value);
    } catch (e) {
      if (e instanceof ArmSyntaxError) throw new ArmEvaluationError(`not a valid expression: ${e.message}`);
      throw e;
    }
    return "literal" in read ? read.literal : evaluateNode(read.expression, parameters);
  }
  if (Array.isArray(value)) return value.map((v) => evaluateArmValue(v, parameters));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, evaluateArmValue(v, parameters)]));
  return value;
}

/** A parameter of a record by name, case-insensitively as ARM looks parameters up. */
export function lookupParameter<T>(record: Record<string, T>, name: string): { value: T } | undefined {
  if (name in record) return { value: record[name] as T };
  const key = Object.keys(record).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : { value: record[key] as T };
}

/** Whether a value holds any ARM expression (at any depth). */
export function holdsArmExpression(value: Json): boolean {
  if (typeof value === "string") return value.length >= 2 && value.startsWith("[") && value.endsWith("]") && !value.startsWith("[[");
  if (Array.isArray(value)) return value.some(holdsArmExpression);
  if (isObject(value)) return Object.values(value).some(holdsArmExpression);
  return false;
}
