// An existing definition as an azpol definition source (pure). azpol's source declares effect,
// excludedNamespaces, namespaces and labelSelector (and source and warn, when passed) itself, so
// their defaults become top-level keys; every other parameter keeps its type, metadata, default,
// allowedValues and schema, and the details.values key it is passed as becomes its
// templateParameter. Other values (literals, nested or computed expressions) stay in values:.
// What the source cannot express is refused with the reason, never dropped silently; what azpol
// normalizes (the standard parameters' texts) is listed in `notes` and in import-normalisations.ts.
import { asRecord } from "../core/constraint-template.js";
import type { DefinitionSource, ParameterSource, TemplateSource } from "../model/definition-source.js";
import { CLUSTER_TYPES, DETAILS_PARAMETERS, KNOWN_CLUSTER_TYPES, STANDARD_PARAMETERS, parameterRefName } from "../core/policy-model.js";
import { referencedParameters } from "../core/rules/parameter-references.js";
import type { ExistingDefinition } from "./read-definition-json.js";
import { isBooleanPair } from "./round-trip.js";
import { MUTATION_EFFECTS } from "../core/mutation-model.js";
import { MUTATION_CLUSTER_TYPES } from "../core/compile-mutation.js";

export type TemplateOrigin = { sourceType: "Base64Encoded"; content: string } | { sourceType: "PublicURL"; url: string };

export interface ImportedSource {
  source: Omit<DefinitionSource, "template"> & { template?: TemplateSource };
  template: TemplateOrigin;
  notes: string[];
}

// Azure compares parameter types case-insensitively; the source spells them as azpol does
const PARAMETER_TYPES = new Map(["String", "Array", "Object", "Boolean", "Integer", "Float", "DateTime"].map((t) => [t.toLowerCase(), t]));

const DEFAULT_EFFECTS = ["Audit", "Deny", "Disabled"];
/** details a Mutate definition cannot carry in azpol (compile-mutation.ts REFUSED) */
const MUTATION_REFUSED = ["apiGroups", "kinds", "values", "namespaces", "labelSelector", "warn"];
const KNOWN_DETAILS = new Set(["templateInfo", "apiGroups", "kinds", "excludedNamespaces", "namespaces", "labelSelector", "values", ...DETAILS_PARAMETERS]);
const KEPT_METADATA = new Set(["version", "category", "preview", "deprecated"]);
const KEPT_PARAMETER_METADATA = new Set(["displayName", "description", "portalReview", "deprecated"]);

/** policyRule.if as the cluster types it selects, in its order, or undefined when it is another condition. */
export function clusterTypesOf(condition: Record<string, unknown> | undefined): string[] | undefined {
  if (!condition || String(condition.field).toLowerCase() !== "type" || Object.keys(condition).length !== 2) return undefined;
  const listed = typeof condition.equals === "string" ? [condition.equals] : Array.isArray(condition.in) ? condition.in : undefined;
  if (!listed || listed.length === 0) return undefined;
  const types = listed.map((t) => KNOWN_CLUSTER_TYPES.find((c) => typeof t === "string" && c.toLowerCase() === t.toLowerCase()));
  if (types.some((t) => t === undefined) || new Set(types).size !== types.length) return undefined;
  return types as string[];
}

export function sourceFromDefinition(def: ExistingDefinition, fallbackName: string): ImportedSource | { problems: string[] } {
  const problems: string[] = [];
  const notes: string[] = [];
  const then = asRecord(def.policyRule.then);
  const details = asRecord(then?.details);
  if (!then || !details) return { problems: ["policyRule.then.details is missing: not a Gatekeeper-based Kubernetes definition"] };
  // a Mutate definition: details.mutationInfo names a Gatekeeper mutator (compile-mutation.ts)
  const mutation = "mutationInfo" in details;
  if ("constraintTemplate" in details || "constraint" in details) problems.push("details.constraintTemplate/constraint is the retired v1 format (EnforceOPAConstraint); only templateInfo definitions can be imported");
  if (mutation && "templateInfo" in details) problems.push("details has both templateInfo and mutationInfo; Azure takes one");
  for (const key of Object.keys(details)) if (!KNOWN_DETAILS.has(key) && !["mutationInfo", "constraintTemplate", "constraint"].includes(key)) problems.push(`details.${key} is not a field azpol knows; it cannot be kept`);
  if (mutation) for (const key of MUTATION_REFUSED) if (key in details) problems.push(`details.${key} with mutationInfo: ${key === "apiGroups" || key === "kinds" ? "Azure does not allow it" : "azpol cannot show what the add-on does with it on a mutator"}`);
  const info = asRecord(mutation ? details.mutationInfo : details.templateInfo);
  let template: TemplateOrigin | undefined;
  if (info?.sourceType === "Base64Encoded" && typeof info.content === "string") template = { sourceType: "Base64Encoded", content: info.content };
  else if (info?.sourceType === "PublicURL" && typeof info.url === "string") template = { sourceType: "PublicURL", url: info.url };
  else problems.push(`details.${mutation ? "mutationInfo" : "templateInfo"} must be {sourceType: Base64Encoded, content} or {sourceType: PublicURL, url}`);

  const clusterTypes = clusterTypesOf(asRecord(def.policyRule.if));
  if (!clusterTypes) problems.push(`policyRule.if ${JSON.stringify(def.policyRule.if)} is not a condition on the cluster type (field "type" equals/in ${CLUSTER_TYPES.join(", ")}); azpol cannot express it`);

  // effect: a parameter (its default and allowed values) or a literal
  const effectRef = parameterRefName(then.effect);
  const effectParameter = effectRef !== undefined ? def.parameters[effectRef] : undefined;
  const effect = effectRef !== undefined ? effectParameter?.defaultValue : then.effect;
  if (effect !== undefined && typeof effect !== "string") problems.push(`effect ${JSON.stringify(effect)} is not a string`);
  if (effectRef !== undefined && effectRef !== "effect") notes.push(`the effect parameter '${effectRef}' becomes 'effect'`);
  const allowedEffects = effectParameter?.allowedValues;
  const effects = Array.isArray(allowedEffects) && allowedEffects.every((e) => typeof e === "string") ? (allowedEffects) : undefined;
  if (effectRef === undefined && effect !== undefined) notes.push(`the literal effect ${JSON.stringify(effect)} becomes the default of the 'effect' parameter`);

  const version = typeof def.metadata.version === "string" ? def.metadata.version : def.version;
  if (def.version !== undefined && typeof def.metadata.version === "string" && def.version !== def.metadata.version) {
    problems.push(`version ${JSON.stringify(def.version)} differs from metadata.version ${JSON.stringify(def.metadata.version)}; azpol writes one version to both`);
  }
  for (const key of Object.keys(def.metadata)) if (!KEPT_METADATA.has(key)) notes.push(`metadata.${key} is not kept (azpol writes category, version, preview and deprecated)`);
  const source: ImportedSource["source"] = {
    name: def.name ?? fallbackName,
    displayName: def.displayName ?? def.name ?? fallbackName,
    description: def.description ?? def.displayName ?? `Imported from ${fallbackName}.`,
    ...(version !== undefined ? { version } : {}),
    ...(typeof def.metadata.category === "string" ? { category: def.metadata.category } : {}),
    ...(typeof effect === "string" ? { effect } : {}),
    ...(effects && JSON.stringify(effects) !== JSON.stringify(mutation ? MUTATION_EFFECTS : DEFAULT_EFFECTS) ? { effects } : {}),
    ...(clusterTypes && JSON.stringify(clusterTypes) !== JSON.stringify(mutation ? MUTATION_CLUSTER_TYPES : CLUSTER_TYPES) ? { clusterTypes } : {}),
    ...(typeof def.metadata.preview === "boolean" ? { preview: def.metadata.preview } : {}),
    ...(typeof def.metadata.deprecated === "boolean" ? { deprecated: def.metadata.deprecated } : {}),
    ...(def.version !== undefined ? { versioned: true } : {}),
  };
  if (effects === undefined && effectRef !== undefined && allowedEffects !== undefined) problems.push(`the effect parameter's allowedValues ${JSON.stringify(allowedEffects)} is not a list of effect names`);
  if (effectRef !== undefined && allowedEffects === undefined) notes.push("the effect parameter had no allowedValues; azpol lists Audit, Deny and Disabled");

  const standardUse = new Set<string>(effectRef ? [effectRef] : []);
  for (const field of ["excludedNamespaces", "namespaces", "labelSelector", ...DETAILS_PARAMETERS] as const) {
    const value = details[field];
    if (value === undefined) continue;
    const ref = parameterRefName(value);
    const resolved = ref !== undefined ? def.parameters[ref]?.defaultValue : value;
    if (ref !== undefined) standardUse.add(ref);
    if (ref !== undefined && isBooleanPair(def.parameters[ref]?.type, def.parameters[ref]?.allowedValues)) {
      notes.push(`the ${field} parameter's allowedValues [true, false] is not written: an azpol source cannot list them, and a Boolean parameter takes only true or false, so Azure accepts the same assignments`);
    }
    if (ref !== undefined && ref !== field) notes.push(`the ${field} parameter '${ref}' becomes '${field}'`);
    if (ref === undefined && (DETAILS_PARAMETERS as readonly string[]).includes(field)) notes.push(`the literal details.${field} ${JSON.stringify(value)} becomes the default of the '${field}' parameter`);
    if (ref !== undefined && resolved === undefined) {
      if ((DETAILS_PARAMETERS as readonly string[]).includes(field)) problems.push(`details.${field} uses parameter '${ref}', which has no defaultValue; azpol's ${field} parameter needs one`);
      continue;
    }
    (source as Record<string, unknown>)[field] = resolved;
  }
  if (details.excludedNamespaces === undefined) {
    // azpol always passes excludedNamespaces; these the add-on excludes anyway, so behaviour stays
    source.excludedNamespaces = ["kube-system", "gatekeeper-system", "azure-arc"];
    notes.push("the original passes no excludedNamespaces; azpol passes the ones the add-on always excludes (kube-system, gatekeeper-system, azure-arc)");
  }
  for (const field of ["apiGroups", "kinds"] as const) {
    const value = details[field];
    if (Array.isArray(value) && value.every((v) => typeof v === "string")) source[field] = value;
    else if (parameterRefName(value) !== undefined) source[field] = value as string;
    else if (value !== undefined) problems.push(`details.${field} must be a list of strings or "[parameters('x')]" to be imported, got ${JSON.stringify(value)}`);
  }

  const templateParameterOf = new Map<string, string>();
  const values: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(asRecord(details.values) ?? {})) {
    const ref = parameterRefName(value);
    if (ref !== undefined && def.parameters[ref] && !templateParameterOf.has(ref)) templateParameterOf.set(ref, key);
    else values[key] = value;
  }
  const usedElsewhere = referencedParameters([values, source.apiGroups, source.kinds]);
  const parameters: Record<string, ParameterSource> = {};
  for (const [name, p] of Object.entries(def.parameters)) {
    if (standardUse.has(name)) continue;
    if ((STANDARD_PARAMETERS as readonly string[]).includes(name) || (DETAILS_PARAMETERS as readonly string[]).includes(name)) {
      notes.push(`parameter '${name}' is not used where azpol uses it, and azpol declares '${name}' itself; it was left out`);
      continue;
    }
    const metadata = asRecord(p.metadata) ?? {};
    if (p.metadata === undefined) notes.push(`parameter '${name}' has no metadata (Azure does not require it); azpol's build gives it its name as displayName and an empty description`);
    for (const key of Object.keys(metadata)) if (!KEPT_PARAMETER_METADATA.has(key)) notes.push(`parameter '${name}': metadata.${key} is not kept`);
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
      ...(typeof metadata.portalReview === "boolean" ? { portalReview: metadata.portalReview } : {}),
      ...(typeof metadata.deprecated === "boolean" ? { deprecated: metadata.deprecated } : {}),
    };
    if (!tp && !usedElsewhere.has(name)) notes.push(`parameter '${name}' is not passed to the template (no details.values entry refers to it)`);
  }
  if (mutation && Object.keys(parameters).length) problems.push(`parameters ${Object.keys(parameters).join(", ")}: a mutation cannot be parameterised (Azure's effect-mutate doc)`);
  if (Object.keys(parameters).length) source.parameters = parameters;
  if (Object.keys(values).length) source.values = values;
  if (problems.length || !template) return { problems };
  return { source, template, notes };
}
