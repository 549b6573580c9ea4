// validate --online and deploy: add the hosted-template check's findings to a build result; any
// error makes the result not ok, so nothing is written or deployed.
import type { BuildResult } from "./build-definitions.js";
import { sortDiagnostics } from "../model/diagnostics.js";
import { verifyHostedTemplates } from "../integrity/verify-hosted-templates.js";
import { httpsTemplateFetcher, type TemplateFetcher } from "../integrity/fetch-hosted-template.js";

export async function withHostedCheck<T extends BuildResult>(result: T, offline: boolean, fetcher: TemplateFetcher = httpsTemplateFetcher()): Promise<T> {
  if (!result.ok) return result;
  const found = await verifyHostedTemplates([...result.models, ...result.mutations], { offline, fetcher });
  if (found.length === 0) return result;
  const ok = !found.some((d) => d.severity === "error");
  return { ...result, ok, ...(ok ? {} : { models: [], mutations: [], artifacts: [] }), diagnostics: sortDiagnostics([...result.diagnostics, ...found]) };
}
