// Schema validation of a definition source with ajv, turned into Diagnostics that name
// the JSON path and say what to change.
import type { ErrorObject } from "ajv";
import { joinPointer, type Diagnostic } from "../model/diagnostics.js";
import type { DefinitionSource } from "../model/definition-source.js";
import type { InitiativeSource } from "../model/initiative-source.js";
import { definitionSourceSchema } from "./definition-source.schema.js";
import { validate as generatedDefinitionValidate } from "./definition-source.validator.generated.js";
import { initiativeSourceSchema } from "./initiative-source.schema.js";
import { validate as generatedInitiativeValidate } from "./initiative-source.validator.generated.js";
import type { AssignmentSource } from "../model/assignment-source.js";
import { assignmentSourceSchema } from "./assignment-source.schema.js";
import { validate as generatedAssignmentValidate } from "./assignment-source.validator.generated.js";

// ajv's code for the schemas, generated at build time ('npm run generate';
// test/schema-validator.test.ts fails when it is stale) so that no run compiles a schema.
type Validator<T> = ((data: unknown) => data is T) & { errors?: ErrorObject[] | null };
const validateDefinition = generatedDefinitionValidate as unknown as Validator<DefinitionSource>;
const validateInitiative = generatedInitiativeValidate as unknown as Validator<InitiativeSource>;
const validateAssignment = generatedAssignmentValidate as unknown as Validator<AssignmentSource>;

export type Locate = (pointer: string, at?: "key") => { line: number; col: number };

export function validateSourceSchema(data: unknown, file: string, locate: Locate): { source: DefinitionSource | undefined; diagnostics: Diagnostic[] } {
  return validateWith(validateDefinition, definitionSourceSchema, data, file, locate);
}

export function validateInitiativeSchema(data: unknown, file: string, locate: Locate): { source: InitiativeSource | undefined; diagnostics: Diagnostic[] } {
  return validateWith(validateInitiative, initiativeSourceSchema, data, file, locate);
}

export function validateAssignmentSchema(data: unknown, file: string, locate: Locate): { source: AssignmentSource | undefined; diagnostics: Diagnostic[] } {
  return validateWith(validateAssignment, assignmentSourceSchema, data, file, locate);
}

function validateWith<T>(validate: Validator<T>, schema: object, data: unknown, file: string, locate: Locate): { source: T | undefined; diagnostics: Diagnostic[] } {
  if (validate(data)) return { source: data, diagnostics: [] };
  const errors = (validate.errors ?? []).filter((e) => e.keyword !== "if");
  const diagnostics = errors.map((e): Diagnostic => {
    const pointer = errorPointer(e);
    const at = e.keyword === "additionalProperties" ? "key" : undefined;
    return { code: "AZP1002", severity: "error", message: describe(e, data, schema), file, pointer, ...locate(pointer, at) };
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

function describe(e: ErrorObject, data: unknown, schema: object): string {
  // The diagnostic's pointer already says where (formatDiagnostic prints it before the message).
  switch (e.keyword) {
    case "required":
      return `missing required property '${(e.params as { missingProperty: string }).missingProperty}'; add it`;
    case "additionalProperties": {
      const allowed = Object.keys(propertiesAt(schema, e.schemaPath) ?? {}).filter((k) => k !== "$schema");
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
function propertiesAt(schema: object, schemaPath: string): Record<string, unknown> | undefined {
  const segments = schemaPath.replace(/^#\//, "").split("/").slice(0, -1);
  let node: unknown = schema;
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
