// Assignment source + the definitions and initiatives built with it → validated AssignmentModel
// for one environment, or diagnostics at file:line:col. Pure. Every environment's values are
// checked whichever one is picked, so `azpol validate` catches a bad prod value on a dev run.
import type { ParsedFile } from "../core/compile-definition.js";
import { hasErrors, joinPointer, type Diagnostic, type DiagnosticCode, type Severity } from "../model/diagnostics.js";
import { readableTextProblem } from "../model/safe-name.js";
import type { DefinitionModel } from "../core/mutation-model.js";
import type { InitiativeModel } from "../initiative/initiative-model.js";
import { validateAssignmentSchema } from "../schema/validate-source.js";
import type { DefinitionLocation } from "../deploy/scope.js";
import type { AssignmentModel } from "./assignment-model.js";
import type { AssignmentSource, AssignmentValuesSource } from "../model/assignment-source.js";
import { checkAssignmentName, checkParameterValues, checkScopes, type Assignable } from "./assignment-checks.js";

export interface AssignmentBuild {
  /** undefined: errors, or the assignment is not deployed in the picked environment */
  model: AssignmentModel | undefined;
  /** the assignment has environments and the picked one is not among them */
  excluded: boolean;
  diagnostics: Diagnostic[];
}

export interface AssignmentContext {
  definitions: ReadonlyMap<string, DefinitionModel>;
  initiatives: ReadonlyMap<string, InitiativeModel>;
  /** where the definitions are made, when known (azpol.yaml definitionLocation) */
  location: DefinitionLocation | undefined;
  /** deploy --env */
  env: string | undefined;
}

export type Report = (code: DiagnosticCode, pointer: string, message: string, severity?: Severity) => void;

/** The values of one environment over the base ones (parameters merge by name), with where each came from. */
function variant(source: AssignmentSource, env: string | undefined): { values: AssignmentValuesSource; at: (key: string, ...rest: (string | number)[]) => string } {
  const over = env === undefined ? undefined : source.environments?.[env];
  const values: AssignmentValuesSource = { ...source, ...over, parameters: { ...source.parameters, ...over?.parameters } };
  const at = (key: string, ...rest: (string | number)[]) => {
    const fromEnv = over !== undefined && (key === "parameters" && rest.length ? over.parameters !== undefined && String(rest[0]) in over.parameters : key in over);
    return fromEnv ? joinPointer("environments", env ?? "", key, ...rest) : joinPointer(key, ...rest);
  };
  return { values, at };
}

function target(source: AssignmentSource, ctx: AssignmentContext, report: Report): Assignable | undefined {
  if ((source.definition === undefined) === (source.initiative === undefined)) {
    report("AZP2401", "/name", "an assignment names exactly one of definition: or initiative:; add one (or remove one)");
    return undefined;
  }
  const kind = source.definition !== undefined ? "definition" : "initiative";
  const name = source.definition ?? source.initiative ?? "";
  const found = kind === "definition" ? ctx.definitions.get(name.toLowerCase()) : ctx.initiatives.get(name.toLowerCase());
  if (!found) {
    const known = [...(kind === "definition" ? ctx.definitions : ctx.initiatives).values()].map((d) => d.name);
    report("AZP2401", `/${kind}`, `no ${kind} named '${name}' is built with this assignment${known.length ? `; built: ${known.join(", ")}` : ""}. Build it together with this file (the project root builds definitions/, initiatives/ and assignments/)`);
    return undefined;
  }
  const referenceIds = "members" in found ? found.members.map((m) => m.referenceId) : [];
  return { kind, model: found, referenceIds };
}

export function compileAssignment(file: ParsedFile, ctx: AssignmentContext): AssignmentBuild {
  const diagnostics: Diagnostic[] = [...file.syntaxErrors];
  if (diagnostics.length) return { model: undefined, excluded: false, diagnostics };
  const schema = validateAssignmentSchema(file.data, file.file, file.locate);
  diagnostics.push(...schema.diagnostics);
  const source = schema.source;
  if (!source) return { model: undefined, excluded: false, diagnostics };
  const seen = new Set<string>();
  const report: Report = (code, pointer, message, severity = "error") => {
    // the base values are checked once per environment: say each problem once
    const key = `${code}\u0000${pointer}\u0000${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    diagnostics.push({ code, severity, message, file: file.file, pointer, ...file.locate(pointer) });
  };
  const assigned = target(source, ctx, report);
  const envs = [undefined, ...Object.keys(source.environments ?? {})];
  let picked: { values: AssignmentValuesSource; scopes: AssignmentModel["scopes"]; parameters: Record<string, unknown> } | undefined;
  const pickedEnv = source.environments && ctx.env !== undefined && ctx.env in source.environments ? ctx.env : undefined;
  for (const field of ["displayName", "description"] as const) {
    const problem = readableTextProblem(source[field]);
    if (problem) report("AZP2024", `/${field}`, problem);
  }
  for (const env of envs) {
    const { values, at } = variant(source, env);
    const scopes = checkScopes(values, at, ctx.location, report);
    checkAssignmentName(source.name, scopes, report);
    const parameters = assigned ? checkParameterValues(values, assigned, at, report) : {};
    if (env === pickedEnv) picked = { values, scopes, parameters };
  }
  const excluded = source.environments !== undefined && ctx.env !== undefined && pickedEnv === undefined;
  if (hasErrors(diagnostics) || !assigned || !picked || excluded) return { model: undefined, excluded, diagnostics };
  const v = picked.values;
  return {
    model: {
      name: source.name,
      displayName: source.displayName ?? assigned.model.displayName,
      description: source.description ?? assigned.model.description,
      target: { kind: assigned.kind, name: assigned.model.name },
      scopes: picked.scopes,
      notScopes: v.notScopes ?? [],
      enforcementMode: v.enforcementMode ?? "Default",
      parameters: picked.parameters,
      nonComplianceMessages: v.nonComplianceMessages ?? [],
      ...(v.definitionVersion !== undefined ? { definitionVersion: v.definitionVersion } : {}),
      sourceFile: file.file,
    },
    excluded: false,
    diagnostics,
  };
}
