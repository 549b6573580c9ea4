// The online integrity check (validate --online, deploy): every PublicURL definition's URL must
// serve exactly the template tested here, and the sha256 recorded in the source. A mismatch is an
// error that stops a deploy before anything is written; --offline skips it with a warning.
import type { Diagnostic } from "../model/diagnostics.js";
import { isMutation, type DefinitionModel } from "../core/mutation-model.js";
import { compareHostedTemplate } from "./compare-hosted-template.js";
import { redactUrl, type TemplateFetcher } from "./fetch-hosted-template.js";

export interface HostedCheckOptions {
  offline: boolean;
  fetcher: TemplateFetcher;
}

/** What a definition's URL must serve: its ConstraintTemplate, or a Mutate definition's mutator. */
function hostedFile(model: DefinitionModel): { url: string | undefined; text: string } {
  const info = isMutation(model) ? model.mutationInfo : model.templateInfo;
  return { url: info.sourceType === "PublicURL" ? info.url : undefined, text: isMutation(model) ? model.mutator.text : model.template.text };
}

export async function verifyHostedTemplates(models: DefinitionModel[], options: HostedCheckOptions): Promise<Diagnostic[]> {
  const diagnostics: Diagnostic[] = [];
  const byUrl = new Map<string, Promise<Awaited<ReturnType<TemplateFetcher>>>>();
  for (const model of models) {
    const { url, text } = hostedFile(model);
    if (url === undefined) continue;
    const at = { file: model.sourceFile, pointer: "/template/url" };
    if (options.offline) {
      diagnostics.push({ code: "AZP3013", severity: "warning", message: `not checked that ${redactUrl(url)} serves the template tested here (--offline)`, ...at });
      continue;
    }
    let fetched = byUrl.get(url);
    if (!fetched) {
      fetched = options.fetcher(url);
      byUrl.set(url, fetched);
    }
    const result = await fetched;
    if ("error" in result) {
      diagnostics.push({ code: "AZP3012", severity: "error", message: `cannot check the hosted template: ${result.error}; fix the URL or pass --offline to skip the check`, ...at });
      continue;
    }
    const comparison = compareHostedTemplate(text, result.bytes);
    if (!comparison.same) diagnostics.push({ code: "AZP3012", severity: "error", message: `${redactUrl(url)} does not serve the template tested here: ${comparison.summary}; publish the local template (azpol publish) or point url at the right file`, ...at });
  }
  return diagnostics;
}
