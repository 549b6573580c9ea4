// azpol status: the policy assignments azpol made at a scope (or all of them), each with its
// exemptions and, asked for, its compliance. Reads only; returns the rows, prints nothing.
import type { ArmPort } from "../deploy/arm-port.js";
import { MANAGED_BY } from "../deploy/desired-state.js";
import { exemptionsByAssignment, type ExemptionRow } from "../deploy/exemption-rows.js";
import type { Scope } from "../deploy/scope.js";
import { complianceRow, type AssignmentCompliance } from "../compliance/assignment-compliance.js";
import type { CompliancePort } from "../compliance/compliance-port.js";
import type { EstateCompliancePort } from "../compliance/estate-compliance.js";
import type { ActionContext } from "./context.js";
import { compareText } from "../model/compare-text.js";

export interface StatusRequest {
  /** also the assignments azpol did not make */
  all: boolean;
  compliance: boolean;
}

/** Where status reads: ARM at the scope, and the compliance services with the same credential. */
export interface StatusConnection {
  scope: Scope;
  port: ArmPort;
  compliance(): Promise<CompliancePort>;
  estateCompliance(): Promise<EstateCompliancePort>;
}

export interface AssignmentRow {
  name: string;
  id: string;
  policyDefinitionId: string;
  enforcementMode: string;
  managedByAzpol: boolean;
  parameters: Record<string, unknown>;
  exemptions: ExemptionRow[];
  compliance?: AssignmentCompliance;
}

export interface StatusOutcome {
  scope: string;
  rows: AssignmentRow[];
}

/**
 * At a management group: one Azure Resource Graph query (paged) for every assignment, however many
 * subscriptions are below it. At a subscription or resource group: Policy Insights per assignment,
 * which also gives the Kubernetes objects (the per-object drill-down Resource Graph's summary lacks).
 */
async function complianceOf(arm: StatusConnection, rows: { id: string; name: string }[]): Promise<Map<string, AssignmentCompliance>> {
  const out = new Map<string, AssignmentCompliance>();
  if (arm.scope.kind === "managementGroup") {
    const summaries = await (await arm.estateCompliance()).summarizeAssignments(arm.scope, rows.map((r) => r.id));
    for (const r of rows) out.set(r.id, complianceRow(summaries.get(r.id.toLowerCase()) ?? { nonCompliantResources: 0, resources: [] }, undefined));
    return out;
  }
  const insights = await arm.compliance();
  for (const r of rows) out.set(r.id, complianceRow(await insights.summarize(arm.scope, r.name, r.id), await insights.components(arm.scope, r.name)));
  return out;
}

export async function status(request: StatusRequest, ctx: ActionContext, arm: StatusConnection): Promise<StatusOutcome> {
  const [all, exemptionList] = await Promise.all([arm.port.listAssignments(arm.scope), arm.port.listExemptions(arm.scope)]);
  const exemptions = exemptionsByAssignment(exemptionList, ctx.now());
  const managed = (a: (typeof all)[number]) => (a.properties.metadata as Record<string, unknown> | undefined)?.managedBy === MANAGED_BY.managedBy;
  const rows: AssignmentRow[] = all
    .filter((a) => request.all || managed(a))
    .map((a) => ({
      name: a.name,
      id: a.id,
      policyDefinitionId: typeof a.properties.policyDefinitionId === "string" ? a.properties.policyDefinitionId : "",
      enforcementMode: typeof a.properties.enforcementMode === "string" ? a.properties.enforcementMode : "Default",
      managedByAzpol: managed(a),
      parameters: Object.fromEntries(Object.entries((a.properties.parameters ?? {}) as Record<string, { value: unknown }>).map(([k, v]) => [k, v.value])),
      exemptions: exemptions.get(a.id.toLowerCase()) ?? [],
    }))
    .sort((a, b) => compareText(a.name, b.name));
  if (request.compliance) {
    const compliance = await complianceOf(arm, rows);
    for (const r of rows) r.compliance = compliance.get(r.id) as AssignmentCompliance;
  }
  return { scope: arm.scope.id, rows };
}
