// azpol new --from-template <file | https URL>: a definition source for any ConstraintTemplate.
// Returns what was written and how the template was mapped; prints nothing.
import { templateUrlProblem } from "../../core/template-url.js";
import { existsSync, readdirSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { readConstraintTemplate, type ConstraintTemplate } from "../../core/constraint-template.js";
import type { TemplateSource } from "../../model/definition-source.js";
import { definitionNameProblem } from "../../model/azure-limits.js";
import { gatekeeperYamlDigest } from "../../core/gatekeeper-yaml-digest.js";
import { AzpolError, UsageError } from "../../errors.js";
import { kindsOfSamples, parseKindsFlag, proposeKinds } from "../../from-constraint-template/propose-kinds.js";
import { sourceFromTemplate } from "../../from-constraint-template/source-from-constraint-template.js";
import { redactUrl, type TemplateFetcher } from "../../integrity/fetch-hosted-template.js";
import { namedPath } from "../../io/guarded-writer.js";
import { readParsedFile } from "../../io/load-definitions.js";
import { shownPath } from "../../io/shown-path.js";
import { userinfoProblem } from "../../io/redact.js";
import { decodeText, readInputText } from "../../io/read-input.js";
import { parseSourceText } from "../../io/source-file.js";
import type { Diagnostic } from "../../model/diagnostics.js";
import { buildProject } from "../../pipeline/build-project.js";
import { kindsFlagWarnings } from "../../from-constraint-template/check-kinds.js";
import type { ActionContext } from "../context.js";

export interface FromTemplateOptions {
  fromTemplate: string;
  kinds?: string;
  name?: string;
  dir: string;
  templates: string;
  templateUrl?: string;
  force?: boolean;
}

export interface FromTemplateOutcome {
  definition: string;
  template: string;
  written: string[];
  kindsFrom: string;
  kinds: string[];
  parameters: string[];
  /** template properties that could not become parameters */
  skipped: string[];
  renamed: string[];
  /** what validate would say of the source written (warnings only: errors refuse it) */
  diagnostics: Diagnostic[];
}

interface Loaded {
  template: ConstraintTemplate;
  /** the template file the definition will point at (written here for a URL) */
  file: string;
  /** where Azure gets it */
  source: (relativePath: string) => TemplateSource;
  samplesDir?: string;
  write?: string;
}

async function load(options: FromTemplateOptions, fetch: TemplateFetcher): Promise<Loaded> {
  const from = options.fromTemplate;
  const parse = (text: string, shown: string): ConstraintTemplate => {
    const parsed = parseSourceText(shown, text);
    if (parsed.syntaxErrors.length) throw new UsageError(`--from-template ${shown}: ${parsed.syntaxErrors.map((d) => `line ${d.line ?? 1}: ${d.message}`).join("; ")}`);
    const template = readConstraintTemplate(parsed.data, text);
    if (Array.isArray(template)) throw new UsageError(`--from-template ${shown} is not a ConstraintTemplate azpol can use: ${template.join("; ")}`);
    return template;
  };
  if (/^[a-z]+:\/\//i.test(from)) {
    const fetched = await fetch(from);
    if ("error" in fetched) throw new UsageError(`--from-template ${fetched.error}`);
    const decoded = decodeText(fetched.bytes);
    if ("error" in decoded) throw new UsageError(`--from-template ${redactUrl(from)} ${decoded.error}`);
    const template = parse(decoded.text, redactUrl(from));
    const file = namedPath(options.templates, [{ value: template.name, what: "the template's metadata.name" }], "template.yaml");
    // the URL's bytes are what gets tested and pinned, so Azure keeps fetching the same URL
    return { template, file, write: decoded.text, source: (path) => ({ path, source: "PublicURL", url: from, sha256: gatekeeperYamlDigest(decoded.text) }) };
  }
  const path = resolve(from);
  const read = readInputText(path);
  if ("error" in read) throw new UsageError(`--from-template ${shownPath(path)} ${read.error}`);
  const template = parse(read.text, shownPath(path));
  // copied into constraint-templates/<name>/ like a downloaded one, wherever it was (the project
  // root, a checkout of gatekeeper-library, another disk): the scaffold then validates and
  // builds from the project alone, and the build's --out never overlaps the template's folder
  const file = namedPath(options.templates, [{ value: template.name, what: "the template's metadata.name" }], "template.yaml");
  const source = (p: string): TemplateSource => (options.templateUrl ? { path: p, source: "PublicURL", url: options.templateUrl, sha256: gatekeeperYamlDigest(read.text) } : { path: p, source: "Base64Encoded" });
  return { template, file, source, samplesDir: join(dirname(path), "samples"), write: read.text };
}

/** gatekeeper-library: samples/<case>/constraint.yaml beside the template. */
function sampleConstraints(dir: string | undefined): unknown[] {
  if (!dir || !existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, "constraint.yaml")))
    .map((d) => readParsedFile(join(dir, d.name, "constraint.yaml")).data);
}

/** A URL is fetched through ctx.net (its request timeout and deadline). */
export async function newFromTemplate(options: FromTemplateOptions, ctx: ActionContext): Promise<FromTemplateOutcome> {
  const urlProblem = options.templateUrl === undefined ? undefined : templateUrlProblem(options.templateUrl);
  if (urlProblem) throw new UsageError(`--template-url ${redactUrl(options.templateUrl ?? "")} ${urlProblem}`);
  // --template-url's userinfo is templateUrlProblem's; the template fetched by URL is checked here
  const from = options.fromTemplate;
  if (from !== undefined && /^[a-z][a-z0-9+.-]*:\/\//i.test(from) && userinfoProblem(from)) throw new UsageError(`--from-template ${redactUrl(from)} carries a user name or password; the add-on fetches templates anonymously, and azpol neither sends nor prints credentials: remove 'user:password@'`);
  const flagKinds = options.kinds === undefined ? undefined : parseKindsFlag(options.kinds);
  if (typeof flagKinds === "string") throw new UsageError(flagKinds);
  const loaded = await load(options, ctx.net.templateFetcher());
  const { template } = loaded;
  // Rego that reads synced data needs the annotation and replication Azure blocks: refused whether
  // or not the template says so (a template without the annotation would install and never match)
  const inventory = [template.rego ?? "", ...template.libs].some((r) => /\bdata\s*(\.\s*inventory\b|\[\s*"inventory"\s*\])/.test(r));
  if (inventory && !template.requiresSyncData) {
    throw new AzpolError("UnsupportedTemplate", `template ${template.name} reads data.inventory (synced cluster data), which Azure Policy does not replicate for custom definitions; it cannot become an Azure Policy definition`);
  }
  if (template.requiresSyncData) {
    throw new AzpolError("UnsupportedTemplate", `template ${template.name} requires synced data (metadata.gatekeeper.sh/requires-sync-data), which Azure blocks for custom definitions (ConstraintTemplateInstallFailed); it cannot become an Azure Policy definition`);
  }
  const name = options.name ?? template.name;
  const nameProblem = definitionNameProblem(name);
  if (nameProblem) throw new UsageError(`--name: ${nameProblem}`);
  const definitionFile = namedPath(options.dir, [{ value: name, what: "definition name" }], "definition.yaml");
  const definitionDir = dirname(definitionFile);
  if (existsSync(definitionFile) && !options.force) throw new UsageError(`${shownPath(definitionFile)} already exists; pass --force to overwrite it or --name to pick another name`);
  if (loaded.write !== undefined && existsSync(loaded.file) && !options.force) {
    const existing = readInputText(loaded.file);
    if ("error" in existing || existing.text !== loaded.write) throw new UsageError(`${shownPath(loaded.file)} exists with other content; pass --force to replace it`);
  }
  const kinds = proposeKinds(flagKinds, kindsOfSamples(sampleConstraints(loaded.samplesDir)));
  const relativePath = relative(definitionDir, loaded.file).split("\\").join("/");
  const made = sourceFromTemplate(template, { name: options.name, template: loaded.source(relativePath), kinds, origin: redactUrl(options.fromTemplate) });
  // checked as validate checks it, before anything is written: errors refuse, warnings are returned
  const diagnostics = checkScaffold(made.text, definitionFile, loaded, options.kinds);
  if (diagnostics.some((d) => d.severity === "error")) throw new UsageError("the definition azpol would write does not validate; nothing was written", diagnostics.filter((d) => d.severity === "error"));
  if (loaded.write !== undefined) ctx.write(options.templates, loaded.file, loaded.write, { label: "--templates" });
  ctx.write(options.dir, definitionFile, made.text, { label: "--dir" });
  const written = [...(loaded.write !== undefined ? [shownPath(loaded.file)] : []), shownPath(definitionFile)];
  return { definition: shownPath(definitionFile), template: shownPath(loaded.file), written, kindsFrom: kinds.from, kinds: kinds.kinds, parameters: Object.keys(template.parameters), skipped: made.skipped, renamed: made.renamed, diagnostics };
}

function checkScaffold(text: string, definitionFile: string, loaded: Loaded, kindsFlag: string | undefined): Diagnostic[] {
  const shown = shownPath(definitionFile);
  const flagged = kindsFlag === undefined ? [] : kindsFlagWarnings(kindsFlag, shown);
  if (loaded.write === undefined) return flagged;
  const source = { ...parseSourceText(shown, text), text };
  const template = { ...parseSourceText(shownPath(loaded.file), loaded.write), text: loaded.write };
  const built = buildProject([{ source, template }], [], []);
  return [...flagged, ...built.diagnostics];
}
