// Generates test/fixtures/builtins/corpus/<shape>/{definition.json,template.yaml}: definitions in
// the shapes of Microsoft's built-in Kubernetes definitions (Azure/azure-policy,
// built-in-policies/policyDefinitions/Kubernetes; the shapes and the files they come from are in
// test/fixtures/builtins/SHAPES.md). They are written from this table, not copied: texts, names
// and templates are azpol's own. Each template denies a Pod labelled corpus-bad=true and reports
// any parameter that still holds an ARM expression, so `azpol test` proves the values reached
// the template evaluated. `--check` fails instead of writing when the files are stale.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

const AKS = "Microsoft.ContainerService/managedClusters";
const ARC = "Microsoft.Kubernetes/connectedClusters";

type Json = Record<string, unknown>;

/** What a shape is expected to do: round-trip, or be refused with a message naming the feature. */
export interface Shape {
  name: string;
  /** the built-ins this shape stands for (SHAPES.md) */
  like: string[];
  definition: Json;
  /** template parameter name → JSON schema type */
  templateParameters: Record<string, Json>;
  expect: { roundTrips: true } | { refused: RegExp };
}

const text = (what: string) => ({ displayName: what, description: `The ${what.toLowerCase()} (corpus).` });
const standard = (options: { excluded?: string[]; namespacesDefault?: boolean; lowerObject?: boolean; effects?: string[]; effect?: string; source?: boolean; warn?: boolean }): Json => ({
  ...(options.source ? { source: { type: "String", metadata: text("Source"), defaultValue: "Original", allowedValues: ["All", "Generated", "Original"] } } : {}),
  ...(options.warn ? { warn: { type: "Boolean", metadata: text("Warn"), defaultValue: false } } : {}),
  effect: { type: "String", metadata: { ...text("Effect"), portalReview: true }, allowedValues: options.effects ?? ["Audit", "Deny", "Disabled"], defaultValue: options.effect ?? "Audit" },
  excludedNamespaces: { type: "Array", metadata: text("Namespace exclusions"), defaultValue: options.excluded ?? ["kube-system", "gatekeeper-system", "azure-arc", "azure-extensions-usage-system"] },
  namespaces: { type: "Array", metadata: text("Namespace inclusions"), ...(options.namespacesDefault === false ? {} : { defaultValue: [] }) },
  labelSelector: {
    type: options.lowerObject ? "object" : "Object",
    metadata: text("Kubernetes label selector"),
    defaultValue: {},
    schema: {
      description: "A label selector (corpus wording).",
      type: "object",
      properties: {
        matchLabels: { description: "Labels.", type: "object", additionalProperties: { type: "string" }, minProperties: 1 },
        matchExpressions: {
          description: "Expressions.",
          type: "array",
          items: {
            type: "object",
            properties: {
              key: { description: "Key.", type: "string" },
              operator: { description: "Operator.", type: "string", enum: ["In", "NotIn", "Exists", "DoesNotExist"] },
              values: { description: "Values.", type: "array", items: { type: "string" } },
            },
            required: ["key", "operator"],
            additionalProperties: false,
          },
          minItems: 1,
        },
      },
      additionalProperties: false,
    },
  },
});
const standardDetails = { excludedNamespaces: "[parameters('excludedNamespaces')]", namespaces: "[parameters('namespaces')]", labelSelector: "[parameters('labelSelector')]" };
const templateInfo = (shape: string) => ({ sourceType: "PublicURL", url: `https://store.policy.core.windows.net/kubernetes/corpus-${shape}/v1/template.yaml` });

function builtIn(name: string, version: string | undefined, metadata: Json, parameters: Json, rule: Json): Json {
  return {
    properties: {
      ...text(`Corpus ${name}`),
      policyType: "BuiltIn",
      mode: "Microsoft.Kubernetes.Data",
      metadata: { version: version ?? "1.0.0", category: "Kubernetes", ...metadata },
      ...(version !== undefined ? { version, versions: [version, "1.0.0"] } : {}),
      parameters,
      policyRule: rule,
    },
    id: `/providers/Microsoft.Authorization/policyDefinitions/00000000-0000-0000-0000-${name.length.toString().padStart(12, "0")}`,
    name: `corpus-${name}`,
  };
}

const ranges = { type: "Object", metadata: { ...text("Ranges"), portalReview: true }, defaultValue: { ranges: [] }, schema: { type: "object", properties: { ranges: { type: "array", items: { type: "object", properties: { min: { type: "integer" }, max: { type: "integer" } }, required: ["min", "max"], additionalProperties: false } } }, required: ["ranges"], additionalProperties: false } };

export const SHAPES: Shape[] = [
  {
    name: "nested-values",
    like: ["AllowedUsersGroups.json"],
    definition: builtIn(
      "nested-values",
      "6.2.0",
      {},
      {
        ...standard({ source: true, warn: true, effects: ["audit", "Audit", "deny", "Deny", "disabled", "Disabled"] }),
        runAsUserRule: { type: "String", metadata: { ...text("Run as user rule"), portalReview: true }, allowedValues: ["MustRunAs", "MustRunAsNonRoot", "RunAsAny"], defaultValue: "MustRunAsNonRoot" },
        runAsUserRanges: ranges,
        excludedImages: { type: "Array", metadata: text("Image exclusions"), defaultValue: [] },
      },
      {
        if: { field: "type", in: [ARC, AKS] },
        then: {
          effect: "[parameters('effect')]",
          details: {
            source: "[parameters('source')]",
            warn: "[parameters('warn')]",
            templateInfo: templateInfo("nested-values"),
            apiGroups: [""],
            kinds: ["Pod"],
            ...standardDetails,
            values: { runAsUser: { rule: "[parameters('runAsUserRule')]", ranges: "[parameters('runAsUserRanges').ranges]" }, excludedImages: "[parameters('excludedImages')]" },
          },
        },
      },
    ),
    templateParameters: { runAsUser: { type: "object", properties: { rule: { type: "string" }, ranges: { type: "array", items: { type: "object" } } } }, excludedImages: { type: "array", items: { type: "string" } } },
    expect: { roundTrips: true },
  },
  {
    name: "audit-only-aks",
    like: ["BlockAdminRolebindings.json"],
    definition: builtIn("audit-only-aks", "1.1.0", {}, standard({ source: true, warn: true, effects: ["Audit", "Disabled"] }), {
      if: { field: "type", equals: AKS },
      then: { effect: "[parameters('effect')]", details: { source: "[parameters('source')]", warn: "[parameters('warn')]", templateInfo: templateInfo("audit-only-aks"), apiGroups: ["rbac.authorization.k8s.io"], kinds: ["ClusterRoleBinding", "RoleBinding"], ...standardDetails } },
    }),
    templateParameters: {},
    expect: { roundTrips: true },
  },
  {
    name: "parameterised-kinds",
    like: ["BlockResource.json"],
    definition: builtIn(
      "parameterised-kinds",
      undefined,
      { version: "1.0.0-preview", preview: true },
      {
        ...standard({ excluded: ["kube-system", "gatekeeper-system", "azure-arc"], namespacesDefault: false, lowerObject: true }),
        kind: { type: "String", metadata: text("Resource kind"), defaultValue: "Pod" },
        apiGroups: { type: "Array", metadata: text("Resource API groups"), defaultValue: [""] },
      },
      {
        if: { field: "type", in: ["AKS Engine", ARC, AKS] },
        then: { effect: "[parameters('effect')]", details: { templateInfo: templateInfo("parameterised-kinds"), ...standardDetails, apiGroups: "[parameters('apiGroups')]", kinds: ["[parameters('kind')]"] } },
      },
    ),
    templateParameters: {},
    expect: { roundTrips: true },
  },
  {
    name: "property-path",
    like: ["AllowedHostPaths.json", "AllowedSELinuxOptions (SELinux)", "EnforceResourceAnnotation"],
    definition: builtIn(
      "property-path",
      "6.0.0",
      {},
      {
        ...standard({ source: true, warn: true }),
        allowedHostPaths: { type: "Object", metadata: text("Allowed host paths"), defaultValue: { paths: [{ pathPrefix: "/data", readOnly: true }] }, schema: { type: "object", properties: { paths: { type: "array", items: { type: "object" } } }, required: ["paths"] } },
      },
      {
        if: { field: "type", in: [ARC, AKS] },
        then: { effect: "[parameters('effect')]", details: { source: "[parameters('source')]", warn: "[parameters('warn')]", templateInfo: templateInfo("property-path"), apiGroups: [""], kinds: ["Pod"], ...standardDetails, values: { allowedHostPaths: "[parameters('allowedHostPaths').paths]" } } },
      },
    ),
    templateParameters: { allowedHostPaths: { type: "array", items: { type: "object" } } },
    expect: { roundTrips: true },
  },
  {
    name: "deprecated",
    like: ["deprecated built-ins (metadata.deprecated, '[Deprecated]:' names, -deprecated versions)"],
    definition: builtIn(
      "deprecated",
      "2.0.0-deprecated",
      { deprecated: true },
      { ...standard({}), oldSetting: { type: "String", metadata: { ...text("Old setting"), deprecated: true }, defaultValue: "x" } },
      { if: { field: "type", in: [ARC, AKS] }, then: { effect: "[parameters('effect')]", details: { templateInfo: templateInfo("deprecated"), apiGroups: [""], kinds: ["Pod"], ...standardDetails, values: { setting: "[parameters('oldSetting')]" } } } },
    ),
    templateParameters: { setting: { type: "string" } },
    expect: { roundTrips: true },
  },
  {
    name: "mutation",
    // the 19 mutationInfo built-ins themselves import (test/mutation-definition.test.ts round-trips
    // their shape with a mutator); this shape adds kinds, which Azure refuses with mutationInfo
    like: ["the 19 mutationInfo built-ins (e.g. *Mutate*.json), with kinds added"],
    definition: builtIn("mutation", "1.0.0", {}, { effect: { type: "String", metadata: text("Effect"), allowedValues: ["Mutate", "Disabled"], defaultValue: "Mutate" } }, {
      if: { field: "type", equals: AKS },
      then: { effect: "[parameters('effect')]", details: { mutationInfo: { sourceType: "PublicURL", url: "https://store.policy.core.windows.net/kubernetes/corpus-mutation/v1/mutation.yaml" }, kinds: ["Pod"] } },
    }),
    templateParameters: {},
    expect: { refused: /details\.kinds with mutationInfo: Azure does not allow it/ },
  },
  {
    name: "v1-format",
    like: ["*_EnforceOPAConstraint.json"],
    definition: builtIn("v1-format", "1.0.0", {}, {}, { if: { field: "type", in: [AKS] }, then: { effect: "EnforceOPAConstraint", details: { constraintTemplate: "https://example.invalid/template.yaml", constraint: "https://example.invalid/constraint.yaml" } } }),
    templateParameters: {},
    expect: { refused: /retired v1 format/ },
  },
];

/** The template a shape's definition points at: its parameters, a bad-label rule and an unevaluated-expression rule. */
export function templateFor(shape: Shape): string {
  const name = `k8sazurev1corpus${shape.name.replace(/-/g, "")}`;
  const kind = `K8sAzureV1Corpus${shape.name.replace(/(^|-)([a-z])/g, (_, __: string, c: string) => c.toUpperCase())}`;
  const schema = { type: "object", properties: shape.templateParameters };
  return `apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata:
  name: ${name}
spec:
  crd:
    spec:
      names:
        kind: ${kind}
      validation:
        openAPIV3Schema: ${JSON.stringify(schema)}
  targets:
    - target: admission.k8s.gatekeeper.sh
      rego: |
        package ${name}
        violation[{"msg": msg}] {
          input.review.object.metadata.labels["corpus-bad"] == "true"
          msg := "corpus-bad is set"
        }
        violation[{"msg": msg}] {
          walk(input.parameters, [_, value])
          is_string(value)
          startswith(value, "[")
          msg := sprintf("the template got an unevaluated ARM expression: %v", [value])
        }
`;
}

export function corpusFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const shape of SHAPES) {
    files[`${shape.name}/definition.json`] = `${JSON.stringify(shape.definition, null, 2)}\n`;
    files[`${shape.name}/template.yaml`] = templateFor(shape);
  }
  return files;
}

export const CORPUS_DIR = join(import.meta.dirname, "..", "test", "fixtures", "builtins", "corpus");

if (process.argv[1]?.endsWith("generate-builtin-corpus.ts")) {
  for (const [path, content] of Object.entries(corpusFiles())) {
    const target = join(CORPUS_DIR, path);
    let current = "";
    try {
      current = readFileSync(target, "utf8");
    } catch {
      // new file
    }
    if (current === content) continue;
    if (process.argv.includes("--check")) {
      console.error(`stale: ${target}; run 'tsx scripts/generate-builtin-corpus.ts'`);
      process.exitCode = 1;
      continue;
    }
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
    console.log(`wrote ${target}`);
  }
}
