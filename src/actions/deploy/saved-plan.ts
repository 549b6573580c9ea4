// deploy's saved plans: --out writes one for review (replacing only an earlier plan file), --plan
// reads one back, and applying it is refused when Azure changed since it was made.
import { dirname, resolve } from "node:path";
import type { writeGuarded } from "../../io/guarded-writer.js";
import { depthProblem } from "../../io/read-bounds.js";
import { driftSince, readSavedPlan, savedPlanProblem, savePlan, type SavedPlan } from "../../deploy/plan-file.js";
import type { Current, Plan } from "../../deploy/plan.js";
import { AzpolError, UsageError } from "../../errors.js";
import { readInputText } from "../../io/read-input.js";
import { parseJsonText } from "../../io/json-text.js";
import { VERSION } from "../../model/azpol-version.js";

/** A JSON file named by a flag (a path, or - for stdin), read within the input bounds. */
export function readJsonFile(flag: string, file: string): unknown {
  const read = readInputText(file);
  if ("error" in read) throw new UsageError(`${flag} ${JSON.stringify(file)} ${read.error}`);
  const deep = depthProblem(read.text);
  if (deep) throw new UsageError(`${flag} ${JSON.stringify(file)} ${deep}`);
  // the parser's own message would quote the file's first characters (json-text.ts)
  const parsed = parseJsonText(read.text);
  if ("error" in parsed) throw new UsageError(`${flag} ${JSON.stringify(file)} ${parsed.error}`);
  return parsed.value;
}

/** A saved plan file, read once: its scope decides where deploy reads, its items what it applies. */
export function loadPlanFile(file: string): SavedPlan {
  const saved = readSavedPlan(readJsonFile("--plan", file));
  if (typeof saved === "string") throw new UsageError(`--plan ${file}: ${saved}`);
  const problem = savedPlanProblem(saved, VERSION);
  if (problem) throw new UsageError(`--plan ${file} ${problem}`);
  return saved;
}

/** The saved plan, with today's resources attached, or an error naming what changed since. */
export function planFromSaved(file: string, saved: SavedPlan, current: Current): Plan {
  const drift = driftSince(saved, current);
  if (drift.length) throw new AzpolError("PlanStale", `Azure changed since ${file} was made (${saved.createdAt}): ${drift.join(", ")}; nothing was applied. Make a new plan and review it again`);
  const byId = new Map([...current.definitions, ...current.assignments, ...(current.setDefinitions ?? []), ...(current.exemptions ?? [])].map((r) => [r.id.toLowerCase(), r]));
  return { ...saved.plan, items: saved.plan.items.map(({ currentDigest: _d, ...i }) => ({ ...i, current: byId.get(i.id.toLowerCase()) })) };
}

export function writePlanFile(file: string, plan: Plan, owner: string, write: typeof writeGuarded): void {
  const path = resolve(file);
  // replace only an earlier plan file, never a file azpol did not write (the writer's `owned` rule)
  write(dirname(path), path, `${JSON.stringify(savePlan(plan, owner, VERSION), null, 2)}\n`, { label: "--out's folder", owned: { what: "an azpol plan", is: isPlanFile } });
}

function isPlanFile(bytes: Buffer): boolean {
  const text = bytes.toString("utf8");
  if (depthProblem(text)) return false;
  try {
    return typeof readSavedPlan(JSON.parse(text)) !== "string";
  } catch {
    return false;
  }
}
