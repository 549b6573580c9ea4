// The shape of definitions/<name>/definition.yaml, as the schema admits it.
import type { ExemptionSource } from "../exemption/exemption-source.js";

export type ParameterType = "String" | "Array" | "Object" | "Boolean" | "Integer" | "Float" | "DateTime";

export interface ParameterSource {
  type: string;
  displayName?: string;
  description?: string;
  default?: unknown;
  allowedValues?: unknown[];
  /** the template parameter (details.values key) this policy parameter is passed as */
  templateParameter?: string;
  /** extra meaning azpol validates: "registries" = a list of registry hosts */
  format?: "registries";
  schema?: Record<string, unknown>;
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

export interface DefinitionSource {
  name: string;
  displayName: string;
  description: string;
  version?: string;
  category?: string;
  template: TemplateSource;
  effect?: string;
  excludedNamespaces?: string[];
  namespaces?: string[];
  labelSelector?: Record<string, unknown>;
  apiGroups?: string[];
  kinds?: string[];
  parameters?: Record<string, ParameterSource>;
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
