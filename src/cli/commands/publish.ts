import type { Command } from "commander";
import { AzpolError, ExitCode } from "../../errors.js";
import { httpsTemplateFetcher, redactUrl } from "../../integrity/fetch-template.js";
import { loadDefinitionInput, shownPath } from "../../io/load-definitions.js";
import { asRecord, readConstraintTemplate, type ConstraintTemplate } from "../../core/constraint-template.js";
import { setProjectBoundary } from "../../io/project-boundary.js";
import { publishTemplate, type PublishedTemplate } from "../../publish/publish-templates.js";
import { pointSourceAt } from "../../publish/rewrite-source.js";
import type { Output } from "../output.js";
import { addNetworkOptions, networkFromFlags, type NetworkFlags } from "../network-options.js";
import { formatDiagnostic } from "../render/diagnostics.js";
import { runBuild } from "../../pipeline/run-build.js";

interface PublishOptions extends NetworkFlags {
  accountUrl?: string;
  container: string;
  createContainer?: boolean;
  write?: boolean;
  allowOutsideProject?: boolean;
  json?: boolean;
}

export function registerPublish(program: Command, output: Output, setExit: (code: number) => void): void {
  const command = program
    .command("publish")
    .description("upload the definitions' templates to an Azure Storage container under content-addressed names, for source: PublicURL")
    .argument("[paths...]", "definition files or folders (default: definitions)")
    .option("--account-url <url>", "https://<account>.blob.core.windows.net")
    .option("--container <name>", "blob container (anonymous read for blobs, so the add-on can fetch)", "gatekeeper-templates")
    .option("--create-container", "create the container with public access 'blob' if it does not exist")
    .option("--write", "point each definition source at its published template (source: PublicURL, url, sha256)")
    .option("--allow-outside-project", "let definitions point at templates outside the working folder")
    .option("--json", "print the result as JSON");
  addNetworkOptions(command)
    .addHelpText(
      "after",
      "\nEach template goes to <template name>/<sha256>.yaml and is never overwritten; the URL is then fetched\nwithout credentials and must serve exactly those bytes. Credentials: DefaultAzureCredential (az login,\nmanaged identity, ...), or a SAS in AZPOL_STORAGE_SAS, or a connection string in\nAZPOL_STORAGE_CONNECTION_STRING; neither is ever printed.\nExit codes: 0 published, 1 invalid definitions or a URL the add-on cannot read, 2 usage error, 3 Azure error.",
    )
    .action(async (paths: string[], options: PublishOptions) => {
      const network = networkFromFlags(options);
      setProjectBoundary(options.allowOutsideProject === true ? undefined : process.cwd());
      const built = await runBuild({ paths, formats: [], overrides: [], hosted: "skip" });
      // a stale recorded sha256 (AZP3010) is what publishing fixes, so it does not block
      const blocking = built.diagnostics.filter((d) => d.severity === "error" && d.code !== "AZP3010");
      if (blocking.length) {
        for (const d of blocking) output.err(formatDiagnostic(d));
        throw new AzpolError("InvalidDefinitions", "the definitions have errors; nothing was published (run azpol validate)");
      }
      // @azure/storage-blob costs ~0.3 s to load: only publish loads it, when it runs
      const { openAzureBlobStore } = await import("../../publish/azure-blob-store.js");
      const store = await openAzureBlobStore({ accountUrl: options.accountUrl, container: options.container, createContainer: options.createContainer === true, network });
      const fetcher = httpsTemplateFetcher(undefined, network);
      const published = new Map<string, PublishedTemplate>();
      const rows: (PublishedTemplate & { definition: string; source: string })[] = [];
      for (const { file, name, template } of definitionTemplates(built.files)) {
        let result = published.get(template.text);
        if (!result) {
          try {
            result = await publishTemplate(store, template, fetcher);
          } catch (e) {
            if (e instanceof AzpolError) throw e;
            // a content-addressed blob with other bytes: a finding about the container, not an outage
            throw new AzpolError("TemplateTampered", redactUrl(e instanceof Error ? e.message : String(e)));
          }
          published.set(template.text, result);
        }
        const rewritten = options.write ? pointSourceAt(file, result.url, result.sha256) : undefined;
        rows.push({ ...result, definition: name, source: shownPath(file), ...(rewritten ? { rewritten } : {}) });
      }
      const unreadable = rows.filter((r) => r.anonymousReadProblem);
      if (options.json) output.out(JSON.stringify({ ok: unreadable.length === 0, published: rows }, null, 2));
      else {
        for (const r of rows) {
          output.out(`${r.definition}: ${r.status === "created" ? "uploaded" : "already there"} ${r.url}`);
          if (!options.write) output.out(`  template:\n    source: PublicURL\n    url: ${r.url}\n    sha256: ${r.sha256}`);
          if (r.anonymousReadProblem) output.err(`error: ${r.definition}: ${r.anonymousReadProblem}`);
        }
        if (options.write) output.err(`pointed ${rows.length} definition source${rows.length === 1 ? "" : "s"} at the published templates; run azpol validate --online`);
      }
      setExit(unreadable.length ? ExitCode.Findings : ExitCode.Ok);
    });
}

/** Each definition source with its template (the build already found both valid). */
function definitionTemplates(files: string[]): { file: string; name: string; template: ConstraintTemplate }[] {
  return files.flatMap((file) => {
    const input = loadDefinitionInput(file);
    const name = asRecord(input.source.data)?.name;
    const template = "data" in input.template ? readConstraintTemplate(input.template.data, input.template.text) : undefined;
    return typeof name === "string" && template && !Array.isArray(template) ? [{ file, name, template }] : [];
  });
}
