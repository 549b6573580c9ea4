// Schema validation of a definition source with ajv, turned into Diagnostics that name
// the JSON path and say what to change.
import type { ErrorObject } from "ajv";
import { joinPointer, type Diagnostic } from "../core/diagnostics.js";
import type { DefinitionSource } from "../core/definition-source.js";
import { definitionSourceSchema } from "./definition-source.schema.js";
import { validate as generatedValidate } from "./definition-source.validator.generated.js";

// ajv's code for definition-source.schema.ts, generated at build time ('npm run generate';
// test/schema-validator.test.ts fails when it is stale) so that no run compiles the schema.
const validate = generatedValidate as unknown as ((data: unknown) => data is DefinitionSource) & { errors?: ErrorObject[] | null };

export type Locate = (pointer: string, at?: "key") => { line: number; col: number };

export function validateSourceSchema(
  data: unknown,
  file: string,
  locate: Locate,
): { source: DefinitionSource | undefined; diagnostics: Diagnostic[] } {
  if (validate(data)) return { source: data, diagnostics: [] };
  const errors = (validate.errors ?? []).filter((e) => e.keyword !== "if");
  const diagnostics = errors.map((e): Diagnostic => {
    const pointer = errorPointer(e);
    const at = e.keyword === "additionalProperties" ? "key" : undefined;
    return { code: "AZP1002", severity: "error", message: describe(e, data), file, pointer, ...locate(pointer, at) };
  });
  return { source: undefined, diagnostics: dedupe(diagnostics) };
}

/** An unknown property is reported at its key, so the pointer names the key itself. */
function errorPointer(e: ErrorObject): string {
  if (e.keyword === "additionalProperties") {
    return e.instancePath + joinPointer(String((e.params as { additionalProperty: string }).additionalProperty));
  }
  return e.instancePath;
}

function describe(e: ErrorObject, data: unknown): string {
  // The diagnostic's pointer already says where (formatDiagnostic prints it before the message).
  switch (e.keyword) {
    case "required":
      return `missing required property '${(e.params as { missingProperty: string }).missingProperty}'; add it`;
    case "additionalProperties": {
      const allowed = Object.keys(propertiesAt(e.schemaPath) ?? {}).filter((k) => k !== "$schema");
      const name = (e.params as { additionalProperty: string }).additionalProperty;
      return `unknown property '${name}'; remove it${allowed.length ? ` or use one of: ${allowed.join(", ")}` : ""}`;
    }
    case "enum": {
      const allowed = (e.params as { allowedValues: unknown[] }).allowedValues;
      return `${JSON.stringify(valueAt(data, e.instancePath))} is not allowed; use one of: ${allowed.join(", ")}`;
    }
    case "type":
      return `must be ${withArticle(String((e.params as { type: string }).type))}, got ${typeName(valueAt(data, e.instancePath))}`;
    case "minLength":
      return `must not be empty`;
    case "minItems":
      return `must list at least ${(e.params as { limit: number }).limit} item(s)`;
    default:
      return `${e.message ?? "is invalid"}`;
  }
}

function withArticle(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return withArticle(typeof value);
}

function valueAt(data: unknown, pointer: string): unknown {
  let node = data;
  for (const seg of pointer.split("/").slice(1)) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[seg.replace(/~1/g, "/").replace(/~0/g, "~")];
  }
  return node;
}

/** The `properties` next to the failing `additionalProperties`, to list valid names. */
function propertiesAt(schemaPath: string): Record<string, unknown> | undefined {
  const segments = schemaPath.replace(/^#\//, "").split("/").slice(0, -1);
  let node: unknown = definitionSourceSchema;
  for (const seg of segments) node = (node as Record<string, unknown> | undefined)?.[seg];
  return (node as { properties?: Record<string, unknown> } | undefined)?.properties;
}

function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.pointer}\u0000${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
