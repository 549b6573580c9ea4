// The online integrity check (validate --online, deploy): every PublicURL definition's URL must
// serve exactly the template tested here, and the sha256 recorded in the source. A mismatch is an
// error that stops a deploy before anything is written; --offline skips it with a warning.
import type { Diagnostic } from "../model/diagnostics.js";
import type { PolicyModel } from "../core/policy-model.js";
import { compareHostedTemplate } from "./compare-template.js";
import { redactUrl, type TemplateFetcher } from "./fetch-template.js";

export interface HostedCheckOptions {
  offline: boolean;
  fetcher: TemplateFetcher;
}

export async function checkHostedTemplates(models: PolicyModel[], options: HostedCheckOptions): Promise<Diagnostic[]> {
  const hosted = models.filter((m) => m.templateInfo.sourceType === "PublicURL");
  const diagnostics: Diagnostic[] = [];
  const byUrl = new Map<string, Promise<Awaited<ReturnType<TemplateFetcher>>>>();
  for (const model of hosted) {
    const url = model.templateInfo.sourceType === "PublicURL" ? model.templateInfo.url : "";
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
    const comparison = compareHostedTemplate(model.template.text, result.bytes);
    if (!comparison.same) diagnostics.push({ code: "AZP3012", severity: "error", message: `${redactUrl(url)} does not serve the template tested here: ${comparison.summary}; publish the local template (azpol publish) or point url at the right file`, ...at });
  }
  return diagnostics;
}
