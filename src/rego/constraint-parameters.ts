// A suite's constraint checked against its template's parameter schema, as the CRD Gatekeeper
// generates from the template would check it. Its own file because ajv (a JSON Schema compiler,
// ~130 KB and a costly set-up) is needed only by suites: `azpol test` of manifests, which
// imports constraint.ts, does not load it.
import { Ajv } from "ajv";
import { asRecord, type ConstraintTemplate, type JsonSchemaNode } from "../core/constraint-template.js";
import type { Constraint } from "./constraint.js";

let ajv: Ajv | undefined;

/** Checks spec.parameters against the template's schema, as the generated CRD would. */
export function constraintProblems(constraint: Constraint, template: ConstraintTemplate): string[] {
  if (constraint.kind !== template.kind) return [`constraint kind ${constraint.kind} does not match template kind ${template.kind}`];
  const schema = toJsonSchema({ type: "object", ...template.schema });
  ajv ??= new Ajv({ strict: false, allErrors: true });
  const validate = ajv.compile(schema);
  if (validate(constraint.parameters)) return [];
  return (validate.errors ?? []).map((e) => `spec.parameters${e.instancePath.replace(/\//g, ".")} ${e.message ?? "is invalid"}`);
}

/** OpenAPI v3 → JSON Schema: drop Kubernetes extensions ajv does not know. */
function toJsonSchema(node: JsonSchemaNode): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (k.startsWith("x-kubernetes-") || k === "nullable") continue;
    if (k === "properties" && asRecord(v)) out[k] = Object.fromEntries(Object.entries(v as Record<string, JsonSchemaNode>).map(([p, s]) => [p, toJsonSchema(s)]));
    else if (k === "items" && asRecord(v)) out[k] = toJsonSchema(v as JsonSchemaNode);
    else out[k] = v;
  }
  return out;
}
