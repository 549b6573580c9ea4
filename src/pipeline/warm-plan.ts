// The warm plan: the templates a project's last `azpol test` compiled, remembered so that the next
// run can hand them to the native engine the moment it starts (the engine's "precompile" op,
// engine/precompile.go). Their compilation then overlaps with the loading of azpol's own code and
// the reading of the definitions, instead of following them.
//
// The plan only saves time; it never decides anything. The engine reuses a speculative compile
// only for a later compile request with the same Rego, libs and Rego version, so a plan that is
// stale, corrupt or missing costs at most a wasted compile, never a wrong answer.
//
// One file per project folder, in cacheDir()/warm/, named by a hash of the folder and holding the
// folder itself (a hash collision is a miss); written through the guarded writer, and only when
// it changed. Templates are project code (Rego), not secrets: nothing from the manifests is kept.
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { writeGuarded } from "../io/guarded-writer.js";
import type { CompileSource } from "../rego/engine-port.js";
import { cacheDir } from "../io/cache-dir.js";

/** At most this many templates and this many characters of them are remembered per project. */
const MAX_TEMPLATES = 32;
const MAX_CHARACTERS = 2 * 1024 * 1024;
const PLAN_VERSION = 1;

// FNV-1a, 32 bits: a short file name without loading node:crypto on the start-up path. The
// file holds the folder, so two folders sharing a hash only miss.
function folderHash(folder: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < folder.length; i++) {
    h ^= folder.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, "0");
}

const planDir = (env: NodeJS.ProcessEnv) => join(cacheDir(env), "warm");
const planPath = (folder: string, env: NodeJS.ProcessEnv) => join(planDir(env), `${folderHash(folder)}.json`);

const isSource = (v: unknown): v is CompileSource => {
  const s = v as CompileSource;
  return typeof s === "object" && s !== null && typeof s.rego === "string" && typeof s.version === "string" && Array.isArray(s.libs) && s.libs.every((l) => typeof l === "string");
};

function readPlanText(folder: string, env: NodeJS.ProcessEnv): string | undefined {
  const path = planPath(folder, env);
  try {
    // a plan is at most ~2 MiB of code as JSON; anything much larger is not one of ours: not read
    if (statSync(path).size > MAX_CHARACTERS * 4) return undefined;
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

/** The templates remembered for this folder; [] when there is no usable plan. */
export function readWarmPlan(folder: string, env: NodeJS.ProcessEnv = process.env): CompileSource[] {
  const text = readPlanText(folder, env);
  if (text === undefined) return [];
  try {
    const plan = JSON.parse(text) as { version?: unknown; folder?: unknown; templates?: unknown };
    if (plan.version !== PLAN_VERSION || plan.folder !== folder || !Array.isArray(plan.templates)) return [];
    return plan.templates.filter(isSource).slice(0, MAX_TEMPLATES);
  } catch {
    return [];
  }
}

/** What a plan of these templates holds: the first ones within the bounds, each once. */
export function planTemplates(sources: readonly CompileSource[]): CompileSource[] {
  const kept: CompileSource[] = [];
  const seen = new Set<string>();
  let characters = 0;
  for (const s of sources) {
    const key = JSON.stringify([s.rego, s.libs, s.version]);
    const size = s.rego.length + s.libs.reduce((n, l) => n + l.length, 0);
    if (seen.has(key) || kept.length >= MAX_TEMPLATES || characters + size > MAX_CHARACTERS) continue;
    seen.add(key);
    characters += size;
    kept.push({ rego: s.rego, libs: [...s.libs], version: s.version });
  }
  return kept;
}

/**
 * Remembers the templates this folder's run compiled, when they differ from the plan on disk.
 * A cache that cannot be written only costs speed: the failure is swallowed.
 */
export function rememberWarmPlan(folder: string, sources: readonly CompileSource[], env: NodeJS.ProcessEnv = process.env): boolean {
  const templates = planTemplates(sources);
  if (templates.length === 0) return false;
  const text = JSON.stringify({ version: PLAN_VERSION, folder, templates });
  if (readPlanText(folder, env) === text) return false;
  try {
    writeGuarded(planDir(env), planPath(folder, env), text, { label: "the warm plan" });
    return true;
  } catch {
    return false;
  }
}
