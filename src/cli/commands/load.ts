// Shared by build and validate: find the sources, read them, build.
import { resolve } from "node:path";
import { buildDefinitions, type BuildResult } from "../../core/build-definitions.js";
import { parseOverrideArgument, type ParameterOverride } from "../../core/parameter-override.js";
import type { Format } from "../../emit/artifacts.js";
import { UsageError } from "../../errors.js";
import { findDefinitionFiles, loadDefinitionInput } from "../../io/load-definitions.js";

export function parseOverrides(args: string[]): ParameterOverride[] {
  return args.map((arg) => {
    const parsed = parseOverrideArgument(arg);
    if (typeof parsed === "string") throw new UsageError(parsed);
    return parsed;
  });
}

export function loadAndBuild(paths: string[], formats: readonly Format[], overrides: ParameterOverride[]): BuildResult & { files: string[] } {
  const roots = paths.length ? paths : ["definitions"];
  const files: string[] = [];
  for (const root of roots) {
    const found = findDefinitionFiles(resolve(root));
    if (found.length === 0) throw new UsageError(`no definition sources (definition.yaml, .yml or .json) found in ${JSON.stringify(root)}; run 'azpol new --preset k8s-gcr-deprecation' to create one`);
    files.push(...found);
  }
  const inputs = [...new Set(files)].map((f) => loadDefinitionInput(f));
  return { ...buildDefinitions(inputs, formats, overrides), files };
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
