// azpol validate: the build pipeline without artifacts; the result is its diagnostics.
import type { ParameterOverride } from "../core/parameter-override.js";
import { runBuild } from "../pipeline/run-build.js";
import { withAssignmentSources } from "../pipeline/assignment-sources.js";
import type { SourcesBuild } from "../pipeline/read-sources.js";
import type { ActionContext } from "./context.js";

export interface ValidateInput {
  paths: string[];
  overrides: ParameterOverride[];
  /** also fetch each PublicURL template and compare it with the local one */
  online: boolean;
}

export async function validate(input: ValidateInput, ctx: ActionContext): Promise<SourcesBuild> {
  const built = await runBuild({ paths: input.paths, formats: [], overrides: input.overrides, hosted: input.online ? "online" : "skip", engine: ctx.engine, fetcher: ctx.net.templateFetcher() });
  // with no paths, the project: assignments/ is checked against what built
  return input.paths.length === 0 ? withAssignmentSources(built, ctx.files.cwd) : built;
}
