// A Gatekeeper ConstraintTemplate as azpol needs it: its name and kind, its parameter
// schema (what details.values may carry) and its Rego.

export const GATEKEEPER_TARGET = "admission.k8s.gatekeeper.sh";
const SYNC_ANNOTATION = "metadata.gatekeeper.sh/requires-sync-data";

export interface JsonSchemaNode {
  type?: string;
  properties?: Record<string, JsonSchemaNode>;
  items?: JsonSchemaNode;
  [key: string]: unknown;
}

export interface ConstraintTemplate {
  name: string;
  kind: string;
  /** openAPIV3Schema.properties: the constraint's parameters */
  parameters: Record<string, JsonSchemaNode>;
  schema: JsonSchemaNode;
  /** the Rego source; undefined for a template with only K8sNativeValidation (CEL) code */
  rego: string | undefined;
  libs: string[];
  regoVersion: string | undefined;
  target: string;
  requiresSyncData: boolean;
  /**
   * The target carries K8sNativeValidation (CEL) code. Gatekeeper 3.20.1 (the AKS add-on's, and
   * gator) registers its CEL driver first and evaluates a template's CEL instead of its Rego
   * (frameworks client.go driverForTemplate; GK main.go); engine-choice.ts decides the same way.
   */
  hasCel: boolean;
  /** the template object as read, for Gatekeeper's own client (CEL evaluation) */
  object: Record<string, unknown>;
  /** the YAML text as read, for Base64Encoded templateInfo */
  text: string;
}

/** Returns the template, or a list of reasons it is not one. */
export function readConstraintTemplate(data: unknown, text: string): ConstraintTemplate | string[] {
  const problems: string[] = [];
  const obj = asRecord(data);
  if (!obj) return ["the file is not a YAML object"];
  if (obj.kind !== "ConstraintTemplate") problems.push(`kind is ${JSON.stringify(obj.kind)}; a ConstraintTemplate has kind: ConstraintTemplate`);
  if (typeof obj.apiVersion !== "string" || !obj.apiVersion.startsWith("templates.gatekeeper.sh/")) {
    problems.push(`apiVersion is ${JSON.stringify(obj.apiVersion)}; use templates.gatekeeper.sh/v1beta1 or templates.gatekeeper.sh/v1`);
  }
  const metadata = asRecord(obj.metadata);
  const name = metadata?.name;
  if (typeof name !== "string" || name === "") problems.push("metadata.name is missing");
  const spec = asRecord(obj.spec);
  const crdSpec = asRecord(asRecord(asRecord(spec?.crd)?.spec));
  const kind = asRecord(crdSpec?.names)?.kind;
  if (typeof kind !== "string" || kind === "") problems.push("spec.crd.spec.names.kind is missing");
  const schema = (asRecord(asRecord(crdSpec?.validation)?.openAPIV3Schema) ?? {}) as JsonSchemaNode;
  const targets = Array.isArray(spec?.targets) ? spec.targets : [];
  const target = asRecord(targets[0]);
  if (!target) problems.push("spec.targets is empty; add one target with rego");
  const rego = regoOf(target);
  const hasCel = (Array.isArray(target?.code) ? target.code : []).some((c) => asRecord(c)?.engine === "K8sNativeValidation");
  if (target && rego === undefined && !hasCel) problems.push("spec.targets[0] has no code: neither rego:, code: [{engine: Rego}] nor code: [{engine: K8sNativeValidation}]");
  if (problems.length || typeof name !== "string" || typeof kind !== "string") return problems;

  const annotations = asRecord(metadata?.annotations) ?? {};
  return {
    name,
    kind,
    parameters: schema.properties ?? {},
    schema,
    rego: rego?.source,
    libs: rego?.libs ?? [],
    regoVersion: rego?.version,
    target: typeof target?.target === "string" ? target.target : "",
    requiresSyncData: SYNC_ANNOTATION in annotations,
    hasCel,
    object: obj,
    text,
  };
}

function regoOf(target: Record<string, unknown> | undefined): { source: string; libs: string[]; version: string | undefined } | undefined {
  if (!target) return undefined;
  const libs = Array.isArray(target.libs) ? target.libs.filter((l): l is string => typeof l === "string") : [];
  if (typeof target.rego === "string") return { source: target.rego, libs, version: undefined };
  const code = Array.isArray(target.code) ? target.code.map(asRecord) : [];
  const entry = code.find((c) => c?.engine === "Rego");
  const source = asRecord(entry?.source);
  if (typeof source?.rego !== "string") return undefined;
  const codeLibs = Array.isArray(source.libs) ? source.libs.filter((l): l is string => typeof l === "string") : libs;
  return { source: source.rego, libs: codeLibs, version: typeof source.version === "string" ? source.version : undefined };
}

export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
