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
