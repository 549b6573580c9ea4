// azpol publish: each definition's template uploaded under its content address, then fetched
// without credentials to prove the add-on can read exactly those bytes; --write points the
// sources at the published URLs.
import { asRecord, readConstraintTemplate, type ConstraintTemplate } from "../core/constraint-template.js";
import { AzpolError } from "../errors.js";
import { redactUrl } from "../integrity/fetch-hosted-template.js";
import { loadDefinitionInput } from "../io/load-definitions.js";
import { shownPath } from "../io/shown-path.js";
import { runBuild } from "../pipeline/run-build.js";
import { publishTemplate, type PublishedTemplate } from "../publish/publish-constraint-templates.js";
import { pointSourceAt } from "../publish/rewrite-source.js";
import type { ActionContext } from "./context.js";

export interface PublishInput {
  paths: string[];
  accountUrl: string | undefined;
  container: string;
  createContainer: boolean;
  /** point each definition source at its published template */
  write: boolean;
}

export type PublishRow = PublishedTemplate & { definition: string; source: string; rewritten?: "changed" | "unchanged" };

export async function publish(input: PublishInput, ctx: ActionContext): Promise<{ rows: PublishRow[] }> {
  const built = await runBuild({ paths: input.paths, formats: [], overrides: [], hosted: "skip", engine: ctx.engine, files: ctx.files });
  // a stale recorded sha256 (AZP3010) is what publishing fixes, so it does not block
  const blocking = built.diagnostics.filter((d) => d.severity === "error" && d.code !== "AZP3010");
  if (blocking.length) throw new AzpolError("InvalidDefinitions", "the definitions have errors; nothing was published (run azpol validate)", undefined, { diagnostics: blocking });
  // @azure/storage-blob costs ~0.3 s to load: only publish loads it, when it runs
  const { openAzureBlobStore } = await import("../publish/azure-blob-store.js");
  const store = await openAzureBlobStore({ accountUrl: input.accountUrl, container: input.container, createContainer: input.createContainer, network: ctx.net.policy });
  const fetcher = ctx.net.templateFetcher();
  const published = new Map<string, PublishedTemplate>();
  const rows: PublishRow[] = [];
  for (const { file, name, template } of definitionTemplates(built.files, ctx.files)) {
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
    const rewritten = input.write ? pointSourceAt(file, result.url, result.sha256) : undefined;
    rows.push({ ...result, definition: name, source: shownPath(file), ...(rewritten ? { rewritten } : {}) });
  }
  return { rows };
}

/** Each definition source with its template (the build already found both valid). */
function definitionTemplates(files: string[], boundary: ActionContext["files"]): { file: string; name: string; template: ConstraintTemplate }[] {
  return files.flatMap((file) => {
    const input = loadDefinitionInput(file, boundary);
    const name = asRecord(input.source.data)?.name;
    const template = "data" in input.template ? readConstraintTemplate(input.template.data, input.template.text) : undefined;
    return typeof name === "string" && template && !Array.isArray(template) ? [{ file, name, template }] : [];
  });
}
