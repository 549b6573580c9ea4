// azpol build: the build pipeline, then its artifacts written into the output folder. All or
// nothing: when any source has an error, nothing is written.
import type { ParameterOverride } from "../core/parameter-override.js";
import type { Format } from "../emit/artifacts.js";
import { assertSafeOutDir } from "../io/output-guard.js";
import { writeArtifacts } from "../io/write-artifacts.js";
import type { SourcesBuild } from "../pipeline/read-sources.js";
import { runBuild } from "../pipeline/run-build.js";
import type { ActionContext } from "./context.js";

export interface BuildInput {
  paths: string[];
  formats: readonly Format[];
  overrides: ParameterOverride[];
  /** the output folder; each definition gets <out>/<name>/ */
  out: string;
  /** replace generated files that were edited by hand */
  force: boolean;
}

export interface BuildOutcome {
  build: SourcesBuild;
  written: string[];
  removed: string[];
  /** files of a removed definition that were edited since azpol wrote them, so kept */
  keptEdited: string[];
  /** written files whose old file had other names (hard links), which keep the old content */
  hardLinksBroken: string[];
}

export async function build(input: BuildInput, ctx: ActionContext): Promise<BuildOutcome> {
  const result = await runBuild({ paths: input.paths, formats: input.formats, overrides: input.overrides, hosted: "skip", engine: ctx.engine, files: ctx.files });
  const out = assertSafeOutDir(input.out, { root: ctx.files.cwd, files: [...result.files, ...result.templateFiles] });
  if (!result.ok) return { build: result, written: [], removed: [], keptEdited: [], hardLinksBroken: [] };
  return { build: result, ...writeArtifacts(out, result.artifacts, { force: input.force }) };
}
