// azpol validate: the build pipeline without artifacts; the result is its diagnostics, with the
// reach warnings (AZP3016) that azpol test prints for the same definitions.
import type { ParameterOverride } from "../core/parameter-override.js";
import { sortDiagnostics } from "../model/diagnostics.js";
import { runBuild } from "../pipeline/run-build.js";
import { withAssignmentSources } from "../pipeline/assignment-sources.js";
import { reachDiagnostics, type NotProbed } from "../pipeline/reach-diagnostics.js";
import type { SourcesBuild } from "../pipeline/read-sources.js";
import type { ActionContext } from "./context.js";

export interface ValidateInput {
  paths: string[];
  overrides: ParameterOverride[];
  /** also fetch each PublicURL template and compare it with the local one */
  online: boolean;
}

export interface ValidateResult extends SourcesBuild {
  /** definitions whose reach (AZP3016) was not probed, and why: the CLI says so, never "0 warnings" alone */
  notProbed: NotProbed[];
}

export async function validate(input: ValidateInput, ctx: ActionContext): Promise<ValidateResult> {
  const built = await runBuild({ paths: input.paths, formats: [], overrides: input.overrides, hosted: input.online ? "online" : "skip", engine: ctx.engine, fetcher: ctx.net.templateFetcher(), files: ctx.files });
  const reached = built.ok ? await withReach(built, ctx) : { ...built, notProbed: [] };
  // with no paths, the project: assignments/ is checked against what built
  return input.paths.length === 0 ? withAssignmentSources(reached, ctx.files.cwd) : reached;
}

async function withReach(built: SourcesBuild, ctx: ActionContext): Promise<ValidateResult> {
  const reach = await reachDiagnostics(built.models, ctx.engine);
  if (reach.diagnostics.length === 0) return { ...built, notProbed: reach.notProbed };
  return { ...built, diagnostics: sortDiagnostics([...built.diagnostics, ...reach.diagnostics]), notProbed: reach.notProbed };
}
