// Azure Resource Graph as `azpol status --compliance` uses it: POST
// /providers/Microsoft.ResourceGraph/resources for azpol's one `policyresources` query over the
// policy states the fake knows (FakeArm.compliance), scoped by the request's subscriptions or
// management groups, paged with $skipToken and throttled per user quota. SPEC.md, "Resource Graph".
import { randomUUID } from "node:crypto";
import type { FakeCompliance } from "./policy-insights.js";

export const RESOURCE_GRAPH_API_VERSIONS = ["2024-04-01", "2022-10-01", "2021-03-01", "2021-06-01-preview"];
const PATH = /^\/providers\/Microsoft\.ResourceGraph\/resources$/i;
// azpol's query (src/compliance/estate-compliance.ts), with its list of assignment ids
const AZPOL_QUERY =
  /^policyresources\n\| where type =~ 'microsoft\.policyinsights\/policystates'\n\| where tolower\(tostring\(properties\.policyAssignmentId\)\) in \(((?:'(?:[^'\\]|\\.)*'(?:, )?)+)\)\n\| project id, assignmentId = tolower\(tostring\(properties\.policyAssignmentId\)\), resourceId = tolower\(tostring\(properties\.resourceId\)\), complianceState = tostring\(properties\.complianceState\)\n\| order by id asc$/;

export interface GraphContext {
  compliance: ReadonlyMap<string, FakeCompliance>;
  subscriptions: string[];
  managementGroups: Record<string, string[]>;
  /** rows per page at most (the service: 1000) */
  pageSize: number;
  quota: { limit: number | undefined; used: number };
}

// Policy Insights' summarize says states in lowercase ("noncompliant"); policyresources rows carry
// properties.complianceState as the policy state resource does ("NonCompliant").
const GRAPH_STATE: Record<string, string> = { noncompliant: "NonCompliant", compliant: "Compliant", exempt: "Exempt", conflict: "Conflict", error: "Error", unknown: "Unknown" };

type Answer = [number, unknown, Record<string, string>];

const supportError = (code: string, message: string, details: { code: string; message: string }[]): unknown => ({
  error: { code, message: `Please provide below info when asking for support: timestamp = ${new Date().toISOString()}, correlationId = ${randomUUID()}. ${message}`, details },
});

/** One policy state per cluster: the fake's per-assignment counts spread over the subscriptions the assignment covers. */
function policyStates(ctx: GraphContext): { id: string; subscriptionId: string; assignmentId: string; resourceId: string; complianceState: string }[] {
  const rows = [];
  for (const [assignmentId, data] of ctx.compliance) {
    const sub = /^\/subscriptions\/([^/]+)/.exec(assignmentId)?.[1];
    const mg = /^\/providers\/microsoft\.management\/managementgroups\/([^/]+)/.exec(assignmentId)?.[1];
    const subs = sub ? [sub] : (Object.entries(ctx.managementGroups).find(([g]) => g.toLowerCase() === mg)?.[1] ?? []);
    let n = 0;
    for (const { complianceState, count } of data.resources) {
      for (let i = 0; i < count; i++, n++) {
        const s = (subs[n % Math.max(1, subs.length)] ?? "").toLowerCase();
        const resourceId = `/subscriptions/${s}/resourcegroups/rg-aks/providers/microsoft.containerservice/managedclusters/aks-${assignmentId.split("/").pop() ?? ""}-${n}`;
        rows.push({ id: `${resourceId}/providers/microsoft.policyinsights/policystates/${assignmentId.split("/").pop() ?? ""}`, subscriptionId: s, assignmentId, resourceId, complianceState: GRAPH_STATE[complianceState.toLowerCase()] ?? complianceState });
      }
    }
  }
  return rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export function resourceGraphRoute(method: string, path: string, params: URLSearchParams, raw: string, ctx: GraphContext): Answer | undefined {
  if (!PATH.test(path)) return undefined;
  const limit = ctx.quota.limit;
  const quotaHeaders = (): Record<string, string> => ({ "x-ms-user-quota-remaining": String(limit === undefined ? 15 : Math.max(0, limit - ctx.quota.used)), "x-ms-user-quota-resets-after": "00:00:05" });
  if (method !== "POST") return [405, { error: { code: "MethodNotAllowed", message: "Resource Graph queries are POST requests." } }, {}];
  const apiVersion = params.get("api-version") ?? "";
  if (!RESOURCE_GRAPH_API_VERSIONS.includes(apiVersion)) return [400, { error: { code: "InvalidApiVersionParameter", message: `The api-version '${apiVersion}' is invalid. The supported versions are '${RESOURCE_GRAPH_API_VERSIONS.join(",")}'.` } }, {}];
  if (limit !== undefined && ctx.quota.used >= limit) {
    ctx.quota.used = 0; // the client waits Retry-After; the fake refills the window at once instead of measuring time
    return [429, supportError("RateLimiting", "Details: Client application has been throttled and should not attempt to repeat the request until an amount of time has elapsed.", []), { ...quotaHeaders(), "x-ms-user-quota-remaining": "0", "retry-after": "1" }];
  }
  ctx.quota.used++;
  let body: { query?: unknown; subscriptions?: unknown; managementGroups?: unknown; options?: { $top?: number; $skip?: number; $skipToken?: string; resultFormat?: string } };
  try {
    body = JSON.parse(raw) as typeof body;
  } catch {
    return [400, supportError("BadRequest", "The request body is not valid JSON.", [{ code: "InvalidRequestContent", message: "The request content was invalid and could not be deserialized." }]), quotaHeaders()];
  }
  const match = typeof body.query === "string" ? AZPOL_QUERY.exec(body.query) : null;
  if (!match) return [400, supportError("BadRequest", "", [{ code: "InvalidQuery", message: "Query is invalid. Please refer to the documentation for the Azure Resource Graph service and fix the error before retrying." }, { code: "UnsupportedByFake", message: "The fake ARM answers only azpol's policyresources query." }]), quotaHeaders()];
  if (body.options?.resultFormat !== undefined && body.options.resultFormat !== "objectArray") return [400, supportError("BadRequest", "", [{ code: "InvalidQuery", message: "The fake serves resultFormat objectArray only." }]), quotaHeaders()];
  const ids = new Set([...(match[1] ?? "").matchAll(/'((?:[^'\\]|\\.)*)'/g)].map((m) => (m[1] ?? "").replace(/\\(.)/g, "$1")));
  // scope: the named management groups' subscriptions, the named subscriptions, else every subscription (tenant)
  let inScope: Set<string>;
  if (Array.isArray(body.managementGroups)) {
    inScope = new Set();
    for (const g of body.managementGroups as string[]) {
      const subs = Object.entries(ctx.managementGroups).find(([name]) => name.toLowerCase() === String(g).toLowerCase())?.[1];
      if (!subs) return [400, supportError("BadRequest", "", [{ code: "InvalidManagementGroup", message: `Management group '${String(g)}' was not found or the caller has no access to it.` }]), quotaHeaders()];
      for (const s of subs) inScope.add(s.toLowerCase());
    }
  } else if (Array.isArray(body.subscriptions)) inScope = new Set((body.subscriptions as string[]).map((s) => String(s).toLowerCase()));
  else inScope = new Set(ctx.subscriptions.map((s) => s.toLowerCase()));
  const rows = policyStates(ctx)
    .filter((r) => ids.has(r.assignmentId) && inScope.has(r.subscriptionId))
    .map(({ id, assignmentId, resourceId, complianceState }) => ({ id, assignmentId, resourceId, complianceState }));
  // $skipToken: where the next page starts, bound to the query and scope it was issued for
  const key = JSON.stringify([body.query, body.managementGroups ?? null, body.subscriptions ?? null]);
  let offset = body.options?.$skip ?? 0;
  if (body.options?.$skipToken !== undefined) {
    const token = (() => {
      try {
        return JSON.parse(Buffer.from(body.options.$skipToken, "base64").toString("utf8")) as { offset?: unknown; key?: unknown };
      } catch {
        return {};
      }
    })();
    if (typeof token.offset !== "number" || token.key !== key) return [400, supportError("BadRequest", "", [{ code: "InvalidSkipToken", message: "The $skipToken does not belong to this query and scope." }]), quotaHeaders()];
    offset = token.offset;
  }
  const size = Math.min(body.options?.$top ?? 1000, ctx.pageSize, 1000);
  const data = rows.slice(offset, offset + size);
  const next = offset + size < rows.length ? Buffer.from(JSON.stringify({ offset: offset + size, key })).toString("base64") : undefined;
  return [200, { totalRecords: rows.length, count: data.length, resultTruncated: "false", ...(next ? { $skipToken: next } : {}), data, facets: [] }, quotaHeaders()];
}
