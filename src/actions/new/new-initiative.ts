// `azpol new --initiative <name> --members a,b`: writes initiatives/<name>/initiative.yaml for
// definitions that already exist, checked with the members before anything is written.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { buildProject } from "../../pipeline/build-project.js";
import { buildDefinitions } from "../../pipeline/build-definitions.js";
import { definitionNameProblem } from "../../model/azure-limits.js";
import { AzpolError, UsageError } from "../../errors.js";
import { scaffoldInitiative } from "../../initiative/scaffold-initiative.js";
import { namedPath } from "../../io/guarded-writer.js";
import { findDefinitionFiles, loadDefinitionInput } from "../../io/load-definitions.js";
import { shownPath } from "../../io/shown-path.js";
import { parseSourceText } from "../../io/source-file.js";
import type { ActionContext } from "../context.js";

export interface NewInitiativeOptions {
  initiative: string;
  members?: string[];
  definitions: string;
  dir?: string;
  displayName?: string;
  force?: boolean;
}

export interface NewInitiativeOutcome {
  initiative: string;
  members: string[];
  /** parameters made one per member (their members declare them differently) */
  perMember: string[];
}

export function newInitiative(options: NewInitiativeOptions, ctx: ActionContext): NewInitiativeOutcome {
  const name = options.initiative;
  const nameProblem = definitionNameProblem(name);
  if (nameProblem) throw new UsageError(`--initiative: ${nameProblem}`);
  const wanted = (options.members ?? []).flatMap((m) => m.split(",")).map((m) => m.trim()).filter((m) => m !== "");
  if (wanted.length === 0) throw new UsageError("--initiative needs --members <definition,...>: the definitions to group");
  const files = findDefinitionFiles(resolve(ctx.files.cwd, options.definitions));
  if (files.length === 0) throw new UsageError(`no definition sources found in ${JSON.stringify(options.definitions)}; pass --definitions <folder>`);
  const inputs = files.map((f) => loadDefinitionInput(f, ctx.files));
  const built = buildDefinitions(inputs, []);
  if (!built.ok) throw new AzpolError("InvalidDefinitions", "the definitions have errors; fix them first (azpol validate)", undefined, { diagnostics: built.diagnostics });
  const byName = new Map(built.models.map((m) => [m.name.toLowerCase(), m]));
  const missing = wanted.filter((w) => !byName.has(w.toLowerCase()));
  if (missing.length) throw new UsageError(`--members: no definition named ${missing.map((m) => `'${m}'`).join(", ")} in ${options.definitions}; there are: ${built.models.map((m) => m.name).join(", ")}`);
  const members = [...new Set(wanted.map((w) => w.toLowerCase()))].map((w) => byName.get(w)).filter((m) => m !== undefined);
  const scaffold = scaffoldInitiative(name, members, options.displayName);
  const file = namedPath(options.dir ?? "initiatives", [{ value: name, what: "--initiative" }], "initiative.yaml");
  // the scaffold must validate with its members as written
  const parsed = parseSourceText(shownPath(file), scaffold.text);
  const check = buildProject(inputs, [{ file: parsed.file, data: parsed.data, text: scaffold.text, locate: parsed.locate, syntaxErrors: parsed.syntaxErrors }], []);
  if (!check.ok) throw new Error(`the scaffold does not validate: ${check.diagnostics.map((d) => d.message).join("; ")}`);
  if (existsSync(file) && !options.force) throw new UsageError(`${shownPath(file)} already exists; pass --force to overwrite it or pick another --initiative name`);
  ctx.write(options.dir ?? "initiatives", file, scaffold.text, { label: "--dir" });
  return { initiative: shownPath(file), members: members.map((m) => m.name), perMember: scaffold.split };
}
