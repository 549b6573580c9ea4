// `azpol new --assignment <name> --assign <definition or initiative> --scope <scope>...`: writes
// assignments/<name>.yaml for a definition or initiative of the project, checked as validate
// checks it before anything is written.
import { existsSync } from "node:fs";
import { buildAssignments } from "../../assignment/build-assignments.js";
import { projectDefinitionLocation } from "../../assignment/load-assignments.js";
import { scaffoldAssignmentText } from "../../assignment/assignment-source-text.js";
import { AzpolError, UsageError } from "../../errors.js";
import { namedPath } from "../../io/guarded-writer.js";
import { shownPath } from "../../io/shown-path.js";
import { parseSourceText } from "../../io/source-file.js";
import { buildSources } from "../../pipeline/read-sources.js";
import type { Diagnostic } from "../../model/diagnostics.js";
import type { ActionContext } from "../context.js";

export interface NewAssignmentOptions {
  assignment: string;
  assign?: string;
  scope?: string[];
  dir?: string;
  force?: boolean;
}

export interface NewAssignmentOutcome {
  assignment: string;
  assigns: { kind: "definition" | "initiative"; name: string };
  scopes: string[];
  /** warnings validate would give the scaffold */
  diagnostics: Diagnostic[];
}

export function newAssignment(options: NewAssignmentOptions, ctx: ActionContext): NewAssignmentOutcome {
  if (options.assign === undefined) throw new UsageError("--assignment needs --assign <definition or initiative>: what to assign");
  const scopes = (options.scope ?? []).flatMap((s) => s.split(",")).map((s) => s.trim()).filter((s) => s !== "");
  if (scopes.length === 0) throw new UsageError("--assignment needs --scope <scope> (repeatable): mg:<name>, /subscriptions/<id> or /subscriptions/<id>/resourceGroups/<rg>");
  const built = buildSources([], [], [], ctx.files);
  if (!built.ok) throw new AzpolError("InvalidDefinitions", "the definitions have errors; fix them first (azpol validate)", undefined, { diagnostics: built.diagnostics });
  const want = options.assign.toLowerCase();
  const definitions = [...built.models, ...built.mutations];
  const definition = definitions.find((m) => m.name.toLowerCase() === want);
  const initiative = built.initiatives.find((i) => i.name.toLowerCase() === want);
  const target = definition ?? initiative;
  if (!target) throw new UsageError(`--assign: no definition or initiative named '${options.assign}' in this project; there are: ${[...definitions, ...built.initiatives].map((m) => m.name).join(", ")}`);
  const source = { name: options.assignment, ...(definition ? { definition: target.name } : { initiative: target.name }), scopes, enforcementMode: "Default" as const };
  const text = scaffoldAssignmentText(source, target.parameters);
  const file = namedPath(options.dir ?? "assignments", [{ value: options.assignment, what: "--assignment" }]) + ".yaml";
  // the scaffold must validate as written (scopes, name, required parameters)
  const parsed = parseSourceText(shownPath(file), text);
  const check = buildAssignments([{ ...parsed, text }], definitions, built.initiatives, { location: projectDefinitionLocation(ctx.files.cwd), env: undefined });
  if (!check.ok) throw new UsageError(check.diagnostics.filter((d) => d.severity === "error").map((d) => d.message).join("; "));
  if (existsSync(file) && !options.force) throw new UsageError(`${shownPath(file)} already exists; pass --force to overwrite it or pick another --assignment name`);
  ctx.write(options.dir ?? "assignments", file, text, { label: "--dir" });
  return { assignment: shownPath(file), assigns: { kind: definition ? "definition" : "initiative", name: target.name }, scopes, diagnostics: check.diagnostics };
}
