// The build pipeline, in one place: sources → model → diagnostics → artifacts. Every command
// that needs built definitions comes here (build, validate, publish, deploy; test, fix and impact
// through definition-policies.ts), so each gets the same diagnostics and nothing half-checked.
import type { ParameterOverride } from "../core/parameter-override.js";
import type { Format } from "../emit/artifacts.js";
import type { CompileCache } from "./compile-cache.js";
import type { TemplateFetcher } from "../integrity/fetch-hosted-template.js";
import type { RegoEngine } from "../rego/engine-port.js";
import type { FileBoundary } from "../io/project-boundary.js";
import { withHostedCheck } from "./hosted-templates.js";
import { buildSources, type SourcesBuild } from "./read-sources.js";
import { checkTemplatesCompile } from "./compile-constraint-templates.js";

export interface BuildRequest {
  /** definition or initiative files or folders; [] = definitions/ (and initiatives/ when present) */
  paths: string[];
  /** the artifact formats to render; [] renders none (validate, deploy) */
  formats: readonly Format[];
  overrides: ParameterOverride[];
  /**
   * PublicURL templates: "skip" them, compare the recorded sha256 with the local file ("offline"),
   * or also fetch what the URL serves ("online")
   */
  hosted: "skip" | "offline" | "online";
  /** the run's project boundary (ActionContext.files): templates are read only inside it */
  files: FileBoundary;
  /** the engine that compiles templates (AZP3007); loaded only when a template is not in the cache */
  engine?: () => Promise<RegoEngine>;
  compileCache?: CompileCache;
  /** how hosted templates are fetched ("online") */
  fetcher?: TemplateFetcher;
}

export async function runBuild(request: BuildRequest): Promise<SourcesBuild> {
  const built = buildSources(request.paths, request.formats, request.overrides, request.files);
  const compiled = await checkTemplatesCompile(built, request.compileCache, request.engine);
  return request.hosted === "skip" ? compiled : withHostedCheck(compiled, request.hosted === "offline", request.fetcher);
}
