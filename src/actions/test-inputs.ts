// What `azpol test` was given: suites (found by kind, as gator finds them), manifest files or
// folders, or "-" for standard input.
import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { parseAllDocuments } from "yaml";
import { UsageError } from "../errors.js";
import { findFiles } from "../io/find-files.js";
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
 * Suites are suite files; everything else given (or found where no suite is) is a manifest.
 * A folder of manifests is read as `kubectl apply -f` reads it (manifest-files.ts): `recursive`
 * is kubectl's -R; what it would skip is returned, to be named.
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
    // gator reads every .yaml/.yml file and runs those that are a Suite (test.gatekeeper.sh,
    // kind Suite), whatever their name; a folder with no suite is a folder of manifests.
    const found = findFiles(full, (n) => /\.ya?ml$/.test(n)).filter((f) => isSuite(firstDocument(f)));
    if (found.length) {
      suites.push(...found);
      continue;
    }
    const folder = kubectlFolderFiles(full, recursive);
    manifests.push(...folder.files);
    skipped.push(...folder.skipped);
  }
  return { suites, manifests, skipped };
}

/** What `azpol test` runs with no paths: the gator suites under constraint-templates/, if any. */
export function defaultSuites(root = "constraint-templates"): string[] {
  const full = resolve(root);
  if (!existsSync(full) || !statSync(full).isDirectory()) return [];
  return findFiles(full, (n) => /\.ya?ml$/.test(n)).filter((f) => isSuite(firstDocument(f)));
}
