// The ARM template functions a policy rule may call, evaluated on JSON values
// (learn.microsoft.com azure-resource-manager/templates/template-functions-array, -string,
// -logical, -comparison, -object, -numeric). Pure.
export class ArmEvaluationError extends Error {}

type Json = unknown;

export const typeName = (v: Json): string => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v === "number" ? "int" : typeof v === "boolean" ? "bool" : typeof v);

function expect<T>(ok: boolean, value: Json, fn: string, wanted: string): T {
  if (!ok) throw new ArmEvaluationError(`${fn}() expects ${wanted}, got ${typeName(value)} ${JSON.stringify(value)}`);
  return value as T;
}
export const str = (v: Json, fn: string) => expect<string>(typeof v === "string", v, fn, "a string");
export const int = (v: Json, fn: string) => expect<number>(typeof v === "number" && Number.isInteger(v), v, fn, "an integer");
const bool = (v: Json, fn: string) => expect<boolean>(typeof v === "boolean", v, fn, "a bool");
const arr = (v: Json, fn: string) => expect<Json[]>(Array.isArray(v), v, fn, "an array");
export const isObject = (v: Json): v is Record<string, Json> => typeof v === "object" && v !== null && !Array.isArray(v);

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
export const BY_NAME = new Map(Object.entries(FUNCTIONS).map(([k, f]) => [k.toLowerCase(), f]));

function compare(a: Json[], n: string): number {
  const [x, y] = a;
  if (typeof x === "string" && typeof y === "string") return x < y ? -1 : x > y ? 1 : 0;
  return int(x, n) - int(y, n);
}

