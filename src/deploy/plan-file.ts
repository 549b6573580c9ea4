// Plans for reviews: `deploy --dry-run --out plan.json` saves the plan with a digest of every
// resource as it was read; `deploy --plan plan.json` re-reads Azure and applies exactly that plan,
// or refuses when anything it touches changed since (someone else wrote in between).
// The file carries a sha256 over its plan (scope, every item: action, body, digests), its owner
// and the azpol version that made it: a plan edited after review (a body, an action, an item
// added), or made by another azpol version, is refused before anything is read or written.
import { createHash } from "node:crypto";
import type { ArmResource } from "./arm-port.js";
import type { Current, Plan, PlanItem } from "./plan.js";
import { planIdentityProblems } from "./plan-identity.js";

export const PLAN_FORMAT = 1;

export interface SavedPlan {
  azpolPlan: typeof PLAN_FORMAT;
  createdAt: string;
  owner: string;
  /** the azpol version that made the plan */
  azpolVersion: string;
  /** sha256 over azpolVersion, owner and plan (stable JSON) */
  digest: string;
  plan: Omit<Plan, "items"> & { items: (Omit<PlanItem, "current"> & { currentDigest: string })[] };
}

const stable = (v: unknown): unknown =>
  Array.isArray(v) ? v.map(stable) : v !== null && typeof v === "object" ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, stable((v as Record<string, unknown>)[k])])) : v;

export function planDigest(p: Pick<SavedPlan, "azpolVersion" | "owner" | "plan">): string {
  return createHash("sha256").update(JSON.stringify(stable({ azpolVersion: p.azpolVersion, owner: p.owner, plan: p.plan }))).digest("hex");
}

/** A stable digest of a resource as ARM returned it ("absent" when there was none). */
export function resourceDigest(resource: ArmResource | undefined): string {
  if (!resource) return "absent";
  return createHash("sha256").update(JSON.stringify(stable({ id: resource.id.toLowerCase(), properties: resource.properties }))).digest("hex");
}

export function savePlan(plan: Plan, owner: string, azpolVersion: string, now = new Date()): SavedPlan {
  const saved = { plan: { ...plan, items: plan.items.map(({ current, ...rest }) => ({ ...rest, currentDigest: resourceDigest(current) })) }, owner, azpolVersion };
  // the digest is over the plan as it is written (a JSON round trip drops undefined fields)
  const written = JSON.parse(JSON.stringify(saved)) as typeof saved;
  return { azpolPlan: PLAN_FORMAT, createdAt: now.toISOString(), owner, azpolVersion, digest: planDigest(written), plan: written.plan };
}

/** The saved plan's items whose resource is no longer what it was when the plan was made. */
export function driftSince(saved: SavedPlan, current: Current): string[] {
  const byId = new Map([...current.definitions, ...current.assignments, ...(current.setDefinitions ?? []), ...(current.exemptions ?? [])].map((r) => [r.id.toLowerCase(), r]));
  return saved.plan.items.filter((i) => resourceDigest(byId.get(i.id.toLowerCase())) !== i.currentDigest).map((i) => `${i.kind} ${i.name}`);
}

/** The plan file's shape only (is it a plan at all); verifySavedPlan checks it was not edited. */
export function readSavedPlan(data: unknown): SavedPlan | string {
  const p = data as Partial<SavedPlan> | undefined;
  if (!p || typeof p !== "object" || p.azpolPlan !== PLAN_FORMAT || !p.plan || !Array.isArray(p.plan.items)) return `not an azpol plan file (format ${PLAN_FORMAT}); make one with azpol deploy --dry-run --out plan.json`;
  return p as SavedPlan;
}

/** Why a saved plan may not be applied by this azpol: edited since it was made, or another version's. */
export function savedPlanProblem(saved: SavedPlan, azpolVersion: string): string | undefined {
  if (typeof saved.digest !== "string" || typeof saved.azpolVersion !== "string" || typeof saved.owner !== "string") return "carries no digest (it was not made by this azpol, or was edited); make a new plan with azpol deploy --dry-run --out and review it";
  if (planDigest(saved) !== saved.digest) return "was changed after it was made (its digest does not match its items); nothing was applied. Make a new plan with azpol deploy --dry-run --out and review it again";
  if (saved.azpolVersion !== azpolVersion) return `was made by azpol ${saved.azpolVersion}, this is ${azpolVersion}; make a new plan with this version and review it`;
  // a digest anyone can recompute: what the plan prints must still be what it writes
  const identity = planIdentityProblems({ ...saved.plan, items: saved.plan.items });
  if (identity.length) return `would not write what it prints: ${identity.slice(0, 3).join("; ")}${identity.length > 3 ? ` (and ${identity.length - 3} more)` : ""}; nothing was applied. Make a new plan with azpol deploy --dry-run --out and review it`;
  return undefined;
}
