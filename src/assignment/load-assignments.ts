// The assignment sources of a project: every .yaml, .yml and .json file under assignments/
// (a folder per scope tree, as EPAC lays them out, or flat), and where azpol.yaml says the
// definitions are made (definitionLocation).
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { ParsedFile } from "../core/compile-definition.js";
import { definitionLocation, parseScope, type DefinitionLocation } from "../deploy/scope.js";
import { UsageError } from "../errors.js";
import { findFiles } from "../io/find-files.js";
import { readParsedFile } from "../io/load-definitions.js";
import { projectSetting } from "../io/project-file.js";

export const ASSIGNMENTS_FOLDER = "assignments";

export function findAssignmentFiles(root: string): string[] {
  return findFiles(join(root, ASSIGNMENTS_FOLDER), (name) => /\.(ya?ml|json)$/i.test(name));
}

export function hasAssignments(root: string): boolean {
  return existsSync(join(root, ASSIGNMENTS_FOLDER)) && findAssignmentFiles(root).length > 0;
}

export function readAssignmentFiles(root: string): ParsedFile[] {
  return findAssignmentFiles(root).map((f) => readParsedFile(f));
}

/** azpol.yaml's definitionLocation: mg:<name>, a management group id, or /subscriptions/<id>. */
export function projectDefinitionLocation(root: string): DefinitionLocation | undefined {
  const value = projectSetting(root, "definitionLocation");
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw new UsageError(`azpol.yaml: definitionLocation must be mg:<name> or /subscriptions/<id>, got ${JSON.stringify(value)}`);
  let scope;
  try {
    scope = parseScope(value, undefined);
  } catch (e) {
    throw new UsageError(`azpol.yaml: definitionLocation ${e instanceof Error ? e.message.replace(/^--scope:? ?/, "") : String(e)}`);
  }
  if (scope.kind === "resourceGroup") throw new UsageError(`azpol.yaml: definitionLocation is a resource group; definitions are made at a subscription or a management group`);
  return definitionLocation(scope);
}
