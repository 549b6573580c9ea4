// azpol import <file | id>: an existing definition, policy set (initiative) or assignment, from a
// JSON file or read from Azure by id, as the azpol source that makes it again. Returns what was
// written; prints nothing. Azure is reached through `azure`, loaded only when an id is given.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { importedAssignmentText, sourceFromAssignment } from "../../assignment/assignment-source-text.js";
import { AzpolError, ExitCode, UsageError } from "../../errors.js";
import { isPolicySet, memberDefinitionIds } from "../../import/initiative-from-policy-set.js";
import { namedPath } from "../../io/guarded-writer.js";
import { shownPath } from "../../io/shown-path.js";
import { readInputText } from "../../io/read-input.js";
import { parseSourceText } from "../../io/source-file.js";
import type { ActionContext } from "../context.js";
import { importDefinition, prepareDefinitionImport, type ImportDefinitionOptions, type ImportedDefinition, type PreparedDefinition } from "./import-definition.js";
import { importInitiative, knownDefinitions, type ImportedInitiative } from "./import-initiative.js";

export interface ImportRequest extends ImportDefinitionOptions {
  /** a JSON file, or a definition or assignment id */
  what: string;
  /** where an imported policy set goes */
  initiatives?: string | undefined;
  /** where an imported assignment goes (--dir when given, else assignments) */
  assignmentDir: string;
}

/** Reads one definition or assignment from Azure by id. */
export interface AzureReader {
  definition(id: string): Promise<unknown>;
  /** a policy set (initiative) by id, as ARM returns it */
  setDefinition(id: string): Promise<unknown>;
  assignment(id: string): Promise<{ id: string; properties: Record<string, unknown> }>;
}

export interface ImportedAssignment {
  kind: "assignment";
  assignment: string;
  notes: string[];
}

export type ImportOutcome = ImportedDefinition | ImportedInitiative | ImportedAssignment;

const DEFINITION_ID = /\/providers\/Microsoft\.Authorization\/policyDefinitions\/[^/]+$/i;
const SET_DEFINITION_ID = /\/providers\/Microsoft\.Authorization\/policySetDefinitions\/[^/]+$/i;
const ASSIGNMENT_ID = /\/providers\/Microsoft\.Authorization\/policyAssignments\/[^/]+$/i;

/** An assignment by id → assignments/<name>.yaml (as an estate deploy would make it again). */
async function importAssignment(id: string, request: ImportRequest, ctx: ActionContext, azure: () => Promise<AzureReader>): Promise<ImportedAssignment> {
  const found = await (await azure()).assignment(id);
  const mapped = sourceFromAssignment(found.id, found.properties);
  if ("problem" in mapped) throw new AzpolError("NotImportable", mapped.problem);
  const name = request.name ?? mapped.source.name;
  const dir = request.assignmentDir;
  const file = namedPath(dir, [{ value: name, what: "assignment name" }]) + ".yaml";
  if (existsSync(file) && !request.force) throw new UsageError(`${shownPath(file)} already exists; pass --force or --name`);
  ctx.write(dir, file, importedAssignmentText({ ...mapped.source, name }, id, mapped.notes), { label: "--dir" });
  return { kind: "assignment", assignment: shownPath(file), notes: mapped.notes };
}

/**
 * A policy set read by id imports with its members: each member not yet in --dir is read from
 * Azure by its id and checked (round trip) before anything is written, so one member azpol cannot
 * express writes nothing; then the members, then the initiative over them.
 */
async function importSetWithMembers(data: unknown, origin: string, request: ImportRequest, ctx: ActionContext, reader: AzureReader): Promise<ImportedInitiative> {
  const known = knownDefinitions(request.dir, ctx.files);
  const missing = [...new Map(memberDefinitionIds(data).filter((id) => !known.has((id.split("/").pop() ?? "").toLowerCase())).map((id) => [id.toLowerCase(), id])).values()];
  const prepared: PreparedDefinition[] = [];
  for (const id of missing) {
    const member = await reader.definition(id);
    try {
      // a member is named after the last segment of its id, as the initiative refers to it
      prepared.push(await prepareDefinitionImport(member, id, { dir: request.dir, templates: request.templates, force: request.force, name: id.split("/").pop() }, ctx));
    } catch (e) {
      // an Azure or network error keeps its exit code (3); anything else makes the set not importable (1)
      if (e instanceof AzpolError || e instanceof UsageError) throw new AzpolError("NotImportable", `${origin}: member ${id} cannot be imported, so nothing was written: ${e.message}`, e.exitCode === ExitCode.Azure ? ExitCode.Azure : ExitCode.Findings);
      throw e;
    }
  }
  for (const p of prepared) p.write();
  try {
    const imported = importInitiative(data, origin, request, ctx);
    return prepared.length ? { ...imported, importedMembers: prepared.map((p) => p.outcome) } : imported;
  } catch (e) {
    if (prepared.length && (e instanceof AzpolError || e instanceof UsageError)) throw new AzpolError("NotImportable", `${e.message} (its members were imported and written: ${prepared.map((p) => p.outcome.definition).join(", ")})`);
    throw e;
  }
}

export async function importSource(request: ImportRequest, ctx: ActionContext, azure: () => Promise<AzureReader>): Promise<ImportOutcome> {
  const { what } = request;
  if (ASSIGNMENT_ID.test(what) && !existsSync(what)) return importAssignment(what, request, ctx, azure);
  let data: unknown;
  let origin = what;
  if (DEFINITION_ID.test(what) && !existsSync(what)) data = await (await azure()).definition(what);
  else if (SET_DEFINITION_ID.test(what) && !existsSync(what)) {
    // the set and its members over one reader (one sign-in)
    const reader = await azure();
    return importSetWithMembers(await reader.setDefinition(what), what, request, ctx, reader);
  }
  else {
    const read = readInputText(resolve(what));
    if ("error" in read) throw new UsageError(`${what} ${read.error}`);
    const parsed = parseSourceText(shownPath(resolve(what)), read.text);
    if (parsed.syntaxErrors.length) throw new UsageError(`${what}: ${parsed.syntaxErrors.map((d) => `line ${d.line ?? 1}: ${d.message}`).join("; ")}`);
    data = parsed.data;
    origin = shownPath(resolve(what));
  }
  if (isPolicySet(data)) return importInitiative(data, origin, request, ctx);
  return importDefinition(data, origin, request, ctx);
}
