// The shapes an existing Kubernetes policy definition comes in, read into one: the ARM body
// ({properties: {...}}, azpol's policy.json, community repos), an ARM resource ({id, name,
// properties}, a GET or `az policy definition show` without --query), the portal's
// {mode, parameters, policyRule}, az's flat output ({name, displayName, mode, policyRule, ...}),
// and the Azure Policy VS Code extension's output (the ARM body with "/* EDIT HERE */"
// placeholders, which count as missing).
import { asRecord } from "../core/constraint-template.js";

export interface ExistingDefinition {
  name?: string;
  displayName?: string;
  description?: string;
  mode: string;
  /** properties.version (Azure's definition versions), when the definition has one */
  version?: string;
  metadata: Record<string, unknown>;
  parameters: Record<string, Record<string, unknown>>;
  policyRule: Record<string, unknown>;
}

// Every field of PolicyDefinitionProperties (api-version 2025-03-01, Azure/azure-rest-api-specs
// policyDefinitions.json; the same list in bicep-types-az microsoft.authorization/2025-03-01) and
// of ParameterDefinitionsValue. Any other key, and the ones azpol cannot carry into every build
// output, are refused with their JSON path: an import never drops a field in silence.
const PROPERTIES = new Set(["displayName", "description", "mode", "version", "metadata", "parameters", "policyRule", "policyType", "versions"]);
/** read-only resource fields (ARM GET, `az policy definition show`) and an ARM template resource's */
const RESOURCE = new Set(["id", "name", "type", "systemData", "apiVersion"]);
const PARAMETER_KEYS = new Set(["type", "metadata", "defaultValue", "allowedValues", "schema"]);
const NOT_CARRIED: Record<string, string> = {
  externalEvaluationEnforcementSettings:
    "is a policy definition field (api-version 2025-03-01) that an azpol source cannot express and Terraform's azurerm_policy_definition cannot set, so azpol's build outputs would drop it; remove it from the file to import the rest (and set it again after deploying), or keep this definition outside azpol",
};

/** The fields of the definition azpol would not carry into its outputs, each as "path: why". */
function uncarriedFields(top: Record<string, unknown>, body: Record<string, unknown>): string[] {
  const nested = body !== top;
  const at = nested ? "properties." : "";
  const problems: string[] = [];
  if (nested) for (const key of Object.keys(top)) if (key !== "properties" && !RESOURCE.has(key) && top[key] !== null) problems.push(`${key} is not a field of a policy definition resource azpol knows; it cannot be kept`);
  for (const key of Object.keys(body)) {
    // az and ARM may list a field they do not set as null: nothing to keep
    if (body[key] === null || PROPERTIES.has(key) || (!nested && RESOURCE.has(key))) continue;
    problems.push(`${at}${key} ${NOT_CARRIED[key] ?? "is not a policy definition field azpol knows (api-version 2025-03-01); it cannot be kept"}`);
  }
  for (const [name, raw] of Object.entries(asRecord(body.parameters) ?? {})) {
    const p = asRecord(raw);
    if (!p) {
      problems.push(`${at}parameters.${name} is not an object`);
      continue;
    }
    for (const key of Object.keys(p)) if (!PARAMETER_KEYS.has(key) && p[key] !== null) problems.push(`${at}parameters.${name}.${key} is not a parameter field azpol knows (type, metadata, defaultValue, allowedValues, schema); it cannot be kept`);
  }
  return problems;
}

const text = (v: unknown): string | undefined => (typeof v === "string" && v.trim() !== "" && !/EDIT HERE/i.test(v) ? v : undefined);

export function readExistingDefinition(data: unknown): ExistingDefinition | string {
  const top = asRecord(data);
  if (!top) return "the file is not a JSON object";
  const body = asRecord(top.properties) ?? top;
  const policyRule = asRecord(body.policyRule);
  if (!policyRule && Array.isArray(body.policyDefinitions)) return "this is a policy set definition (initiative), not a definition; import its member definitions one by one and write an initiative.yaml that lists them (see the README's Initiatives)";
  if (!policyRule) return "no policyRule found (expected policy.json {properties: {policyRule}}, portal {mode, parameters, policyRule}, or an ARM resource)";
  const mode = typeof body.mode === "string" ? body.mode : "";
  if (mode.toLowerCase() !== "microsoft.kubernetes.data") return `mode is ${JSON.stringify(body.mode ?? null)}: only Kubernetes definitions (mode Microsoft.Kubernetes.Data) can be imported`;
  const uncarried = uncarriedFields(top, body);
  if (uncarried.length) return `nothing was written, because azpol would drop these fields: ${uncarried.join("; ")}`;
  const parameters: Record<string, Record<string, unknown>> = {};
  for (const [k, v] of Object.entries(asRecord(body.parameters) ?? {})) {
    const p = asRecord(v);
    if (p) parameters[k] = p;
  }
  const name = text(top.name) ?? text(body.name);
  const displayName = text(body.displayName);
  const description = text(body.description);
  return {
    ...(name ? { name } : {}),
    ...(displayName ? { displayName } : {}),
    ...(description ? { description } : {}),
    mode,
    ...(typeof body.version === "string" ? { version: body.version } : {}),
    metadata: asRecord(body.metadata) ?? {},
    parameters,
    policyRule,
  };
}
