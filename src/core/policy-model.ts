// The normalized policy: everything the emitters need, already validated.
import type { ConstraintTemplate, JsonSchemaNode } from "./constraint-template.js";
import type { ParameterType } from "../model/definition-source.js";
import type { ExemptionModel } from "../model/exemption-source.js";
import { POD_BEARING_API_GROUPS, POD_BEARING_KIND_NAMES } from "./pod-bearing-kinds.js";

export const POLICY_MODE = "Microsoft.Kubernetes.Data";
export const CLUSTER_TYPES = ["Microsoft.ContainerService/managedClusters", "Microsoft.Kubernetes/connectedClusters"] as const;
/** every cluster type a definition may target: AKS, Arc, and the retired "AKS Engine" some built-ins still list */
export const KNOWN_CLUSTER_TYPES = [...CLUSTER_TYPES, "AKS Engine"] as const;
export const EFFECTS = ["Audit", "Deny", "Disabled"] as const;
export type Effect = (typeof EFFECTS)[number];
/** every effect a Microsoft.Kubernetes.Data definition may list (Mutate goes with details.mutationInfo) */
export const KUBERNETES_EFFECTS = ["Audit", "Deny", "Disabled", "Mutate"] as const;
/** details fields a definition may pass as parameters of the same name (built-ins: source, warn) */
export const DETAILS_PARAMETERS = ["source", "warn"] as const;
export type DetailsParameter = (typeof DETAILS_PARAMETERS)[number];

/** Pods and every built-in kind that carries a pod spec, in their real API groups (one table). */
export const DEFAULT_API_GROUPS: string[] = [...POD_BEARING_API_GROUPS];
export const DEFAULT_KINDS: string[] = [...POD_BEARING_KIND_NAMES];

export const DEFAULT_EXCLUDED_NAMESPACES = ["kube-system", "gatekeeper-system", "azure-arc", "azure-extensions-usage-system"];

export interface PolicyParameter {
  type: ParameterType;
  metadata: { displayName: string; description: string; deprecated?: boolean; portalReview?: boolean };
  allowedValues?: unknown[];
  defaultValue?: unknown;
  schema?: Record<string, unknown>;
}

export type TemplateInfo = { sourceType: "PublicURL"; url: string } | { sourceType: "Base64Encoded"; content: string };

/** details.templateInfo or details.mutationInfo for a source's template: its URL, or the file's text in Base64. */
export function templateInfoFor(template: { source?: string | undefined; url?: string | undefined }, text: string): TemplateInfo {
  return template.source === "PublicURL" ? { sourceType: "PublicURL", url: template.url ?? "" } : { sourceType: "Base64Encoded", content: Buffer.from(text, "utf8").toString("base64") };
}

/** What a built definition and a built initiative both have: the header, the parameters, where it came from. */
export interface PolicyHeader {
  name: string;
  displayName: string;
  description: string;
  version: string;
  category: string;
  parameters: Record<string, PolicyParameter>;
  /** file the model was built from, for messages */
  sourceFile: string;
}

/** `parameters` ordered: effect, excludedNamespaces, namespaces, labelSelector, then the source's own. */
export interface PolicyModel extends PolicyHeader {
  templateInfo: TemplateInfo;
  /** a list, or "[parameters('x')]" (an Array parameter the assignment sets) */
  apiGroups: string[] | string;
  kinds: string[] | string;
  /** policyRule.if: the cluster types, in the source's order */
  clusterTypes: string[];
  /** details.source / details.warn passed as the parameters of the same name, when declared */
  detailsParameters: DetailsParameter[];
  /** metadata.preview / metadata.deprecated, when the source sets them */
  preview?: boolean;
  deprecated?: boolean;
  /** whether version is also the definition's own version (properties.version) */
  versioned: boolean;
  values: Record<string, unknown>;
  /** parameters holding registry lists (checked as registry hosts wherever they are set) */
  registryParameters: string[];
  /** registry → registry `azpol fix` rewrites denied images to (from the source; never emitted) */
  replacements: Record<string, string>;
  template: ConstraintTemplate;
  /** policyExemptions deploy makes against this definition's assignment (never emitted by build) */
  exemptions: ExemptionModel[];
}

export const STANDARD_PARAMETERS = ["effect", "excludedNamespaces", "namespaces", "labelSelector"] as const;

export function parameterRef(name: string): string {
  return `[parameters('${name}')]`;
}

const PARAMETER_REF = /^\[parameters\('([^']*)'\)\]$/;

/** The parameter a value refers to when it is exactly parameterRef(name), else undefined. */
export function parameterRefName(value: unknown): string | undefined {
  return typeof value === "string" ? PARAMETER_REF.exec(value)?.[1] : undefined;
}

/** Policy parameter type → the JSON Schema type of the template property it feeds. */
export function schemaTypeOf(type: ParameterType): string {
  switch (type) {
    case "String":
    case "DateTime":
      return "string";
    case "Array":
      return "array";
    case "Object":
      return "object";
    case "Boolean":
      return "boolean";
    case "Integer":
      return "integer";
    case "Float":
      return "number";
  }
}

export function jsonTypeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

/** Does a value of JSON type `actual` satisfy schema type `expected`? */
export function schemaTypeAccepts(expected: string | undefined, actual: string): boolean {
  if (expected === undefined) return true;
  if (expected === actual) return true;
  return expected === "number" && actual === "integer";
}

export type { JsonSchemaNode };

/** The labelSelector parameter schema the built-ins use (azure-policy-k8s-format.md §1.2). */
export const LABEL_SELECTOR_SCHEMA: Record<string, unknown> = {
  description:
    "A label selector is a label query over a set of resources. The result of matchLabels and matchExpressions are ANDed. An empty label selector matches all resources.",
  type: "object",
  properties: {
    matchLabels: {
      description: "matchLabels is a map of {key,value} pairs.",
      type: "object",
      additionalProperties: { type: "string" },
      minProperties: 1,
    },
    matchExpressions: {
      description: "matchExpressions is a list of values, a key, and an operator.",
      type: "array",
      items: {
        type: "object",
        properties: {
          key: { description: "key is the label key that the selector applies to.", type: "string" },
          operator: {
            description: "operator represents a key's relationship to a set of values.",
            type: "string",
            enum: ["In", "NotIn", "Exists", "DoesNotExist"],
          },
          values: {
            description:
              "values is an array of string values. If the operator is In or NotIn, the values array must be non-empty. If the operator is Exists or DoesNotExist, the values array must be empty.",
            type: "array",
            items: { type: "string" },
          },
        },
        required: ["key", "operator"],
        additionalProperties: false,
      },
      minItems: 1,
    },
  },
  additionalProperties: false,
};
