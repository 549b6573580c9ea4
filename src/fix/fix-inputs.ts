// The files `azpol fix` and `azpol mirror` read (fix-walk.ts chooses them), read once and bounded
// as every input azpol parses is (io/read-bounds.ts): a file nested deeper than the limit is a
// problem that names it, never a stack overflow that stops the run (3,000 levels of block YAML
// once made fix and mirror exit 70). Helm chart templates are Go templates, not YAML: handed to
// chart-templates.ts, never parsed here. A .json file is read when it is a Kubernetes object (kubectl applies JSON manifests);
// other JSON (package.json, tsconfig.json) is named as not a manifest.
import { basename, extname } from "node:path";
import { INITIATIVE_NAMES, SOURCE_NAMES } from "../io/load-definitions.js";
import { depthProblem } from "../io/read-bounds.js";
import { shownPath } from "../io/shown-path.js";
import { readFixText } from "./file-text.js";
import { isHelmTemplate, walkFixPaths, type NotRead } from "./fix-walk.js";
import type { FixInput } from "./plan-fixes.js";

export interface FixInputs {
  inputs: FixInput[];
  /** Helm chart templates found (not read) */
  helmTemplates: string[];
  /** files and folders not read by rule, each with why */
  skipped: NotRead[];
  /** files that may hold images fix could not check (packaged subcharts) */
  notChecked: NotRead[];
  /** what could not be read: a problem of the run */
  unreadable: { file: string; line: number; message: string }[];
  /** the folder each file may be written in: the path it was found under */
  rootOf: Map<string, string>;
  /** the inputs that are JSON manifests (their rewrite must stay JSON) */
  json: Set<string>;
}

/** A JSON text that is one Kubernetes object (or List): apiVersion and kind at the top. */
function isJsonObject(text: string): boolean {
  try {
    const value = JSON.parse(text) as unknown;
    if (!value || typeof value !== "object" || Array.isArray(value)) return false;
    const o = value as Record<string, unknown>;
    return typeof o.apiVersion === "string" && typeof o.kind === "string";
  } catch {
    return false;
  }
}

const TOP_KEY = (key: string) => new RegExp(`^["']?${key}["']?\\s*:`, "m");

/**
 * An azpol source outside the folders fix-walk.ts protects (a second definitions folder, an
 * assignment kept elsewhere): by its file name or its top-level keys, and never a Kubernetes object.
 */
function policySource(path: string, text: string): string | undefined {
  if (TOP_KEY("apiVersion").test(text) && TOP_KEY("kind").test(text)) return undefined;
  const name = basename(path);
  if (SOURCE_NAMES.includes(name)) return `an azpol definition source (${name})`;
  if (INITIATIVE_NAMES.includes(name)) return `an azpol initiative source (${name})`;
  if (TOP_KEY("scopes").test(text) && (TOP_KEY("definition").test(text) || TOP_KEY("initiative").test(text))) return "an azpol assignment (top-level scopes and definition or initiative)";
  return undefined;
}

export function gatherFixInputs(paths: string[], cwd: string, definitions: string): FixInputs {
  const walk = walkFixPaths(paths, cwd, definitions);
  const result: FixInputs = { inputs: [], helmTemplates: [], skipped: walk.skipped, notChecked: walk.notChecked, unreadable: walk.unreadable.map((u) => ({ file: shownPath(u.path), line: 1, message: u.reason })), rootOf: new Map(), json: new Set() };
  for (const { path, root } of walk.files) {
    if (isHelmTemplate(path)) {
      result.helmTemplates.push(path);
      continue;
    }
    const read = readFixText(path);
    if ("error" in read) {
      result.unreadable.push({ file: shownPath(path), line: 1, message: read.error });
      continue;
    }
    // the whole file: a too-deep document would be blanked for reading, and fix writes whole files
    const deep = depthProblem(read.text);
    if (deep) {
      result.unreadable.push({ file: shownPath(path), line: 1, message: `this file ${deep}` });
      continue;
    }
    const source = policySource(path, read.text);
    if (source) {
      result.skipped.push({ path, reason: `${source}: fix never edits policy sources (their registries are rules, not images to move)` });
      continue;
    }
    if (extname(path).toLowerCase() === ".json") {
      if (!isJsonObject(read.text)) {
        result.skipped.push({ path, reason: "a .json file that is not a Kubernetes object (fix reads JSON manifests: one object with apiVersion and kind)" });
        continue;
      }
      result.json.add(path);
    }
    result.rootOf.set(path, root);
    result.inputs.push({ path, shown: shownPath(path), text: read.text, encoding: read.encoding });
  }
  return result;
}
