// An assignment's compliance as status prints it: clusters by state, the Kubernetes objects by
// state, and the non-compliant objects themselves (the first 20 in text; all in --json).
import type { ComplianceSummary, ComponentState } from "../../compliance/compliance-port.js";
import { paint } from "./colour.js";

export interface AssignmentCompliance {
  clusters: Record<string, number>;
  nonCompliantClusters: number;
  /** undefined: Policy Insights has no component states for this scope (management group) */
  components?: Record<string, number>;
  nonCompliantComponents?: ComponentState[];
}

const count = (items: { complianceState: string; count?: number }[]) => {
  const out: Record<string, number> = {};
  for (const i of items) out[i.complianceState] = (out[i.complianceState] ?? 0) + (i.count ?? 1);
  return out;
};

export function complianceRow(summary: ComplianceSummary, components: ComponentState[] | undefined): AssignmentCompliance {
  return {
    clusters: count(summary.resources),
    nonCompliantClusters: summary.nonCompliantResources,
    ...(components ? { components: count(components), nonCompliantComponents: components.filter((c) => c.complianceState.toLowerCase() === "noncompliant") } : {}),
  };
}

const states = (r: Record<string, number>) => Object.entries(r).map(([k, v]) => `${v} ${k}`).join(", ") || "no data yet (the add-on reports every 15 minutes)";

export function formatCompliance(c: AssignmentCompliance): string[] {
  const lines = [`clusters: ${states(c.clusters)}`];
  if (!c.components) lines.push("kubernetes objects: not reported for management group assignments (query a subscription or resource group)");
  else {
    lines.push(`kubernetes objects: ${states(c.components)}`);
    for (const o of (c.nonCompliantComponents ?? []).slice(0, 20)) lines.push(`  ${paint.red("non-compliant")} ${o.componentType} ${o.componentId} (${o.resourceId.split("/").pop() ?? ""})`);
    if ((c.nonCompliantComponents?.length ?? 0) > 20) lines.push(`  ... and ${(c.nonCompliantComponents?.length ?? 0) - 20} more (--json lists all)`);
  }
  return lines;
}
