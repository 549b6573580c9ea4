// Compliance for many assignments at once from Azure Resource Graph's `policyresources` table:
// the one query azpol sends, and how its rows become the per-assignment summary Policy Insights'
// summarize gives (clusters by compliance state). Pure: no SDK here, so tests check it directly.
//
// Sources: Microsoft Learn, "Azure Resource Graph sample queries for Azure Policy" and "Azure
// Resource Graph table and resource type reference" (policyresources holds
// microsoft.policyinsights/policystates with properties.policyAssignmentId, resourceId and
// complianceState); REST: azure-rest-api-specs specification/resourcegraph/resource-manager/
// Microsoft.ResourceGraph/ResourceGraph/stable/2024-04-01/resourcegraph.json (operationId
// "Resources"; ResourcesNextPageQuery.json: the id column keeps pages stably sorted).
import type { Scope } from "../deploy/scope.js";
import type { ComplianceSummary } from "./compliance-port.js";

/** The port: one paged Resource Graph query for every assignment, not a call per scope. */
export interface EstateCompliancePort {
  summarizeAssignments(scope: Scope, assignmentIds: string[]): Promise<Map<string, ComplianceSummary>>;
}

export interface PolicyStateRow {
  id: string;
  assignmentId: string;
  resourceId: string;
  complianceState: string;
}

const kqlString = (s: string) => `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;

/** The KQL azpol sends (and the only shape the fake ARM answers). Ids are lowercased to compare. */
export function policyStatesQuery(assignmentIds: string[]): string {
  return [
    "policyresources",
    "| where type =~ 'microsoft.policyinsights/policystates'",
    `| where tolower(tostring(properties.policyAssignmentId)) in (${assignmentIds.map((id) => kqlString(id.toLowerCase())).join(", ")})`,
    "| project id, assignmentId = tolower(tostring(properties.policyAssignmentId)), resourceId = tolower(tostring(properties.resourceId)), complianceState = tostring(properties.complianceState)",
    "| order by id asc",
  ].join("\n");
}

/**
 * How long one query's text may get. Resource Graph documents no limit on the query's length (its
 * documented limits are on results: 1,000 rows a page, 15 queries per 5 s per user), so this is a
 * safe choice, not a documented number: 8,000 characters holds about 60 management-group
 * assignment ids (~120 characters each, quoted). An estate with more assignments asks a few more
 * queries, each paged, which only costs quota.
 */
export const MAX_QUERY_CHARS = 8000;

/**
 * The assignment ids split into lists whose query stays within `maxChars` (in order, each id once;
 * an id too long to share a query gets one of its own).
 */
export function assignmentChunks(assignmentIds: string[], maxChars = MAX_QUERY_CHARS): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  for (const id of assignmentIds) {
    if (current.length > 0 && policyStatesQuery([...current, id]).length > maxChars) {
      chunks.push(current);
      current = [];
    }
    current.push(id);
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** Where the query runs: Resource Graph takes subscription ids or management group names. */
export function queryScope(scope: Scope): { managementGroups: string[] } | { subscriptions: string[] } {
  return scope.kind === "managementGroup" ? { managementGroups: [scope.managementGroupId] } : { subscriptions: [scope.subscriptionId] };
}

// An initiative has one state per member per resource: a resource counts once, by the state
// Microsoft's "Compliance by policy assignment" sample query (Azure Resource Graph sample queries
// for Azure Policy) weighs highest: NonCompliant, then Compliant, Conflict, Exempt, the rest.
const RANK = ["noncompliant", "compliant", "conflict", "exempt"];
const rank = (state: string) => {
  const i = RANK.indexOf(state.toLowerCase());
  return i < 0 ? RANK.length : i;
};

/** Rows → one summary per requested assignment id (lowercase keys; no rows: an empty summary). */
export function summariesFromStates(assignmentIds: string[], rows: PolicyStateRow[]): Map<string, ComplianceSummary> {
  const worst = new Map<string, Map<string, string>>();
  for (const r of rows) {
    const byResource = worst.get(r.assignmentId.toLowerCase()) ?? new Map<string, string>();
    worst.set(r.assignmentId.toLowerCase(), byResource);
    const seen = byResource.get(r.resourceId.toLowerCase());
    // lowercase, as Policy Insights' summarize says them: rows say "NonCompliant", summaries "noncompliant"
    const state = r.complianceState.toLowerCase();
    if (seen === undefined || rank(state) < rank(seen)) byResource.set(r.resourceId.toLowerCase(), state);
  }
  const out = new Map<string, ComplianceSummary>();
  for (const id of assignmentIds) {
    const counts = new Map<string, number>();
    for (const state of worst.get(id.toLowerCase())?.values() ?? []) counts.set(state, (counts.get(state) ?? 0) + 1);
    const resources = [...counts].map(([complianceState, count]) => ({ complianceState, count }));
    out.set(id.toLowerCase(), { nonCompliantResources: resources.filter((r) => r.complianceState === "noncompliant").reduce((n, r) => n + r.count, 0), resources });
  }
  return out;
}
