// A readable diff between two JSON values: one change per leaf path that differs.
// Arrays of different length are shown as one whole-value change.

export interface Change {
  path: string;
  op: "add" | "remove" | "change";
  before?: unknown;
  after?: unknown;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

export function jsonDiff(before: unknown, after: unknown, path = ""): Change[] {
  if (isObject(before) && isObject(after)) {
    const changes: Change[] = [];
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    for (const k of keys) {
      const p = path ? `${path}.${k}` : k;
      if (!(k in after) || after[k] === undefined) {
        if (k in before && before[k] !== undefined) changes.push({ path: p, op: "remove", before: before[k] });
      } else if (!(k in before) || before[k] === undefined) changes.push({ path: p, op: "add", after: after[k] });
      else changes.push(...jsonDiff(before[k], after[k], p));
    }
    return changes;
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((b, i) => jsonDiff(b, after[i], `${path}[${i}]`));
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path, op: "change", before, after }];
}
