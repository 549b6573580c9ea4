// An existing policy set definition (initiative) as an azpol initiative source (pure). Each
// member must already be an azpol definition (imported first, by its definition name, which is
// the last segment of its policyDefinitionId: Microsoft's members are GUID-named built-ins).
// Member parameters ({x: {value: v}}) become `parameters: {x: v}`, definitionVersion pins are kept;
// what an initiative source cannot say is refused or noted, never dropped silently.
import { asRecord } from "../core/constraint-template.js";
import type { InitiativeParameterSource, InitiativeSource, MemberSource } from "../model/initiative-source.js";

export interface ImportedInitiative {
  source: InitiativeSource;
  notes: string[];
}

const PARAMETER_TYPES = new Map(["String", "Array", "Object", "Boolean", "Integer", "Float", "DateTime"].map((t) => [t.toLowerCase(), t]));
// PolicySetDefinitionProperties, ParameterDefinitionsValue and PolicyDefinitionReference of
// api-version 2025-03-01 (bicep-types-az microsoft.authorization/2025-03-01): any other key, or
// one azpol's initiative source cannot say, is refused by its JSON path, never dropped in silence.
const SET_PROPERTIES = new Set(["displayName", "description", "metadata", "parameters", "policyDefinitions", "policyDefinitionGroups", "policyType", "versions"]);
const RESOURCE = new Set(["id", "name", "type", "systemData", "apiVersion"]);
const PARAMETER_KEYS = new Set(["type", "metadata", "defaultValue", "allowedValues", "schema"]);
const MEMBER_KEYS = new Set(["policyDefinitionId", "policyDefinitionReferenceId", "parameters", "groupNames", "definitionVersion", "effectiveDefinitionVersion", "latestDefinitionVersion"]);

function uncarriedSetFields(top: Record<string, unknown>, body: Record<string, unknown>): string[] {
  const nested = body !== top;
  const at = nested ? "properties." : "";
  const problems: string[] = [];
  const unknown = (path: string) => `${path} is not a field azpol's initiative source can keep (api-version 2025-03-01); remove it to import the rest`;
  if (nested) for (const key of Object.keys(top)) if (key !== "properties" && !RESOURCE.has(key) && top[key] !== null) problems.push(unknown(key));
  for (const key of Object.keys(body)) if (!SET_PROPERTIES.has(key) && !(!nested && RESOURCE.has(key)) && body[key] !== null) problems.push(unknown(`${at}${key}`));
  for (const [name, raw] of Object.entries(asRecord(body.parameters) ?? {})) {
    for (const key of Object.keys(asRecord(raw) ?? {})) if (!PARAMETER_KEYS.has(key) && (raw as Record<string, unknown>)[key] !== null) problems.push(unknown(`${at}parameters.${name}.${key}`));
  }
  (Array.isArray(body.policyDefinitions) ? (body.policyDefinitions as unknown[]) : []).forEach((raw, i) => {
    for (const key of Object.keys(asRecord(raw) ?? {})) if (!MEMBER_KEYS.has(key) && (raw as Record<string, unknown>)[key] !== null) problems.push(unknown(`${at}policyDefinitions[${i}].${key}`));
  });
  return problems;
}

const text = (v: unknown): string | undefined => (typeof v === "string" && v.trim() !== "" ? v : undefined);

/** Whether the data is a policy set definition (an ARM body, resource or flat az output). */
export function isPolicySet(data: unknown): boolean {
  const top = asRecord(data);
  const body = asRecord(top?.properties) ?? top;
  return Array.isArray(body?.policyDefinitions);
}

/** The ids of the policy set's member definitions (as written: a built-in's, a subscription's or a management group's). */
export function memberDefinitionIds(data: unknown): string[] {
  const top = asRecord(data) ?? {};
  const body = asRecord(top.properties) ?? top;
  const members = Array.isArray(body.policyDefinitions) ? (body.policyDefinitions as unknown[]) : [];
  return members.map((raw) => asRecord(raw)?.policyDefinitionId).filter((id): id is string => typeof id === "string" && /\/policyDefinitions\/[^/]+$/i.test(id));
}

/**
 * The initiative source for a policy set whose members are the azpol definitions `known`
 * (definition name, lowercase → the name as azpol spells it).
 */
export function initiativeFromPolicySet(data: unknown, fallbackName: string, known: ReadonlyMap<string, string>): ImportedInitiative | { problems: string[] } {
  const top = asRecord(data) ?? {};
  const body = asRecord(top.properties) ?? top;
  const problems: string[] = [...uncarriedSetFields(top, body)];
  const notes: string[] = [];
  const metadata = asRecord(body.metadata) ?? {};
  for (const key of Object.keys(metadata)) if (!["version", "category"].includes(key)) notes.push(`metadata.${key} is not kept (azpol writes category and version)`);
  if (Array.isArray(body.policyDefinitionGroups) && body.policyDefinitionGroups.length) notes.push(`policyDefinitionGroups (${body.policyDefinitionGroups.length}) are not kept: azpol initiatives have no groups`);

  const parameters: Record<string, InitiativeParameterSource> = {};
  for (const [name, raw] of Object.entries(asRecord(body.parameters) ?? {})) {
    const p = asRecord(raw) ?? {};
    const m = asRecord(p.metadata) ?? {};
    const type = PARAMETER_TYPES.get(String(p.type).toLowerCase());
    if (!type) {
      problems.push(`parameter '${name}' has type ${JSON.stringify(p.type)}, not one of ${[...PARAMETER_TYPES.values()].join(", ")}`);
      continue;
    }
    for (const key of Object.keys(m)) if (!["displayName", "description"].includes(key)) notes.push(`parameter '${name}': metadata.${key} is not kept`);
    parameters[name] = {
      type,
      ...(text(m.displayName) ? { displayName: m.displayName as string } : {}),
      ...(text(m.description) ? { description: m.description as string } : {}),
      ...(p.defaultValue !== undefined ? { default: p.defaultValue } : {}),
      ...(Array.isArray(p.allowedValues) ? { allowedValues: p.allowedValues } : {}),
      ...(asRecord(p.schema) ? { schema: asRecord(p.schema) as Record<string, unknown> } : {}),
    };
  }

  const definitions: MemberSource[] = [];
  const missing: string[] = [];
  (body.policyDefinitions as unknown[]).forEach((raw, i) => {
    const ref = asRecord(raw) ?? {};
    const id = typeof ref.policyDefinitionId === "string" ? ref.policyDefinitionId : "";
    if (/\/policySetDefinitions\//i.test(id)) {
      problems.push(`policyDefinitions[${i}] is a policy set (${id}); an initiative's members are definitions`);
      return;
    }
    const definitionName = id.split("/").pop() ?? "";
    const name = known.get(definitionName.toLowerCase());
    if (!name) {
      missing.push(definitionName || `policyDefinitions[${i}]`);
      return;
    }
    const given: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(asRecord(ref.parameters) ?? {})) given[k] = asRecord(v) && "value" in (v as object) ? (v as { value: unknown }).value : v;
    if (Array.isArray(ref.groupNames) && ref.groupNames.length) notes.push(`policyDefinitions[${i}].groupNames is not kept`);
    definitions.push({
      definition: name,
      ...(typeof ref.policyDefinitionReferenceId === "string" ? { referenceId: ref.policyDefinitionReferenceId } : {}),
      ...(Object.keys(given).length ? { parameters: given } : {}),
      ...(typeof ref.definitionVersion === "string" ? { definitionVersion: ref.definitionVersion } : {}),
    });
  });
  if (missing.length) problems.push(`import these member definitions first (azpol import <id or file> for each; they are named after the last segment of their id): ${missing.join(", ")}`);
  if (definitions.length === 0 && !missing.length) problems.push("the policy set lists no definitions");
  if (problems.length) return { problems };

  const name = text(top.name) ?? text(body.name) ?? fallbackName;
  return {
    source: {
      name,
      displayName: text(body.displayName) ?? name,
      ...(text(body.description) ? { description: body.description as string } : {}),
      ...(typeof metadata.version === "string" ? { version: metadata.version } : {}),
      ...(typeof metadata.category === "string" ? { category: metadata.category } : {}),
      ...(Object.keys(parameters).length ? { parameters } : {}),
      definitions,
    },
    notes,
  };
}
