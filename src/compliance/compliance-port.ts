// The port to Azure Policy's compliance data (Policy Insights) for one assignment: the roll-up of
// clusters by compliance state, and the Kubernetes objects ("components") and their states.
import type { Scope } from "../deploy/scope.js";

export interface ComplianceSummary {
  nonCompliantResources: number;
  /** resources (clusters) by compliance state */
  resources: { complianceState: string; count: number }[];
}

export interface ComponentState {
  componentId: string;
  componentType: string;
  componentName: string;
  resourceId: string;
  complianceState: string;
}

export interface CompliancePort {
  summarize(scope: Scope, assignmentName: string, assignmentId: string): Promise<ComplianceSummary>;
  /** undefined where Policy Insights has no component query for the scope (management groups) */
  components(scope: Scope, assignmentName: string): Promise<ComponentState[] | undefined>;
}
