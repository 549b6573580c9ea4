// azpol import <policy.json | portal.json | az show output | a definition id>: an existing
// Kubernetes definition as an azpol definition source plus its template file.
import { existsSync } from "node:fs";
import { relative, resolve } from "node:path";
import type { Command } from "commander";
import { readConstraintTemplate } from "../../core/constraint-template.js";
import type { TemplateSource } from "../../model/definition-source.js";
import { definitionNameProblem } from "../../model/azure-limits.js";
import { templateDigest } from "../../core/template-digest.js";
import { AzpolError, ExitCode, UsageError } from "../../errors.js";
import { importedSourceText } from "../../import/import-source-text.js";
import { readExistingDefinition, type ExistingDefinition } from "../../import/read-definition-json.js";
import { checkRoundTrip } from "../../import/round-trip.js";
import type { ParsedFile } from "../../core/compile-definition.js";
import { sourceFromDefinition, type TemplateOrigin } from "../../import/source-from-definition.js";
import { DEFAULT_FETCH_LIMITS, httpsTemplateFetcher, redactUrl } from "../../integrity/fetch-template.js";
import type { NetworkPolicy } from "../../net/network-policy.js";
import { addNetworkOptions, fetchNetworkFromFlags, networkFromFlags } from "../network-options.js";
import { namedPath, writeGuarded } from "../../io/guarded-writer.js";
import { shownPath } from "../../io/load-definitions.js";
import { decodeText, readInputText } from "../../io/read-input.js";
import { parseSourceText } from "../../io/source-file.js";
import { importInitiative } from "./import-initiative.js";
import { isPolicySet } from "../../import/initiative-from-policy-set.js";
import type { CommandIo } from "../command-io.js";
import type { Output } from "../output.js";
import { importedAssignmentText, sourceFromAssignment } from "../../assignment/assignment-source-text.js";

interface ImportOptions {
  name?: string;
  dir: string;
  templates: string;
  template?: string;
  initiatives?: string;
  force?: boolean;
  json?: boolean;
  subscription?: string;
  requestTimeout?: string;
  deadline?: string;
}

const DEFINITION_ID = /\/providers\/Microsoft\.Authorization\/policyDefinitions\/[^/]+$/i;
const ASSIGNMENT_ID = /\/providers\/Microsoft\.Authorization\/policyAssignments\/[^/]+$/i;

/** An assignment by id → assignments/<name>.yaml (as an estate deploy would make it again). */
async function importAssignment(id: string, options: ImportOptions, output: Output): Promise<void> {
  const { readAssignmentById } = await import("./import-from-azure.js");
  const found = await readAssignmentById(id, output, networkFromFlags(options));
  const mapped = sourceFromAssignment(found.id, found.properties);
  if ("problem" in mapped) throw new AzpolError("NotImportable", mapped.problem);
  const name = options.name ?? mapped.source.name;
  const file = namedPath(options.dir, [{ value: name, what: "assignment name" }]) + ".yaml";
  if (existsSync(file) && !options.force) throw new UsageError(`${shownPath(file)} already exists; pass --force or --name`);
  writeGuarded(options.dir, file, importedAssignmentText({ ...mapped.source, name }, id, mapped.notes), { label: "--dir" });
  if (options.json) output.out(JSON.stringify({ assignment: shownPath(file), notes: mapped.notes }, null, 2));
  else {
    output.out(`wrote ${shownPath(file)}`);
    for (const n of mapped.notes) output.err(`note: ${n}`);
    output.err("next: azpol validate && azpol deploy --dry-run (the plan shows any difference from Azure)");
  }
}

async function templateText(origin: TemplateOrigin, localFile: string | undefined, network: NetworkPolicy): Promise<{ text: string; source: (path: string) => TemplateSource }> {
  if (localFile !== undefined) {
    // --template: the file stands for what the URL serves (offline, or a URL that cannot be fetched)
    if (origin.sourceType === "Base64Encoded") throw new UsageError("--template is for a PublicURL template; this definition embeds its template (Base64Encoded)");
    const read = readInputText(resolve(localFile));
    if ("error" in read) throw new UsageError(`--template ${localFile} ${read.error}`);
    return { text: read.text, source: (path) => ({ path, source: "PublicURL", url: origin.url, sha256: templateDigest(read.text) }) };
  }
  if (origin.sourceType === "Base64Encoded") {
    const decoded = decodeText(Buffer.from(origin.content, "base64"));
    if ("error" in decoded) throw new AzpolError("InvalidTemplate", `templateInfo.content ${decoded.error.replace("; re-save it as UTF-8", "")}`);
    return { text: decoded.text, source: (path) => ({ path, source: "Base64Encoded" }) };
  }
  const fetched = await httpsTemplateFetcher(DEFAULT_FETCH_LIMITS, network)(origin.url);
  if ("error" in fetched) throw new AzpolError("TemplateFetchFailed", `cannot download the template: ${fetched.error}`);
  const decoded = decodeText(fetched.bytes);
  if ("error" in decoded) throw new AzpolError("InvalidTemplate", `${redactUrl(origin.url)} ${decoded.error}`);
  return { text: decoded.text, source: (path) => ({ path, source: "PublicURL", url: origin.url, sha256: templateDigest(decoded.text) }) };
}

function parsedFile(file: string, text: string): ParsedFile {
  const parsed = parseSourceText(shownPath(file), text);
  return { file: parsed.file, data: parsed.data, text, locate: parsed.locate, syntaxErrors: parsed.syntaxErrors };
}

function originalProperties(existing: ExistingDefinition): Record<string, unknown> {
  const { name: _name, ...properties } = existing;
  return properties;
}

export function registerImport(program: Command, io: CommandIo): void {
  const { output } = io;
  addNetworkOptions(
    program
      .command("import")
      .description("turn an existing Kubernetes policy definition (policy.json, portal JSON, az output, VS Code extension output, or a definition id) into an azpol source; a policy set (initiative) JSON becomes initiatives/<name>/initiative.yaml over members imported before; an assignment id becomes assignments/<name>.yaml")
      .argument("<definition>", "a JSON file, or an id: /providers/Microsoft.Authorization/policyDefinitions/<name> (built-in), /subscriptions/<id>/providers/..., /providers/Microsoft.Management/managementGroups/<mg>/providers/...; or an assignment id (<scope>/providers/Microsoft.Authorization/policyAssignments/<name>), written to assignments/<name>.yaml")
      .option("-n, --name <name>", "definition name (default: the definition's own name)")
      .option("--dir <dir>", "folder that holds definitions (for an assignment id: assignments)", "definitions")
      .option("--templates <dir>", "folder the template is written to", "constraint-templates")
      .option("--initiatives <dir>", "folder an imported policy set (initiative) is written to; its members must already be imported into --dir", "initiatives")
      .option("--template <file>", "use this local copy of a PublicURL template instead of downloading it (offline); its sha256 is pinned")
      .option("--force", "overwrite an existing definition source or a different template file")
      .option("--json", "print the result as JSON"),
  )
    .addHelpText("after", "\nReading by id uses DefaultAzureCredential (az login) and AZPOL_ARM_ENDPOINT like deploy; --request-timeout bounds each\nrequest (ARM or the template download), --deadline the whole run (exit 3 when it passes).\nExit codes: 0 imported, 1 not importable, 2 usage error, 3 Azure error.")
    .action(io.handler(async (what: string, options: ImportOptions, command: Command) => {
      const network = networkFromFlags(options);
      const fetchNetwork = fetchNetworkFromFlags(options);
      if (ASSIGNMENT_ID.test(what) && !existsSync(what)) {
        await importAssignment(what, { ...options, dir: command.getOptionValueSource("dir") === "default" ? "assignments" : options.dir }, output);
        return ExitCode.Ok;
      }
      let data: unknown;
      let origin = what;
      if (DEFINITION_ID.test(what) && !existsSync(what)) {
        // the Azure SDK loads only when a definition is read from Azure
        const { readDefinitionById } = await import("./import-from-azure.js");
        data = await readDefinitionById(what, output, network);
      } else {
        const read = readInputText(resolve(what));
        if ("error" in read) throw new UsageError(`${what} ${read.error}`);
        const parsed = parseSourceText(shownPath(resolve(what)), read.text);
        if (parsed.syntaxErrors.length) throw new UsageError(`${what}: ${parsed.syntaxErrors.map((d) => `line ${d.line ?? 1}: ${d.message}`).join("; ")}`);
        data = parsed.data;
        origin = shownPath(resolve(what));
      }
      if (isPolicySet(data)) {
        importInitiative(data, origin, options, output);
        return ExitCode.Ok;
      }
      const existing = readExistingDefinition(data);
      if (typeof existing === "string") throw new AzpolError("NotImportable", `${origin}: ${existing}`);
      const fallbackName = options.name ?? existing.name;
      if (fallbackName === undefined) throw new UsageError(`${origin} does not say the definition's name (policy.json and portal JSON do not carry it); pass --name`);
      const mapped = sourceFromDefinition(existing, fallbackName);
      if ("problems" in mapped) throw new AzpolError("NotImportable", `${origin} cannot be expressed as an azpol source: ${mapped.problems.join("; ")}`);
      const name = options.name ?? mapped.source.name;
      const nameProblem = definitionNameProblem(name);
      if (nameProblem) throw new UsageError(`${nameProblem}; pass --name`);
      const { text, source } = await templateText(mapped.template, options.template, fetchNetwork);
      const template = readConstraintTemplate(parseSourceText("template", text).data, text);
      if (Array.isArray(template)) throw new AzpolError("InvalidTemplate", `the definition's template is not usable: ${template.join("; ")}`);
      const definitionFile = namedPath(options.dir, [{ value: name, what: "definition name" }], "definition.yaml");
      const definitionDir = resolve(definitionFile, "..");
      const templateFile = namedPath(options.templates, [{ value: template.name, what: "the template's metadata.name" }], "template.yaml");
      if (existsSync(definitionFile) && !options.force) throw new UsageError(`${shownPath(definitionFile)} already exists; pass --force or --name`);
      const current = existsSync(templateFile) ? readInputText(templateFile) : undefined;
      if (current && ("error" in current || current.text !== text) && !options.force) throw new UsageError(`${shownPath(templateFile)} exists with other content; pass --force to replace it`);
      const sourceText = importedSourceText({ ...mapped.source, name, template: source(relative(definitionDir, templateFile).split("\\").join("/")) }, redactUrl(origin), mapped.notes);
      // never write a source that builds something else than the original
      const roundTrip = checkRoundTrip(parsedFile(definitionFile, sourceText), parsedFile(templateFile, text), originalProperties(existing));
      if (!roundTrip.ok) throw new AzpolError("NotImportable", `${origin}: the imported source would not build the same definition: ${roundTrip.problems.join("; ")}`);
      writeGuarded(options.templates, templateFile, text, { label: "--templates" });
      writeGuarded(options.dir, definitionFile, sourceText, { label: "--dir" });
      if (options.json) output.out(JSON.stringify({ definition: shownPath(definitionFile), template: shownPath(templateFile), notes: mapped.notes }, null, 2));
      else {
        output.out(`wrote ${shownPath(templateFile)}`);
        output.out(`wrote ${shownPath(definitionFile)}`);
        for (const n of mapped.notes) output.err(`note: ${n}`);
        output.err("next: azpol validate && azpol build, then compare out/<name>/policy.json with the original");
      }
      return ExitCode.Ok;
    }));
}
