// The fake ARM's rules about scopes that every resource route applies (SPEC.md "Resources"):
// which scopes exist, whether a definition's scope covers an assignment's, the server fields a
// write stamps, and one page of a list with its nextLink.
import { ArmFailure, type Stored } from "./store.js";

export interface ScopeWorld {
  subscriptions: string[];
  /** management groups that exist, with the subscriptions under each */
  managementGroups?: Record<string, string[]>;
  /** resource groups per subscription; when absent any resource group exists */
  resourceGroups?: Record<string, string[]>;
  /** list page size (nextLink paging) */
  pageSize?: number;
}

/** Throws ARM's error when the scope does not exist or cannot hold `type`. */
export function checkScope(world: ScopeWorld, scope: string, type: string): void {
  let m: RegExpExecArray | null;
  if ((m = /^\/providers\/Microsoft\.Management\/managementGroups\/([^/]+)$/i.exec(scope))) {
    const mg = m[1] ?? "";
    if (!Object.keys(world.managementGroups ?? {}).some((g) => g.toLowerCase() === mg.toLowerCase())) throw new ArmFailure(404, "ManagementGroupNotFound", `The management group '${mg}' could not be found.`);
    return;
  }
  if ((m = /^\/subscriptions\/([^/]+)(?:\/resourceGroups\/([^/]+))?$/i.exec(scope))) {
    const [, sub = "", rg] = m;
    if (!world.subscriptions.some((s) => s.toLowerCase() === sub.toLowerCase())) throw new ArmFailure(404, "SubscriptionNotFound", `The subscription '${sub}' could not be found.`);
    if (rg !== undefined) {
      if (type === "policyDefinitions") throw new ArmFailure(400, "InvalidPolicyUri", `The policy request scope '${scope}' should be '/', '/subscriptions/id' or '/providers/Microsoft.Management/managementGroups/id'.`);
      const known = world.resourceGroups?.[sub];
      if (known && !known.some((g) => g.toLowerCase() === rg.toLowerCase())) throw new ArmFailure(404, "ResourceGroupNotFound", `Resource group '${rg}' could not be found.`);
    }
    return;
  }
  throw new ArmFailure(400, "InvalidPolicyUri", `The policy request scope '${scope}' should be '/', '/subscriptions/id' or '/providers/Microsoft.Management/managementGroups/id'.`);
}

/** Whether a definition at `definitionScope` may be assigned at `assignmentScope` (at or below it). */
export function definitionCovers(world: ScopeWorld, definitionScope: string, assignmentScope: string): boolean {
  const d = definitionScope.toLowerCase();
  const a = assignmentScope.toLowerCase();
  if (a === d || a.startsWith(`${d}/`)) return true;
  const mg = /^\/providers\/microsoft\.management\/managementgroups\/([^/]+)$/.exec(d)?.[1];
  if (!mg) return false;
  const subs = Object.entries(world.managementGroups ?? {}).find(([g]) => g.toLowerCase() === mg)?.[1] ?? [];
  return subs.some((s) => a === `/subscriptions/${s.toLowerCase()}` || a.startsWith(`/subscriptions/${s.toLowerCase()}/`));
}

/** metadata.createdBy/createdOn/updatedBy/updatedOn as ARM stamps them on a write. */
export function stamp(existing: Stored | undefined, metadata: unknown): Record<string, unknown> {
  const now = new Date().toISOString();
  const base = metadata && typeof metadata === "object" ? (metadata as Record<string, unknown>) : {};
  return { ...base, createdBy: "00000000-0000-0000-0000-00000000a11e", createdOn: existing?.properties.metadata ? (existing.properties.metadata as Record<string, unknown>).createdOn : now, updatedBy: existing ? "00000000-0000-0000-0000-00000000a11e" : null, updatedOn: existing ? now : null };
}

/** One page of a list, with an absolute nextLink carrying $skiptoken (pageSize per page, default 100). */
export function page(world: ScopeWorld, endpoint: string, scope: string, type: string, all: Stored[], params: URLSearchParams): unknown {
  const filter = params.get("$filter") ?? "";
  const skip = Number(params.get("$skiptoken") ?? "0");
  const size = world.pageSize ?? 100;
  const items = all.slice(skip, skip + size);
  const next = skip + size < all.length ? `${endpoint}${scope}/providers/Microsoft.Authorization/${type}?${filter ? `$filter=${encodeURIComponent(filter)}&` : ""}$skiptoken=${skip + size}&api-version=${params.get("api-version")}` : undefined;
  return next ? { value: items, nextLink: next } : { value: items };
}
