// An existing Kubernetes definition (policy.json, portal JSON, az output, or read by id) as an
// azpol definition source plus its template file; written only when the source builds the same
// definition again (the round trip).
import { existsSync } from "node:fs";
import { relative, resolve } from "node:path";
import { readConstraintTemplate } from "../../core/constraint-template.js";
import { isMutatorDocument, readMutator } from "../../core/mutator.js";
import type { ParsedFile } from "../../core/compile-definition.js";
import { gatekeeperYamlDigest } from "../../core/gatekeeper-yaml-digest.js";
import { AzpolError, ExitCode, UsageError } from "../../errors.js";
import { importedSourceText } from "../../import/import-source-text.js";
import { readExistingDefinition, type ExistingDefinition } from "../../import/read-definition-json.js";
import { checkRoundTrip } from "../../import/round-trip.js";
import { standardParameterNotes } from "../../import/standard-parameter-notes.js";
import { checkTemplatesCompile } from "../../pipeline/compile-constraint-templates.js";
import type { BuildResult } from "../../pipeline/build-definitions.js";
import { sourceFromDefinition, type TemplateOrigin } from "../../import/source-from-definition.js";
import { redactUrl, type TemplateFetcher } from "../../integrity/fetch-hosted-template.js";
import { namedPath } from "../../io/guarded-writer.js";
import { shownPath } from "../../io/shown-path.js";
import { decodeText, readInputText } from "../../io/read-input.js";
import { parseSourceText } from "../../io/source-file.js";
import type { TemplateSource } from "../../model/definition-source.js";
import { definitionNameProblem } from "../../model/azure-limits.js";
import type { ActionContext } from "../context.js";

export interface ImportDefinitionOptions {
  name?: string | undefined;
  dir: string;
  templates: string;
  /** a local copy of a PublicURL template, used instead of downloading it */
  template?: string | undefined;
  force?: boolean | undefined;
}

export interface ImportedDefinition {
  kind: "definition";
  definition: string;
  template: string;
  notes: string[];
}

async function templateText(origin: TemplateOrigin, localFile: string | undefined, fetch: TemplateFetcher): Promise<{ text: string; source: (path: string) => TemplateSource }> {
  if (localFile !== undefined) {
    // --template: the file stands for what the URL serves (offline, or a URL that cannot be fetched)
    if (origin.sourceType === "Base64Encoded") throw new UsageError("--template is for a PublicURL template; this definition embeds its template (Base64Encoded)");
    const read = readInputText(resolve(localFile));
    if ("error" in read) throw new UsageError(`--template ${localFile} ${read.error}`);
    return { text: read.text, source: (path) => ({ path, source: "PublicURL", url: origin.url, sha256: gatekeeperYamlDigest(read.text) }) };
  }
  if (origin.sourceType === "Base64Encoded") {
    const decoded = decodeText(Buffer.from(origin.content, "base64"));
    if ("error" in decoded) throw new AzpolError("InvalidTemplate", `templateInfo.content ${decoded.error.replace("; re-save it as UTF-8", "")}`);
    return { text: decoded.text, source: (path) => ({ path, source: "Base64Encoded" }) };
  }
  const fetched = await fetch(origin.url);
  // a download that fails is a network/Azure-side error (exit 3, as --help says), not an unimportable definition
  if ("error" in fetched) throw new AzpolError("TemplateFetchFailed", `cannot download the template: ${fetched.error}`, ExitCode.Azure);
  const decoded = decodeText(fetched.bytes);
  if ("error" in decoded) throw new AzpolError("InvalidTemplate", `${redactUrl(origin.url)} ${decoded.error}`);
  return { text: decoded.text, source: (path) => ({ path, source: "PublicURL", url: origin.url, sha256: gatekeeperYamlDigest(decoded.text) }) };
}

function parsedFile(file: string, text: string): ParsedFile {
  const parsed = parseSourceText(shownPath(file), text);
  return { file: parsed.file, data: parsed.data, text, locate: parsed.locate, syntaxErrors: parsed.syntaxErrors };
}

function originalProperties(existing: ExistingDefinition): Record<string, unknown> {
  const { name: _name, ...properties } = existing;
  return properties;
}

/** An import checked (round trip included) and not yet written: several can be checked before any is written. */
export interface PreparedDefinition {
  outcome: ImportedDefinition;
  /** the definition's name in its source (what an initiative's member resolves to) */
  name: string;
  write: () => void;
}

export async function importDefinition(data: unknown, origin: string, options: ImportDefinitionOptions, ctx: ActionContext): Promise<ImportedDefinition> {
  const prepared = await prepareDefinitionImport(data, origin, options, ctx);
  prepared.write();
  return prepared.outcome;
}

export async function prepareDefinitionImport(data: unknown, origin: string, options: ImportDefinitionOptions, ctx: ActionContext): Promise<PreparedDefinition> {
  const existing = readExistingDefinition(data);
  if (typeof existing === "string") throw new AzpolError("NotImportable", `${origin}: ${existing}`);
  const fallbackName = options.name ?? existing.name;
  if (fallbackName === undefined) throw new UsageError(`${origin} does not say the definition's name (policy.json and portal JSON do not carry it); pass --name`);
  const mapped = sourceFromDefinition(existing, fallbackName);
  if ("problems" in mapped) throw new AzpolError("NotImportable", `${origin} cannot be expressed as an azpol source: ${mapped.problems.join("; ")}`);
  const name = options.name ?? mapped.source.name;
  const nameProblem = definitionNameProblem(name);
  if (nameProblem) throw new UsageError(`${nameProblem}; pass --name`);
  const { text, source } = await templateText(mapped.template, options.template, ctx.net.templateFetcher());
  // a Mutate definition's file is a Gatekeeper mutator, written as <templates>/<its name>/mutation.yaml
  const fileData = parseSourceText("template", text).data;
  const isMutator = isMutatorDocument(fileData);
  const template = isMutator ? readMutator(fileData, text) : readConstraintTemplate(fileData, text);
  if (Array.isArray(template)) throw new AzpolError("InvalidTemplate", `the definition's ${isMutator ? "mutator" : "template"} is not usable: ${template.join("; ")}`);
  const definitionFile = namedPath(options.dir, [{ value: name, what: "definition name" }], "definition.yaml");
  const definitionDir = resolve(definitionFile, "..");
  const templateFile = namedPath(options.templates, [{ value: template.name, what: "the template's metadata.name" }], isMutator ? "mutation.yaml" : "template.yaml");
  if (existsSync(definitionFile) && !options.force) throw new UsageError(`${shownPath(definitionFile)} already exists; pass --force or --name`);
  const current = existsSync(templateFile) ? readInputText(templateFile) : undefined;
  if (current && ("error" in current || current.text !== text) && !options.force) throw new UsageError(`${shownPath(templateFile)} exists with other content; pass --force to replace it`);
  const sourceText = importedSourceText({ ...mapped.source, name, template: source(relative(definitionDir, templateFile).split("\\").join("/")) }, redactUrl(origin), mapped.notes);
  // never write a source that builds something else than the original
  const roundTrip = checkRoundTrip(parsedFile(definitionFile, sourceText), parsedFile(templateFile, text), originalProperties(existing));
  if (!roundTrip.ok) throw new AzpolError("NotImportable", `${origin}: the imported source would not build the same definition: ${roundTrip.problems.join("; ")}`);
  // and never write a source validate/build then refuse: the checks that need the engine (a
  // template that does not compile, AZP3007; a mutator Gatekeeper refuses, AZP3014) run here too
  const { model, mutation } = roundTrip.built;
  const engineChecked = await checkTemplatesCompile<BuildResult>({ ok: true, models: model ? [model] : [], mutations: mutation ? [mutation] : [], artifacts: [], diagnostics: [] }, undefined, ctx.engine);
  const refused = engineChecked.diagnostics.filter((d) => d.severity === "error");
  if (refused.length) throw new AzpolError("NotImportable", `${origin}: the imported source would not validate, so nothing was written: ${refused.map((d) => `${d.code} ${d.message}`).join("; ")}`);
  // the header names what the build writes differently for the standard parameters (comments only: the round trip stands)
  const notes = [...mapped.notes, ...standardParameterNotes(existing.parameters, (model ?? mutation)?.parameters ?? {})];
  const writtenText = notes.length === mapped.notes.length ? sourceText : importedSourceText({ ...mapped.source, name, template: source(relative(definitionDir, templateFile).split("\\").join("/")) }, redactUrl(origin), notes);
  const write = () => {
    ctx.write(options.templates, templateFile, text, { label: "--templates" });
    ctx.write(options.dir, definitionFile, writtenText, { label: "--dir" });
  };
  return { name, write, outcome: { kind: "definition", definition: shownPath(definitionFile), template: shownPath(templateFile), notes } };
}
