// The sources stage of the build pipeline: find definition.yaml and initiative.yaml files under
// the paths given, read them, and build them (build-project.ts).
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { buildProject, type ProjectBuild } from "./build-project.js";
import type { ParameterOverride } from "../core/parameter-override.js";
import type { Format } from "../emit/artifacts.js";
import { noSourcesError } from "./no-sources.js";
import { findDefinitionFiles, findInitiativeFiles, isInitiativeFile, loadDefinitionInput, readParsedFile } from "../io/load-definitions.js";
import type { FileBoundary } from "../io/project-boundary.js";

export type SourcesBuild = ProjectBuild & {
  /** every source file read (definitions and initiatives) */
  files: string[];
  /** the ConstraintTemplate files the definitions use */
  templateFiles: string[];
};

/**
 * Finds and builds the sources under `paths` (default: definitions/, and initiatives/ when it
 * exists): definition.yaml and initiative.yaml files, by name, in folders or given directly.
 * `files`: the run's project boundary (ActionContext.files), which every template read stays in.
 */
export function buildSources(paths: string[], formats: readonly Format[], overrides: ParameterOverride[], files: FileBoundary): SourcesBuild {
  const roots = paths.length ? paths : ["definitions", ...(existsSync("initiatives") ? ["initiatives"] : [])];
  const sourceFiles: string[] = [];
  const initiativeFiles: string[] = [];
  for (const root of roots) {
    const full = resolve(root);
    const isFile = existsSync(full) && isInitiativeFile(full);
    const found = isFile ? [] : findDefinitionFiles(full);
    const initiatives = isFile ? [full] : findInitiativeFiles(full);
    if (found.length === 0 && initiatives.length === 0) throw noSourcesError(root, files.cwd);
    sourceFiles.push(...found);
    initiativeFiles.push(...initiatives);
  }
  const inputs = [...new Set(sourceFiles)].map((f) => loadDefinitionInput(f, files));
  const initiatives = [...new Set(initiativeFiles)].map((f) => readParsedFile(f));
  return { ...buildProject(inputs, initiatives, formats, overrides), files: [...new Set([...sourceFiles, ...initiativeFiles])], templateFiles: [...new Set(inputs.map((i) => i.template.file))] };
}
