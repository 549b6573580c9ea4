// A ConstraintTemplate's parameter schema (openAPIV3Schema.properties) as Azure Policy
// parameters, each passed to the template under its own name (details.values):
//   string → String (enum → allowedValues), integer → Integer, number → Float, boolean → Boolean,
//   array → Array, object → Object with the property's schema as the parameter's `schema` (Azure
//   supports `schema` on Object parameters only: azure-policy-k8s-format.md, "schema").
// A default in the schema becomes the parameter's default. A property named like a standard
// parameter azpol declares itself (effect, excludedNamespaces, namespaces, labelSelector) gets the
// Azure name <name>Parameter, since the two would otherwise collide.
import type { JsonSchemaNode } from "../core/constraint-template.js";
import type { ParameterSource } from "../model/definition-source.js";
import { STANDARD_PARAMETERS } from "../core/policy-model.js";

const TYPES: Record<string, ParameterSource["type"]> = { string: "String", integer: "Integer", number: "Float", boolean: "Boolean", array: "Array", object: "Object" };

/** "allowedRegistries" → "Allowed registries" */
export function displayNameOf(name: string): string {
  const words = name.replace(/([a-z0-9])([A-Z])/g, "$1 $2").replace(/[_-]+/g, " ").trim().toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The property's schema as JSON Schema Azure accepts: Kubernetes extensions dropped. */
function jsonSchemaOf(node: JsonSchemaNode): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (k.startsWith("x-kubernetes-") || k === "nullable") continue;
    if (k === "properties" && v && typeof v === "object") out[k] = Object.fromEntries(Object.entries(v as Record<string, JsonSchemaNode>).map(([p, s]) => [p, jsonSchemaOf(s)]));
    else if (k === "items" && v && typeof v === "object") out[k] = jsonSchemaOf(v as JsonSchemaNode);
    else out[k] = v;
  }
  return out;
}

export interface MappedParameters {
  parameters: Record<string, ParameterSource>;
  /** properties azpol could not map, with why */
  skipped: string[];
  /** properties whose name is not a safe Azure parameter name, and the name they got */
  renamed: string[];
}

// A name that is safe inside [parameters('...')] and in ARM/Bicep/Terraform output: a letter,
// then letters, digits or '_'. Anything else (a quote, a space, a dot) is mapped, and the mapping shown.
const SAFE_PARAMETER = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

function safeParameterName(name: string, taken: Set<string>): string {
  let safe = name.replace(/[^A-Za-z0-9_]/g, "_").slice(0, 60);
  if (!/^[A-Za-z]/.test(safe)) safe = `p${safe}`;
  let candidate = safe;
  for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${safe}${n}`;
  return candidate;
}

const ENUM_TYPES: Record<string, (v: unknown) => boolean> = {
  String: (v) => typeof v === "string",
  Integer: (v) => Number.isInteger(v),
  Float: (v) => typeof v === "number",
  Boolean: (v) => typeof v === "boolean",
};

export function constraintTemplateParameters(properties: Record<string, JsonSchemaNode>): MappedParameters {
  const parameters: Record<string, ParameterSource> = {};
  const skipped: string[] = [];
  const renamed: string[] = [];
  const taken = new Set([...(STANDARD_PARAMETERS as readonly string[]), ...Object.keys(properties).filter((n) => SAFE_PARAMETER.test(n))].map((n) => n.toLowerCase()));
  for (const [name, schema] of Object.entries(properties)) {
    const type = TYPES[schema.type ?? ""];
    if (!type) {
      skipped.push(`${name}: type ${JSON.stringify(schema.type ?? "(none)")} has no Azure parameter type; pass it with values: in the source`);
      continue;
    }
    let azureName = (STANDARD_PARAMETERS as readonly string[]).includes(name) ? `${name}Parameter` : name;
    if (!SAFE_PARAMETER.test(azureName)) {
      azureName = safeParameterName(name, taken);
      taken.add(azureName.toLowerCase());
      renamed.push(`${JSON.stringify(name)} → ${azureName} (not a safe Azure parameter name; the template still receives ${JSON.stringify(name)})`);
    }
    const allowed = Array.isArray(schema.enum) && schema.enum.length ? (schema.enum as unknown[]) : undefined;
    const wrongType = allowed?.filter((v) => !(ENUM_TYPES[type]?.(v) ?? true));
    if (wrongType?.length) skipped.push(`${name}: enum values ${JSON.stringify(wrongType)} are not ${type}; allowedValues left out (Azure would reject them)`);
    const description = typeof schema.description === "string" && schema.description.trim() ? schema.description.trim() : `The template's ${name} parameter.`;
    parameters[azureName] = {
      type,
      displayName: displayNameOf(name),
      description,
      ...(schema.default !== undefined ? { default: schema.default } : {}),
      ...(allowed && !wrongType?.length ? { allowedValues: allowed } : {}),
      templateParameter: name,
      ...(type === "Object" ? { schema: jsonSchemaOf(schema) } : {}),
    };
  }
  return { parameters, skipped, renamed };
}
