// An assignment's compliance, counted: clusters by state and, where Policy Insights has them, the
// Kubernetes objects by state with the non-compliant ones (what status --compliance shows).
import type { ComplianceSummary, ComponentState } from "./compliance-port.js";

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
