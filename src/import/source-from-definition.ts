// An existing definition as an azpol definition source (pure). azpol's source declares effect,
// excludedNamespaces, namespaces and labelSelector itself, so their defaults become top-level
// keys; every other parameter keeps its type, metadata, default, allowedValues and schema, and the
// details.values key it is passed as becomes its templateParameter. Literal values stay in
// values:. What the source cannot express is refused with the reason, never dropped silently;
// what azpol normalizes (the standard parameters' texts, the if-condition) is listed in `notes`.
import { asRecord } from "../core/constraint-template.js";
import type { DefinitionSource, ParameterSource, TemplateSource } from "../core/definition-source.js";
import { CLUSTER_TYPES, STANDARD_PARAMETERS, parameterRefName } from "../core/policy-model.js";
import type { ExistingDefinition } from "./read-definition-json.js";

export type TemplateOrigin = { sourceType: "Base64Encoded"; content: string } | { sourceType: "PublicURL"; url: string };

export interface ImportedSource {
  source: Omit<DefinitionSource, "template"> & { template?: TemplateSource };
  template: TemplateOrigin;
  notes: string[];
}

// Azure compares parameter types case-insensitively; the source spells them as azpol does
const PARAMETER_TYPES = new Map(["String", "Array", "Object", "Boolean", "Integer", "Float", "DateTime"].map((t) => [t.toLowerCase(), t]));

const EFFECTS = new Map([
  ["audit", "Audit"],
  ["deny", "Deny"],
  ["disabled", "Disabled"],
]);

export function sourceFromDefinition(def: ExistingDefinition, fallbackName: string): ImportedSource | { problems: string[] } {
  const problems: string[] = [];
  const notes: string[] = [];
  const then = asRecord(def.policyRule.then);
  const details = asRecord(then?.details);
  if (!then || !details) return { problems: ["policyRule.then.details is missing: not a Gatekeeper-based Kubernetes definition"] };
  if ("constraintTemplate" in details || "constraint" in details) problems.push("details.constraintTemplate/constraint is the retired v1 format (EnforceOPAConstraint); only templateInfo definitions can be imported");
  const info = asRecord(details.templateInfo);
  let template: TemplateOrigin | undefined;
  if (info?.sourceType === "Base64Encoded" && typeof info.content === "string") template = { sourceType: "Base64Encoded", content: info.content };
  else if (info?.sourceType === "PublicURL" && typeof info.url === "string") template = { sourceType: "PublicURL", url: info.url };
  else problems.push("details.templateInfo must be {sourceType: Base64Encoded, content} or {sourceType: PublicURL, url}");

  const ifTypes = JSON.stringify(asRecord(def.policyRule.if));
  if (!CLUSTER_TYPES.every((t) => ifTypes.toLowerCase().includes(t.toLowerCase()))) notes.push(`policyRule.if ${ifTypes} becomes azpol's condition on both cluster types (AKS and Arc)`);

  // effect: a parameter (its default) or a literal
  const effectRef = parameterRefName(then.effect);
  const effectRaw = effectRef !== undefined ? def.parameters[effectRef]?.defaultValue : then.effect;
  const effect = typeof effectRaw === "string" ? EFFECTS.get(effectRaw.toLowerCase()) : undefined;
  if (effectRaw !== undefined && !effect) problems.push(`effect ${JSON.stringify(effectRaw)} is not Audit, Deny or Disabled`);
  if (effectRef !== undefined && effectRef !== "effect") notes.push(`the effect parameter '${effectRef}' becomes 'effect'`);

  const source: ImportedSource["source"] = {
    name: def.name ?? fallbackName,
    displayName: def.displayName ?? def.name ?? fallbackName,
    description: def.description ?? def.displayName ?? `Imported from ${fallbackName}.`,
    ...(typeof def.metadata.version === "string" ? { version: def.metadata.version } : {}),
    ...(typeof def.metadata.category === "string" ? { category: def.metadata.category } : {}),
    ...(effect ? { effect } : {}),
  };
  const standardUse = new Set<string>(effectRef ? [effectRef] : []);
  for (const field of ["excludedNamespaces", "namespaces", "labelSelector"] as const) {
    const value = details[field];
    if (value === undefined) continue;
    const ref = parameterRefName(value);
    const resolved = ref !== undefined ? def.parameters[ref]?.defaultValue : value;
    if (ref !== undefined) standardUse.add(ref);
    if (ref !== undefined && resolved === undefined) continue;
    (source as Record<string, unknown>)[field] = resolved;
  }
  for (const field of ["apiGroups", "kinds"] as const) {
    const value = details[field];
    if (Array.isArray(value) && value.every((v) => typeof v === "string")) source[field] = value;
    else if (value !== undefined) problems.push(`details.${field} must be a list of strings to be imported, got ${JSON.stringify(value)}`);
  }

  const templateParameterOf = new Map<string, string>();
  const values: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(asRecord(details.values) ?? {})) {
    const ref = parameterRefName(value);
    if (ref !== undefined && def.parameters[ref] && !templateParameterOf.has(ref)) templateParameterOf.set(ref, key);
    else values[key] = value;
  }
  const parameters: Record<string, ParameterSource> = {};
  for (const [name, p] of Object.entries(def.parameters)) {
    if (standardUse.has(name)) continue;
    if ((STANDARD_PARAMETERS as readonly string[]).includes(name)) {
      notes.push(`parameter '${name}' is not used where azpol uses it, and azpol declares '${name}' itself; it was left out`);
      continue;
    }
    const metadata = asRecord(p.metadata) ?? {};
    const tp = templateParameterOf.get(name);
    const schema = asRecord(p.schema);
    parameters[name] = {
      type: PARAMETER_TYPES.get(String(p.type).toLowerCase()) ?? String(p.type),
      ...(typeof metadata.displayName === "string" ? { displayName: metadata.displayName } : {}),
      ...(typeof metadata.description === "string" ? { description: metadata.description } : {}),
      ...("defaultValue" in p ? { default: p.defaultValue } : {}),
      ...(Array.isArray(p.allowedValues) ? { allowedValues: p.allowedValues } : {}),
      ...(tp ? { templateParameter: tp } : {}),
      ...(schema ? { schema } : {}),
    };
    if (!tp) notes.push(`parameter '${name}' is not passed to the template (no details.values entry refers to it)`);
  }
  if (Object.keys(parameters).length) source.parameters = parameters;
  if (Object.keys(values).length) source.values = values;
  if (problems.length || !template) return { problems };
  return { source, template, notes };
}
