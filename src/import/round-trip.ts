// Does an imported source build the definition it came from? The built policy.json properties
// are compared with the original's after the normalisations that keep behaviour (listed in
// NORMALISATIONS, and in the README's import section); every other difference is named by its
// path, so `import` can refuse instead of writing a source that builds something else. Pure.
import { asRecord } from "../core/constraint-template.js";
import { compileDefinition, type ParsedFile } from "../core/compile-definition.js";
import { DETAILS_PARAMETERS, STANDARD_PARAMETERS } from "../core/policy-model.js";
import { definitionProperties } from "../emit/arm-definition.js";
import type { PolicyModel } from "../core/policy-model.js";
import type { MutationModel } from "../core/mutation-model.js";

export const NORMALISATIONS = [
  "read-only or service-set fields are not compared: policyType, versions, id, name, systemData",
  "metadata keys other than version, category, preview and deprecated are not kept (import notes each)",
  "the standard parameters (effect, excludedNamespaces, namespaces, labelSelector, source, warn) carry azpol's displayName and description, and no other metadata (portalReview); their type, default and allowed values are compared",
  "a standard parameter without a default gets azpol's default (an assignment that sets it behaves the same)",
  "parameter types compare case-insensitively (Azure does: 'object' and 'Object' both occur)",
  "parameter metadata other than displayName, description, portalReview and deprecated is not kept (import notes each)",
  "a Base64Encoded template (or mutator) compares by its decoded text",
  "warn's allowedValues [true, false] (Microsoft's newer built-ins) compare as none: a Boolean takes only those, and azpol's warn lists none (import notes it)",
  "a parameter with no metadata gets its name as displayName (Azure does not require metadata; import notes it)",
  "the standard parameters' schema (labelSelector's) compares without its description texts",
  "fields the original does not have (portal JSON has no displayName, description or metadata) are azpol's own",
  "a condition on one cluster type compares the same written as `in: [x]` or `equals: x`",
  "an original that does not pass excludedNamespaces, namespaces or labelSelector gets azpol's parameters for them; import sets excludedNamespaces to the namespaces the add-on always excludes (kube-system, gatekeeper-system, azure-arc), so nothing more is excluded",
] as const;

const STANDARD = new Set<string>([...STANDARD_PARAMETERS, ...DETAILS_PARAMETERS]);
const KEPT_METADATA = ["version", "category", "preview", "deprecated"];
const KEPT_PARAMETER_METADATA = ["displayName", "description", "portalReview", "deprecated"];
const COMPARED_PARAMETER_KEYS = new Set(["type", "metadata", "defaultValue", "allowedValues", "schema"]);
/** properties compared by their own rule, or read-only (service-set) ones that are never compared */
const COMPARED_PROPERTIES = new Set(["displayName", "description", "mode", "version", "metadata", "parameters", "policyRule", "policyType", "versions", "id", "name", "type", "systemData"]);

function normalizedParameters(parameters: unknown, builtDefaults: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(asRecord(parameters) ?? {})) {
    const p = asRecord(raw) ?? {};
    const metadata = asRecord(p.metadata) ?? {};
    const entry: Record<string, unknown> = { type: String(p.type).toLowerCase() };
    // an empty description is none (azpol writes "" when the source has none)
    if (!STANDARD.has(name)) entry.metadata = Object.fromEntries(KEPT_PARAMETER_METADATA.filter((k) => metadata[k] !== undefined && !(k === "description" && metadata[k] === "")).map((k) => [k, metadata[k]]));
    const fallback = STANDARD.has(name) && builtDefaults ? builtDefaults[name] : undefined;
    if (p.defaultValue !== undefined) entry.defaultValue = p.defaultValue;
    else if (fallback !== undefined) entry.defaultValue = fallback;
    // warn's allowedValues [true, false] (newer built-ins) allow exactly what a Boolean takes: azpol's warn has none
    if (p.allowedValues !== undefined && !(STANDARD.has(name) && isBooleanPair(p.type, p.allowedValues))) entry.allowedValues = p.allowedValues;
    if (p.schema !== undefined) entry.schema = STANDARD.has(name) ? withoutDescriptions(p.schema) : p.schema;
    // any other key is compared as it is, so a field the build would not carry is named
    for (const [k, v] of Object.entries(p)) if (!COMPARED_PARAMETER_KEYS.has(k) && v !== null) entry[k] = v;
    out[name] = entry;
  }
  return out;
}

/** allowedValues that are exactly true and false (in any order) on a Boolean parameter. */
export function isBooleanPair(type: unknown, allowed: unknown): boolean {
  return String(type).toLowerCase() === "boolean" && Array.isArray(allowed) && allowed.length === 2 && allowed.includes(true) && allowed.includes(false);
}

function withoutDescriptions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutDescriptions);
  const record = asRecord(value);
  if (!record) return value;
  return Object.fromEntries(Object.entries(record).filter(([k, v]) => !(k === "description" && typeof v === "string")).map(([k, v]) => [k, withoutDescriptions(v)]));
}

/** One cluster type as `in: [x]` is `equals: x` (field names compare case-insensitively). */
function normalizedCondition(condition: unknown): unknown {
  const c = asRecord(condition);
  if (!c || String(c.field).toLowerCase() !== "type") return condition;
  const list: unknown = c.in;
  if (Array.isArray(list) && list.length === 1 && Object.keys(c).length === 2) return { field: "type", equals: list[0] as unknown };
  return { ...c, field: "type" };
}

function decodedTemplate(rule: unknown): unknown {
  const copy = structuredClone(rule) as Record<string, unknown>;
  copy.if = normalizedCondition(copy.if);
  const details = asRecord(asRecord(copy.then)?.details);
  const info = asRecord(details?.templateInfo ?? details?.mutationInfo);
  if (info?.sourceType === "Base64Encoded" && typeof info.content === "string") info.content = Buffer.from(info.content, "base64").toString("utf8").replace(/^\uFEFF/, "");
  return copy;
}

/** The parts of definition properties that must be equal for a round trip. */
export function comparableProperties(properties: Record<string, unknown>, builtDefaults?: Record<string, unknown>): Record<string, unknown> {
  const metadata = asRecord(properties.metadata) ?? {};
  return {
    ...(properties.displayName !== undefined ? { displayName: properties.displayName } : {}),
    ...(properties.description !== undefined ? { description: properties.description } : {}),
    mode: String(properties.mode).toLowerCase(),
    ...(properties.version !== undefined ? { version: properties.version } : {}),
    metadata: Object.fromEntries(KEPT_METADATA.filter((k) => k in metadata).map((k) => [k, metadata[k]])),
    parameters: normalizedParameters(properties.parameters, builtDefaults),
    policyRule: decodedTemplate(properties.policyRule),
    // every other field (externalEvaluationEnforcementSettings, a future one) as it is
    ...Object.fromEntries(Object.entries(properties).filter(([k, v]) => !COMPARED_PROPERTIES.has(k) && v !== null)),
  };
}

/** Paths where two JSON values differ (object key order does not matter). */
export function jsonDifferences(a: unknown, b: unknown, path = ""): string[] {
  const ra = asRecord(a);
  const rb = asRecord(b);
  if (ra && rb) {
    // a key holding undefined is absent (JSON has no undefined; SDK models carry such keys)
    const keys = [...new Set([...Object.keys(ra), ...Object.keys(rb)])].filter((k) => ra[k] !== undefined || rb[k] !== undefined);
    return keys.flatMap((k) => (ra[k] !== undefined && rb[k] !== undefined ? jsonDifferences(ra[k], rb[k], `${path}.${k}`) : [`${path}.${k} ${k in ra ? "is only in the original" : "is only in azpol's build"}`]));
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) return a.flatMap((x, i) => jsonDifferences(x, b[i], `${path}[${i}]`));
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [`${path || "."}: original ${JSON.stringify(a)}, azpol builds ${JSON.stringify(b)}`];
}

/** ok: the source builds the original again; its model is returned for the checks that need the engine (import-definition.ts). */
export type RoundTrip = { ok: true; built: { model?: PolicyModel; mutation?: MutationModel } } | { ok: false; problems: string[] };

/**
 * Builds the imported source (with its template) and compares the result with the original
 * definition's properties. Problems are either the build's errors or the differences that remain.
 */
export function checkRoundTrip(source: ParsedFile, template: ParsedFile, original: Record<string, unknown>): RoundTrip {
  const compiled = compileDefinition({ source, template });
  const errors = compiled.diagnostics.filter((d) => d.severity === "error");
  const model = compiled.model ?? compiled.mutation;
  if (!model || errors.length) return { ok: false, problems: errors.map((d) => `${d.code} ${d.pointer}: ${d.message}`) };
  const built = definitionProperties(model);
  const defaults = Object.fromEntries(Object.entries(model.parameters).map(([k, p]) => [k, p.defaultValue]));
  const want = comparableProperties(original, defaults);
  const got = comparableProperties(built);
  // what the original does not say (portal JSON: no texts or metadata) is azpol's to choose
  for (const k of ["displayName", "description"]) if (original[k] === undefined) delete got[k];
  const wantMetadata = want.metadata as Record<string, unknown>;
  const gotMetadata = got.metadata as Record<string, unknown>;
  for (const k of ["version", "category"]) if (!(k in wantMetadata)) delete gotMetadata[k];
  // azpol always passes excludedNamespaces, namespaces and labelSelector; an original without
  // them gets them with defaults that keep its behaviour (import sets the add-on's system namespaces)
  const wantDetails = asRecord(asRecord(asRecord(want.policyRule)?.then)?.details) ?? {};
  const gotDetails = asRecord(asRecord(asRecord(got.policyRule)?.then)?.details) ?? {};
  const gotParameters = got.parameters as Record<string, unknown>;
  for (const field of ["excludedNamespaces", "namespaces", "labelSelector"]) {
    if (wantDetails[field] !== undefined) continue;
    delete gotDetails[field];
    if (!(field in (want.parameters as Record<string, unknown>))) delete gotParameters[field];
  }
  // a parameter the original gives no metadata (Azure does not require it) shows azpol's displayName (its name)
  const originalParameters = asRecord(original.parameters) ?? {};
  for (const [name, raw] of Object.entries(originalParameters)) {
    const gotParameter = asRecord(gotParameters[name]);
    if (asRecord(raw)?.metadata === undefined && !STANDARD.has(name) && gotParameter) delete gotParameter.metadata;
  }
  for (const name of Object.keys(want.parameters as Record<string, unknown>)) {
    const wantParameter = asRecord((want.parameters as Record<string, unknown>)[name]);
    if (asRecord(originalParameters[name])?.metadata === undefined && wantParameter) delete wantParameter.metadata;
  }
  const problems = jsonDifferences(want, got);
  return problems.length ? { ok: false, problems } : { ok: true, built: compiled.model ? { model: compiled.model } : compiled.mutation ? { mutation: compiled.mutation } : {} };
}
