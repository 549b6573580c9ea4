// Plans for reviews: `deploy --dry-run --out plan.json` saves the plan with a digest of every
// resource as it was read; `deploy --plan plan.json` re-reads Azure and applies exactly that plan,
// or refuses when anything it touches changed since (someone else wrote in between).
import { createHash } from "node:crypto";
import type { ArmResource } from "./arm-port.js";
import type { Current, Plan, PlanItem } from "./plan.js";

export const PLAN_FORMAT = 1;

export interface SavedPlan {
  azpolPlan: typeof PLAN_FORMAT;
  createdAt: string;
  owner: string;
  plan: Omit<Plan, "items"> & { items: (Omit<PlanItem, "current"> & { currentDigest: string })[] };
}

/** A stable digest of a resource as ARM returned it ("absent" when there was none). */
export function resourceDigest(resource: ArmResource | undefined): string {
  if (!resource) return "absent";
  const stable = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(stable) : v !== null && typeof v === "object" ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, stable((v as Record<string, unknown>)[k])])) : v;
  return createHash("sha256").update(JSON.stringify(stable({ id: resource.id.toLowerCase(), properties: resource.properties }))).digest("hex");
}

export function savePlan(plan: Plan, owner: string, now = new Date()): SavedPlan {
  return { azpolPlan: PLAN_FORMAT, createdAt: now.toISOString(), owner, plan: { ...plan, items: plan.items.map(({ current, ...rest }) => ({ ...rest, currentDigest: resourceDigest(current) })) } };
}

/** The saved plan's items whose resource is no longer what it was when the plan was made. */
export function driftSince(saved: SavedPlan, current: Current): string[] {
  const byId = new Map([...current.definitions, ...current.assignments, ...(current.setDefinitions ?? []), ...(current.exemptions ?? [])].map((r) => [r.id.toLowerCase(), r]));
  return saved.plan.items.filter((i) => resourceDigest(byId.get(i.id.toLowerCase())) !== i.currentDigest).map((i) => `${i.kind} ${i.name}`);
}

export function readSavedPlan(data: unknown): SavedPlan | string {
  const p = data as Partial<SavedPlan> | undefined;
  if (!p || typeof p !== "object" || p.azpolPlan !== PLAN_FORMAT || !p.plan || !Array.isArray(p.plan.items)) return `not an azpol plan file (format ${PLAN_FORMAT}); make one with azpol deploy --dry-run --out plan.json`;
  return p as SavedPlan;
}
