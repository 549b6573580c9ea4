// The Policy Insights calls `azpol status --compliance` makes, served from data a test sets per
// assignment id (SPEC.md, "Policy Insights"). Shapes from @azure/arm-policyinsights 6.0.0
// models (SummarizeResults, ComponentPolicyStatesQueryResults), api-version 2024-10-01.
export interface FakeCompliance {
  /** clusters by compliance state */
  resources: { complianceState: string; count: number }[];
  components: { componentId: string; componentType: string; componentName: string; resourceId: string; complianceState: string }[];
}

export const INSIGHTS_API_VERSION = "2024-10-01";

const ASSIGNMENT_QUERY = /^(.*\/providers\/Microsoft\.Authorization\/policyAssignments\/[^/]+)\/providers\/Microsoft\.PolicyInsights\/(policyStates|componentPolicyStates)\/latest\/(summarize|queryResults)$/i;
const MG_SUMMARIZE = /^\/providers\/Microsoft\.Management\/managementGroups\/[^/]+\/providers\/Microsoft\.PolicyInsights\/policyStates\/latest\/summarize$/i;

function summary(data: FakeCompliance | undefined, assignmentId: string): unknown {
  const resources = data?.resources ?? [];
  const nonCompliant = resources.find((r) => r.complianceState === "noncompliant")?.count ?? 0;
  return {
    "@odata.context": "https://management.azure.com/providers/Microsoft.PolicyInsights/policyStates/$metadata#summary",
    "@odata.count": 1,
    value: [
      {
        "@odata.id": null,
        "@odata.context": "https://management.azure.com/providers/Microsoft.PolicyInsights/policyStates/$metadata#summary/$entity",
        results: { queryResultsUri: "", nonCompliantResources: nonCompliant, nonCompliantPolicies: nonCompliant ? 1 : 0, resourceDetails: resources, policyDetails: [], policyGroupDetails: [] },
        policyAssignments: [{ policyAssignmentId: assignmentId, policySetDefinitionId: "", results: { nonCompliantResources: nonCompliant, resourceDetails: resources }, policyDefinitions: [], policyGroups: [] }],
      },
    ],
  };
}

/** The answer to a Policy Insights request, or undefined when it is not one. */
export function policyInsightsRoute(method: string, path: string, params: URLSearchParams, data: ReadonlyMap<string, FakeCompliance>): [number, unknown] | undefined {
  const byAssignment = ASSIGNMENT_QUERY.exec(path);
  const byGroup = MG_SUMMARIZE.exec(path);
  if (!byAssignment && !byGroup) return undefined;
  if (method !== "POST") return [405, { error: { code: "MethodNotAllowed", message: "Policy Insights queries are POST requests." } }];
  if (params.get("api-version") !== INSIGHTS_API_VERSION) return [400, { error: { code: "InvalidApiVersionParameter", message: `The api-version '${params.get("api-version")}' is invalid. The supported versions are '${INSIGHTS_API_VERSION}'.` } }];
  if (byGroup) {
    const filter = /^policyAssignmentId eq '(.+)'$/i.exec(params.get("$filter") ?? "")?.[1] ?? "";
    return [200, summary(data.get(filter.toLowerCase()), filter)];
  }
  const [, assignmentId = "", collection, verb] = byAssignment as RegExpExecArray;
  const entry = data.get(assignmentId.toLowerCase());
  if (collection?.toLowerCase() === "policystates" && verb === "summarize") return [200, summary(entry, assignmentId)];
  if (collection?.toLowerCase() === "componentpolicystates" && verb === "queryResults") {
    const value = (entry?.components ?? []).map((c) => ({ ...c, policyAssignmentId: assignmentId, timestamp: "2026-11-24T00:00:00Z", policyDefinitionAction: "deny" }));
    return [200, { "@odata.context": "https://management.azure.com/providers/Microsoft.PolicyInsights/componentPolicyStates/$metadata#latest", "@odata.count": value.length, value }];
  }
  return [404, { error: { code: "InvalidResourceType", message: `The resource type could not be found for path '${path}'.` } }];
}
