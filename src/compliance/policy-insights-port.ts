// CompliancePort on @azure/arm-policyinsights 6.0.0 (api-version 2024-10-01): summarize per
// assignment (subscription and resource group level; management group by $filter on the
// assignment id), and componentPolicyStates queryResults for the Kubernetes objects.
// (../shared/reference/gatekeeper-cel-insights-bicep-azurite.md §4)
import type { TokenCredential } from "@azure/core-auth";
import { PolicyInsightsClient } from "@azure/arm-policyinsights";
import { rootCertificates } from "node:tls";
import { armNetworkPolicies } from "../deploy/network-pipeline.js";
import type { Scope } from "../deploy/scope.js";
import type { NetworkPolicy } from "../net/network-policy.js";
import type { CompliancePort } from "./compliance-port.js";

export function policyInsightsPort(options: { credential: TokenCredential; subscriptionId: string | undefined; endpoint: string; extraCa?: string | undefined; network: NetworkPolicy }): CompliancePort {
  const client = new PolicyInsightsClient(options.credential, options.subscriptionId ?? "", {
    // the same request timeout, deadline and Retry-After caps as every ARM call
    additionalPolicies: armNetworkPolicies(options.network).map((policy) => ({ policy, position: "perRetry" as const })),
    endpoint: options.endpoint,
    ...(options.extraCa ? { tlsOptions: { ca: [...rootCertificates, options.extraCa] } } : {}),
    userAgentOptions: { userAgentPrefix: "azpol" },
  });
  return {
    async summarize(scope: Scope, name: string, id: string) {
      const result =
        scope.kind === "resourceGroup"
          ? await client.policyStates.summarizeForResourceGroupLevelPolicyAssignment("latest", scope.subscriptionId, scope.resourceGroup, name)
          : scope.kind === "subscription"
            ? await client.policyStates.summarizeForSubscriptionLevelPolicyAssignment("latest", scope.subscriptionId, name)
            : await client.policyStates.summarizeForManagementGroup("latest", scope.managementGroupId, { queryOptions: { filter: `policyAssignmentId eq '${id}'` } });
      const results = result.value?.[0]?.results;
      return {
        nonCompliantResources: results?.nonCompliantResources ?? 0,
        resources: (results?.resourceDetails ?? []).map((d) => ({ complianceState: d.complianceState ?? "", count: d.count ?? 0 })),
      };
    },
    async components(scope: Scope, name: string) {
      if (scope.kind === "managementGroup") return undefined;
      const result =
        scope.kind === "resourceGroup"
          ? await client.componentPolicyStates.listQueryResultsForResourceGroupLevelPolicyAssignment(scope.subscriptionId, scope.resourceGroup, name, "latest")
          : await client.componentPolicyStates.listQueryResultsForSubscriptionLevelPolicyAssignment(scope.subscriptionId, name, "latest");
      return (result.value ?? []).map((c) => ({ componentId: c.componentId ?? "", componentType: c.componentType ?? "", componentName: c.componentName ?? "", resourceId: c.resourceId ?? "", complianceState: c.complianceState ?? "" }));
    },
  };
}
