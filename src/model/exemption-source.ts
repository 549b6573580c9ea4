// A policy exemption as a source declares it (exemptions: in a definition or initiative source).
// Exemptions work for Microsoft.Kubernetes.Data, on a resource hierarchy level or one cluster, not
// on a Kubernetes component such as a namespace (learn.microsoft.com/azure/governance/policy/
// concepts/exemption-structure: "Exemptions can't be created at the Resource Provider mode
// component level"); namespaces are excluded with the excludedNamespaces parameter instead.
export interface ExemptionSource {
  name: string;
  displayName?: string;
  description?: string;
  category: "Waiver" | "Mitigated";
  /** ISO 8601 date-time (UTC); absent: the exemption does not expire */
  expiresOn?: string;
  /**
   * where the exemption is made: a resource group name, or an ARM id at or below the assignment
   * scope (a subscription, resource group or cluster); absent: the assignment scope itself
   */
  scope?: string;
  /** initiatives only: the member definitions (policyDefinitionReferenceIds) exempted; absent: all */
  referenceIds?: string[];
}

/** An exemption checked and normalized, ready to deploy. */
export interface ExemptionModel {
  name: string;
  displayName: string;
  description: string;
  category: "Waiver" | "Mitigated";
  /** normalized ISO 8601 (Date#toISOString), or undefined */
  expiresOn: string | undefined;
  scope: string | undefined;
  referenceIds: string[];
  /** expired when the sources were read: validate warns, deploy does not create it */
  expired: boolean;
}
