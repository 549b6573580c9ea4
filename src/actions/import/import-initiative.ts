// `azpol import <policyset.json>`: a policy set definition (initiative) as initiatives/<name>/
// initiative.yaml, its members being definitions already imported into --dir (by the last
// segment of their ids). The initiative is built with them before it is written, so what it
// writes validates.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { stringify } from "yaml";
import type { ParsedFile } from "../../core/compile-definition.js";
import { AzpolError, UsageError } from "../../errors.js";
import { initiativeFromPolicySet } from "../../import/initiative-from-policy-set.js";
import { redactUrl } from "../../integrity/fetch-hosted-template.js";
import { namedPath } from "../../io/guarded-writer.js";
import { findDefinitionFiles, loadDefinitionInput } from "../../io/load-definitions.js";
import { shownPath } from "../../io/shown-path.js";
import { parseSourceText } from "../../io/source-file.js";
import { definitionNameProblem } from "../../model/azure-limits.js";
import { buildProject } from "../../pipeline/build-project.js";
import type { ActionContext } from "../context.js";
import type { ImportedDefinition } from "./import-definition.js";

export interface ImportInitiativeOptions {
  name?: string | undefined;
  dir: string;
  initiatives?: string | undefined;
  force?: boolean | undefined;
}

export interface ImportedInitiative {
  kind: "initiative";
  initiative: string;
  members: string[];
  /** the member definitions this import read from Azure and wrote (a policy set imported by id) */
  importedMembers?: ImportedDefinition[];
  notes: string[];
}

/** The names of the definitions already imported into `dir` (lowercase → as spelled), read under the run's boundary. */
export function knownDefinitions(dir: string, files: ActionContext["files"]): Map<string, string> {
  const known = new Map<string, string>();
  for (const input of findDefinitionFiles(resolve(dir)).map((f) => loadDefinitionInput(f, files))) {
    const name = (input.source.data as { name?: unknown } | undefined)?.name;
    if (typeof name === "string") known.set(name.toLowerCase(), name);
  }
  return known;
}

export function importInitiative(data: unknown, origin: string, options: ImportInitiativeOptions, ctx: ActionContext): ImportedInitiative {
  const inputs = findDefinitionFiles(resolve(options.dir)).map((f) => loadDefinitionInput(f, ctx.files));
  const known = knownDefinitions(options.dir, ctx.files);
  const mapped = initiativeFromPolicySet(data, options.name ?? "", known);
  if ("problems" in mapped) throw new AzpolError("NotImportable", `${origin}: ${mapped.problems.join("; ")}`);
  const source = { ...mapped.source, ...(options.name ? { name: options.name } : {}) };
  if (!source.name) throw new UsageError(`${origin} does not say the initiative's name; pass --name`);
  const nameProblem = definitionNameProblem(source.name);
  if (nameProblem) throw new UsageError(`${nameProblem}; pass --name`);
  const dir = options.initiatives ?? "initiatives";
  const file = namedPath(dir, [{ value: source.name, what: "initiative name" }], "initiative.yaml");
  if (existsSync(file) && !options.force) throw new UsageError(`${shownPath(file)} already exists; pass --force or --name`);
  const header = [`# Imported by 'azpol import' from ${redactUrl(origin).replace(/[\r\n]/g, "?")}.`, ...mapped.notes.map((n) => `# note: ${n.replace(/[\r\n]/g, " ")}`)].join("\n");
  const text = `${header}\n${stringify(source, { lineWidth: 100 })}`;
  // built with its members before it is written: a wiring azpol would refuse is not written
  const parsed = parseSourceText(shownPath(file), text);
  const initiative: ParsedFile = { file: parsed.file, data: parsed.data, text, locate: parsed.locate, syntaxErrors: parsed.syntaxErrors };
  const errors = buildProject(inputs, [initiative], []).diagnostics.filter((d) => d.severity === "error");
  if (errors.length) throw new AzpolError("NotImportable", `${origin}: the initiative would not build with the definitions in ${options.dir}: ${errors.map((d) => `${shownPath(d.file)} ${d.code} ${d.pointer}: ${d.message}`).join("; ")}`);
  ctx.write(dir, file, text, { label: "--initiatives" });
  return { kind: "initiative", initiative: shownPath(file), members: source.definitions.map((d) => d.definition), notes: mapped.notes };
}
