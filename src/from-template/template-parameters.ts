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
}

export function templateParameters(properties: Record<string, JsonSchemaNode>): MappedParameters {
  const parameters: Record<string, ParameterSource> = {};
  const skipped: string[] = [];
  for (const [name, schema] of Object.entries(properties)) {
    const type = TYPES[schema.type ?? ""];
    if (!type) {
      skipped.push(`${name}: type ${JSON.stringify(schema.type ?? "(none)")} has no Azure parameter type; pass it with values: in the source`);
      continue;
    }
    const azureName = (STANDARD_PARAMETERS as readonly string[]).includes(name) ? `${name}Parameter` : name;
    const description = typeof schema.description === "string" && schema.description.trim() ? schema.description.trim() : `The template's ${name} parameter.`;
    parameters[azureName] = {
      type,
      displayName: displayNameOf(name),
      description,
      ...(schema.default !== undefined ? { default: schema.default } : {}),
      ...(Array.isArray(schema.enum) && schema.enum.length ? { allowedValues: schema.enum as unknown[] } : {}),
      templateParameter: name,
      ...(type === "Object" ? { schema: jsonSchemaOf(schema) } : {}),
    };
  }
  return { parameters, skipped };
}
