// Assignment sources as azpol writes them: `azpol new --assignment` (a scaffold for a definition
// or initiative of the project) and `azpol import <assignment id>` (what Azure has). Pure.
import { stringify } from "yaml";
import type { PolicyParameter } from "../core/policy-model.js";
import type { AssignmentSource } from "../model/assignment-source.js";

const yaml = (value: unknown) => stringify(value, { lineWidth: 0 });
/** a value on one line, as YAML flow (JSON is YAML) */
const flow = (value: unknown) => JSON.stringify(value);

/**
 * A scaffold: the parameters with a default are listed commented out with it (so a later change
 * of the definition's default still reaches the assignment), the ones without are set from `values`.
 */
export function scaffoldAssignmentText(source: AssignmentSource, parameters: Record<string, PolicyParameter>): string {
  const set = source.parameters ?? {};
  const lines = [
    `# An assignment of ${source.definition !== undefined ? `definition ${source.definition}` : `initiative ${source.initiative ?? ""}`}, made at every scope below.`,
    "# azpol validate checks it; azpol deploy (no --scope) plans it with every other assignment.",
    yaml({ ...source, parameters: undefined }).trimEnd(),
  ];
  const optional = Object.entries(parameters).filter(([n, p]) => p.defaultValue !== undefined && !(n in set));
  if (Object.keys(set).length || optional.length) {
    // a key with only comments under it would be null: the header is commented out with them
    lines.push(Object.keys(set).length ? "parameters:" : "# parameters:");
    for (const [n, v] of Object.entries(set)) lines.push(`  ${n}: ${flow(v)}`);
    for (const [n, p] of optional) lines.push(`  # ${n}: ${flow(p.defaultValue)}    (the default${p.allowedValues ? `; one of ${flow(p.allowedValues)}` : ""})`);
  }
  lines.push("# environments:            # azpol deploy --env prod picks an entry's values", "#   prod:", "#     enforcementMode: Default", "#   dev:", "#     enforcementMode: DoNotEnforce");
  return `${lines.join("\n")}\n`;
}

const ASSIGNMENT_ID = /^(.*)\/providers\/Microsoft\.Authorization\/policyAssignments\/([^/]+)$/i;
const TARGET = /\/providers\/Microsoft\.Authorization\/(policyDefinitions|policySetDefinitions)\/([^/]+)$/i;

/** An assignment as ARM returns it → an assignment source, or why it cannot be one. */
export function sourceFromAssignment(id: string, properties: Record<string, unknown>): { source: AssignmentSource; notes: string[] } | { problem: string } {
  const at = ASSIGNMENT_ID.exec(id);
  const target = TARGET.exec(typeof properties.policyDefinitionId === "string" ? properties.policyDefinitionId : "");
  if (!at || !target) return { problem: `${id} is not a policy assignment of a definition or initiative (policyDefinitionId ${JSON.stringify(properties.policyDefinitionId)})` };
  const notes: string[] = [`it assigns ${String(properties.policyDefinitionId)}: the project must build a ${target[1] === "policyDefinitions" ? "definition" : "initiative"} named '${target[2] ?? ""}' at its definitionLocation (azpol import <definition id> brings a definition in)`];
  const parameters = Object.fromEntries(Object.entries((properties.parameters as Record<string, { value?: unknown }> | undefined) ?? {}).map(([k, v]) => [k, v?.value]));
  const text = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
  const list = (v: unknown) => (Array.isArray(v) && v.length ? (v as unknown[]) : undefined);
  const source: AssignmentSource = {
    name: at[2] ?? "",
    ...(text(properties.displayName) ? { displayName: text(properties.displayName) as string } : {}),
    ...(text(properties.description) ? { description: text(properties.description) as string } : {}),
    ...(target[1]?.toLowerCase() === "policydefinitions" ? { definition: target[2] ?? "" } : { initiative: target[2] ?? "" }),
    ...(text(properties.definitionVersion) ? { definitionVersion: text(properties.definitionVersion) as string } : {}),
    scopes: [at[1] ?? ""],
    ...(list(properties.notScopes) ? { notScopes: list(properties.notScopes) as string[] } : {}),
    enforcementMode: properties.enforcementMode === "DoNotEnforce" ? "DoNotEnforce" : "Default",
    ...(Object.keys(parameters).length ? { parameters } : {}),
    ...(list(properties.nonComplianceMessages) ? { nonComplianceMessages: list(properties.nonComplianceMessages) as NonNullable<AssignmentSource["nonComplianceMessages"]> } : {}),
  };
  const metadata = properties.metadata as Record<string, unknown> | undefined;
  if (metadata?.managedBy === "azpol") notes.push(`azpol made it (owner '${typeof metadata.azpolOwner === "string" ? metadata.azpolOwner : "default"}'); an estate deploy with that owner keeps managing it`);
  else notes.push("azpol did not make it (no metadata.managedBy: azpol): deploy will not take it over; delete it in Azure once the source's assignment replaces it, or rename the source");
  return { source, notes };
}

export function importedAssignmentText(source: AssignmentSource, origin: string, notes: string[]): string {
  return `# Imported by azpol from ${origin}.\n${notes.map((n) => `# ${n}\n`).join("")}${yaml(source)}`;
}
