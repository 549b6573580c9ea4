// The shape of definitions/<name>/definition.yaml, as the schema admits it.
import type { ExemptionSource } from "./exemption-source.js";
import type { ParameterDeclaration, SourceHeader } from "./source-header.js";

export type ParameterType = "String" | "Array" | "Object" | "Boolean" | "Integer" | "Float" | "DateTime";

export interface ParameterSource extends ParameterDeclaration {
  /** the template parameter (details.values key) this policy parameter is passed as */
  templateParameter?: string;
  /** extra meaning azpol validates: "registries" = a list of registry hosts */
  format?: "registries";
  /** metadata.deprecated: the portal marks the parameter deprecated */
  deprecated?: boolean;
  /** metadata.portalReview: the portal shows the parameter on the assignment's review page */
  portalReview?: boolean;
}

export interface TemplateSource {
  /** path of the ConstraintTemplate YAML, relative to the definition file */
  path: string;
  /** how Azure gets the template: embed it (Base64Encoded) or fetch it (PublicURL) */
  source: string;
  url?: string;
  /** sha256 (hex) of the template the URL must serve: what was tested; `azpol publish` records it */
  sha256?: string;
}

export interface DefinitionSource extends SourceHeader<ParameterSource> {
  /** required here (an initiative's is optional) */
  description: string;
  template: TemplateSource;
  effect?: string;
  /** the effect parameter's allowedValues as written (default: Audit, Deny, Disabled) */
  effects?: string[];
  /** details.source's default: which objects Gatekeeper reviews (All = also what workloads expand to) */
  source?: "Original" | "Generated" | "All";
  /** details.warn's default: return warnings to kubectl */
  warn?: boolean;
  /** policyRule.if: the cluster types the definition applies to (default: AKS and Arc) */
  clusterTypes?: string[];
  /** metadata.preview / metadata.deprecated */
  preview?: boolean;
  deprecated?: boolean;
  /** also emit version as properties.version (Azure's definition versions) */
  versioned?: boolean;
  excludedNamespaces?: string[];
  namespaces?: string[];
  labelSelector?: Record<string, unknown>;
  /** a list, or "[parameters('x')]" naming an Array parameter */
  apiGroups?: string[] | string;
  kinds?: string[] | string;
  /** literal or "[parameters('x')]" values passed to the template as they are */
  values?: Record<string, unknown>;
  /**
   * registry → registry that `azpol fix` rewrites denied images to (k8s.gcr.io → registry.k8s.io);
   * azpol's own, never emitted
   */
  replacements?: Record<string, string>;
  /** policyExemptions `azpol deploy` makes against this definition's assignment */
  exemptions?: ExemptionSource[];
}
