// What `azpol test` was given: suites (found by kind, as gator finds them), manifest files or
// folders, or "-" for standard input.
import { existsSync, statSync } from "node:fs";
import { dirname, resolve, sep } from "node:path";
import { parseAllDocuments } from "yaml";
import { UsageError } from "../errors.js";
import { findFiles, type UnreadableFolder } from "../io/find-files.js";
import { kubectlFolderFiles, type SkippedPath } from "../io/manifest-files.js";
import { maxManifestBytes, readInputText, STDIN } from "../io/read-input.js";
import { isSuite } from "../rego/suite.js";

// A file is a suite if its first document is one. Only files that mention `kind: Suite` are
// parsed for that, so a large manifest is not parsed twice.
const MENTIONS_SUITE = /^\s*kind:\s*["']?Suite["']?\s*(#.*)?$/m;

function firstDocument(file: string): unknown {
  try {
    const read = readInputText(file, maxManifestBytes());
    if ("error" in read) return undefined; // read again as a manifest, which reports why
    const text = read.text;
    if (!MENTIONS_SUITE.test(text)) return undefined;
    return parseAllDocuments(text)[0]?.toJS();
  } catch {
    return undefined;
  }
}

/**
 * Suites are suite files; every other file given is a manifest. A folder gives both (folderInputs).
 * What is not read is returned, each with its reason, to be named.
 */
export function classify(paths: string[], recursive = false): { suites: string[]; manifests: string[]; skipped: SkippedPath[] } {
  const suites: string[] = [];
  const manifests: string[] = [];
  const skipped: SkippedPath[] = [];
  for (const p of paths) {
    if (p === STDIN) {
      manifests.push(STDIN); // manifests on standard input: helm template . | azpol test -
      continue;
    }
    const full = resolve(p);
    if (!existsSync(full)) throw new UsageError(`${JSON.stringify(p)} does not exist`);
    const stat = statSync(full);
    if (!stat.isFile() && !stat.isDirectory()) throw new UsageError(`${JSON.stringify(p)} is not a regular file or a folder (a FIFO, device or socket); azpol reads only regular files`);
    if (stat.isFile()) {
      (isSuite(firstDocument(full)) ? suites : manifests).push(full);
      continue;
    }
    const folder = folderInputs(full, recursive);
    suites.push(...folder.suites);
    manifests.push(...folder.manifests);
    skipped.push(...folder.skipped);
  }
  return { suites, manifests, skipped };
}

/**
 * A folder's suites and manifests. The suites are every Suite file under it, at any depth, as
 * gator finds them; a folder that holds a suite itself is a suite's folder, read as `gator verify`
 * reads it: its other files are the suites' templates, constraints and objects, never manifests.
 * Any other folder's manifests are read as `kubectl apply -f` reads it (manifest-files.ts;
 * `recursive` is kubectl's -R), minus what lies in a suite's folder, so a suite below a folder
 * never hides the folder's own manifests. A subfolder left unread is named when it holds files
 * kubectl could read outside the suites' folders (one that only held suites ran them), and a
 * folder the search could not list is named, once, with what that left out.
 */
function folderInputs(full: string, recursive: boolean): { suites: string[]; manifests: string[]; skipped: SkippedPath[] } {
  const unreadable: UnreadableFolder[] = [];
  // one walk: the suites are among its YAML files, and what a skipped subfolder holds is read from it
  const files = findFiles(full, (n) => /\.(ya?ml|json)$/.test(n), [], unreadable);
  const suites = files.filter((f) => /\.ya?ml$/.test(f) && isSuite(firstDocument(f)));
  const suiteFolders = [...new Set(suites.map((f) => dirname(f)))];
  const unlisted = new Map(unreadable.map((u) => [u.path, `cannot be listed (${u.code}), so suites in it, if any, did not run`]));
  const named = (): SkippedPath[] => [...unlisted].map(([path, reason]) => ({ path, reason }));
  if (suiteFolders.includes(full)) return { suites, manifests: [], skipped: named() };
  const inSuiteFolder = (path: string) => suiteFolders.some((d) => path === d || path.startsWith(d + sep));
  const folder = kubectlFolderFiles(full, recursive);
  const skipped: SkippedPath[] = [];
  for (const s of folder.skipped) {
    if (inSuiteFolder(s.path)) continue;
    const ran = suites.some((f) => f.startsWith(s.path + sep));
    const unreadableHere = unlisted.get(s.path);
    unlisted.delete(s.path);
    // a subfolder that held only suites (and their files) ran them: nothing in it is left unread
    if (ran && !unreadableHere && !files.some((f) => f.startsWith(s.path + sep) && !inSuiteFolder(f))) continue;
    const notes = [s.reason, ...(ran ? ["the suites in it ran"] : []), ...(unreadableHere && !s.reason.startsWith("cannot be listed") ? [unreadableHere] : [])];
    skipped.push({ ...s, reason: notes.join("; ") });
  }
  return { suites, manifests: folder.files.filter((f) => !inSuiteFolder(f)), skipped: [...skipped, ...named()] };
}

function findSuites(folder: string, unreadable?: UnreadableFolder[]): string[] {
  return findFiles(folder, (n) => /\.ya?ml$/.test(n), [], unreadable).filter((f) => isSuite(firstDocument(f)));
}

/** What `azpol test` runs with no paths: the gator suites under constraint-templates/, if any. */
export function defaultSuites(root = "constraint-templates"): string[] {
  const full = resolve(root);
  if (!existsSync(full) || !statSync(full).isDirectory()) return [];
  return findSuites(full);
}
