// Finds definition sources (definition.yaml|yml|json, one folder each) and reads each with
// the template it points at.
import { existsSync, statSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import type { DefinitionInput, ParsedFile } from "../core/compile-definition.js";
import { asRecord, readConstraintTemplate, type ConstraintTemplate } from "../core/constraint-template.js";
import { findFiles } from "./find-files.js";
import { outsideProject, type FileBoundary } from "./project-boundary.js";
import { readInputText } from "./read-input.js";
import { shownPath } from "./shown-path.js";
import { parseSourceText } from "./source-file.js";

export const SOURCE_NAMES = ["definition.yaml", "definition.yml", "definition.json"];
export const INITIATIVE_NAMES = ["initiative.yaml", "initiative.yml", "initiative.json"];

/** Definition files under `path` (a folder, searched recursively, or one file), sorted. */
export function findDefinitionFiles(path: string): string[] {
  return findFiles(path, (name) => SOURCE_NAMES.includes(name), ["golden"]).filter((f) => !isInitiativeFile(f));
}

/** Initiative sources (initiative.yaml|yml|json) under a folder, sorted. */
export function findInitiativeFiles(path: string): string[] {
  return findFiles(path, (name) => INITIATIVE_NAMES.includes(name), ["golden"]).filter(isInitiativeFile);
}

export function isInitiativeFile(path: string): boolean {
  return INITIATIVE_NAMES.includes(basename(path));
}

export function readParsedFile(path: string, cwd?: string): ParsedFile {
  const read = readInputText(path);
  if ("error" in read) {
    const file = shownPath(path, cwd);
    return { file, data: undefined, text: "", locate: () => ({ line: 1, col: 1 }), syntaxErrors: [{ code: "AZP1001", severity: "error", message: `${file} ${read.error}`, file, pointer: "", line: 1, col: 1 }] };
  }
  const text = read.text;
  const parsed = parseSourceText(shownPath(path, cwd), text, { json: /\.json$/i.test(path) });
  return { file: parsed.file, data: parsed.data, text, locate: parsed.locate, syntaxErrors: parsed.syntaxErrors };
}

/** Reads a ConstraintTemplate file: the template, or why it is not a usable one. */
export function readTemplateFile(path: string): ConstraintTemplate | string[] {
  const file = readParsedFile(path);
  if (file.syntaxErrors.length) return file.syntaxErrors.map((d) => d.message);
  return readConstraintTemplate(file.data, file.text);
}

// Many definitions share one template (200 bench definitions, one disallowed-registries template):
// it is read and parsed once per process, and again only when the file changes (size, mtime).
// A process-wide cache is safe here: the key is the file's identity and state (size, mtime, inode)
// and the folder paths are shown from, the value an immutable parse, and the project-boundary check
// (the caller's boundary, io/project-boundary.ts) runs before any read, so a cached parse never
// crosses a boundary.
const parsedTemplates = new Map<string, { key: string; parsed: ParsedFile }>();

function readTemplateOnce(path: string, cwd: string | undefined): ParsedFile {
  let key: string;
  try {
    const s = statSync(path);
    key = `${s.size}:${s.mtimeMs}:${s.ino}:${cwd ?? process.cwd()}`;
  } catch {
    return readParsedFile(path, cwd);
  }
  const hit = parsedTemplates.get(path);
  if (hit?.key === key) return hit.parsed;
  const parsed = readParsedFile(path, cwd);
  parsedTemplates.set(path, { key, parsed });
  return parsed;
}

/**
 * Reads a definition source and the template it points at. `files`: the run's boundary (the
 * template must be inside files.projectRoot, when there is one) and the folder paths are shown from.
 */
export function loadDefinitionInput(path: string, files: FileBoundary): DefinitionInput {
  const { cwd, projectRoot } = files;
  const source = readParsedFile(path, cwd);
  const templatePath = asRecord(asRecord(source.data)?.template)?.path;
  if (typeof templatePath !== "string") {
    // The schema check reports the missing path; give the template slot a harmless error.
    return { source, template: { file: source.file, readError: "path is missing" } };
  }
  const full = resolve(dirname(path), templatePath);
  if (templatePath.trim() === "") return { source, template: { file: source.file, readError: "is empty; name the ConstraintTemplate file" } };
  const outside = outsideProject(full, projectRoot);
  if (outside) return { source, template: { file: shownPath(full, cwd), readError: `${JSON.stringify(templatePath)} ${outside}` } };
  if (!existsSync(full)) {
    return { source, template: { file: shownPath(full, cwd), readError: `file ${JSON.stringify(templatePath)} does not exist (resolved to ${shownPath(full, cwd)}); fix template.path` } };
  }
  const template = readTemplateOnce(full, cwd);
  const unreadable = template.syntaxErrors.find((d) => d.message.startsWith(`${template.file} `) && template.text === "");
  if (unreadable) return { source, template: { file: template.file, readError: `${JSON.stringify(templatePath)} ${unreadable.message.slice(template.file.length + 1)}` } };
  return { source, template };
}
