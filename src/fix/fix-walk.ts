// Which files `azpol fix` and `azpol mirror` read under the paths they are given, and every file or
// folder they do not read, named with the reason (as `azpol test` names what kubectl skips): a
// run never says "nothing left to fix" about files it passed over in silence.
//
// Read: YAML (.yaml, .yml), JSON (.json; kubectl applies JSON manifests, fix-inputs.ts decides
// which are objects) and kustomize's extension-less `Kustomization` (kustomize api
// konfig.RecognizedKustomizationFileNames), dotfiles included (kubectl applies `.x.yaml`).
// Never read, and named:
//   - azpol's own policy sources (the --definitions folder wherever it is, and the project's
//     definitions/, initiatives/, assignments/, constraint-templates/, out/): fix once turned a
//     blocked-registry entry of a definition into the replacement registry, so the policy then
//     blocked registry.k8s.io. Never edited, even when named as a path;
//   - folders of those names deeper down, dot folders (.git, .terraform) and node_modules: skipped
//     unless named as a path (a user's manifests may live in a folder called assignments);
//   - symbolic links to folders (not followed, as kubectl's walk), and a second name of a file
//     already read (a symlink to it): one file is read, moved and diffed once;
//   - packaged Helm subcharts (<chart>/charts/*.tgz): fix cannot edit inside an archive, so they
//     are "not checked", which keeps the run from claiming success;
//   - any other file (not YAML, JSON, a kustomization or a chart's *.tpl template).
import { existsSync, lstatSync, readdirSync, realpathSync, statSync, type Dirent } from "node:fs";
import { basename, dirname, join, resolve, sep } from "node:path";
import { KUSTOMIZATION_FILES } from "../core/kustomization-files.js";
import { UsageError } from "../errors.js";
import { shownPath } from "../io/shown-path.js";

/** A file or folder the walk did not read, and why. */
export interface NotRead {
  path: string;
  reason: string;
}

export interface FixWalk {
  /** files to read, each with the folder it may be written in (the path it was found under) */
  files: { path: string; root: string }[];
  /** not read by rule (named, the run's verdict stands) */
  skipped: NotRead[];
  /** may hold images fix could not check: the run does not claim success */
  notChecked: NotRead[];
  /** could not be listed or found */
  unreadable: NotRead[];
}

/** The folders of the project (the working folder) that hold azpol's own sources and output. */
const PROJECT_FOLDERS: Record<string, string> = {
  definitions: "azpol's policy definitions",
  initiatives: "azpol's initiatives",
  assignments: "azpol's assignments",
  "constraint-templates": "azpol's constraint templates",
  out: "azpol build's output",
};
const NEVER_EDITED = "fix never edits policy sources or build output: their registries are rules, not images to move";

export const NOT_A_MANIFEST = "not a YAML, JSON or kustomization file";

const byteOrder = (a: Dirent, b: Dirent) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name));

const real = (path: string): string => {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
};
const inside = (path: string, folder: string) => path === folder || path.startsWith(folder.endsWith(sep) ? folder : folder + sep);

export function isManifestName(name: string): boolean {
  return /\.(ya?ml|json)$/i.test(name) || KUSTOMIZATION_FILES.includes(name);
}

/** <chart>/templates/** where <chart>/Chart.yaml exists: a Go template (chart-templates.ts reads it) */
export function isHelmTemplate(file: string): boolean {
  const parts = file.split(sep);
  const at = parts.lastIndexOf("templates");
  return at > 0 && existsSync([...parts.slice(0, at), "Chart.yaml"].join(sep));
}

/** <chart>/charts/<name>.tgz: what `helm dependency update` makes of a dependency. */
function isPackagedSubchart(path: string): boolean {
  const folder = dirname(path);
  return /\.tgz$/i.test(path) && basename(folder) === "charts" && existsSync(join(dirname(folder), "Chart.yaml"));
}

export function walkFixPaths(paths: string[], cwd: string, definitions: string): FixWalk {
  const walk: FixWalk = { files: [], skipped: [], notChecked: [], unreadable: [] };
  // the policy roots, compared by real path so a symbolic link into them is caught too
  const protectedRoots = [
    { path: real(resolve(cwd, definitions)), what: `the definitions folder (--definitions ${definitions})` },
    ...Object.entries(PROJECT_FOLDERS).map(([name, what]) => ({ path: real(join(cwd, name)), what: `${what} (${name}/)` })),
  ];
  const policyRoot = (path: string) => protectedRoots.find((r) => inside(real(path), r.path));
  const candidates: { path: string; root: string }[] = [];
  const consider = (path: string, root: string) => {
    const policy = policyRoot(path);
    if (policy) walk.skipped.push({ path, reason: `in ${policy.what}: ${NEVER_EDITED}` });
    else if (isPackagedSubchart(path)) walk.notChecked.push({ path, reason: "packaged subchart: fix cannot edit inside a .tgz and did not check its images; run helm dependency update after fixing its source, or unpack it" });
    else candidates.push({ path, root });
  };
  const visit = (dir: string, root: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true }).sort(byteOrder);
    } catch (e) {
      walk.unreadable.push({ path: dir, reason: `the folder cannot be listed (${(e as NodeJS.ErrnoException).code ?? String(e)}); its files were not checked` });
      return;
    }
    for (const entry of entries) {
      const full = join(dir, entry.name);
      let isDir = entry.isDirectory();
      if (entry.isSymbolicLink()) {
        try {
          isDir = statSync(full).isDirectory();
        } catch {
          isDir = false; // a dangling link: read as a file, so reading it names the problem
        }
        if (isDir) {
          walk.skipped.push({ path: full, reason: "a symbolic link to a folder: not followed (pass the folder itself as a path)" });
          continue;
        }
      }
      if (isDir) {
        const why = folderSkip(full, entry.name, policyRoot(full)?.what);
        if (why) walk.skipped.push({ path: full, reason: why });
        else visit(full, root);
      } else if (isManifestName(entry.name) || isPackagedSubchart(full)) consider(full, root);
      // a chart's *.tpl files are read by chart-templates.ts with the chart's templates: not skipped
      else if (/\.tpl$/i.test(entry.name) && isHelmTemplate(full)) continue;
      else walk.skipped.push({ path: full, reason: NOT_A_MANIFEST });
    }
  };
  for (const p of paths.length ? paths : ["."]) {
    const path = resolve(cwd, p);
    if (!existsSync(path)) {
      walk.unreadable.push({ path, reason: lstatExists(path) ? "a symbolic link whose target does not exist" : "no such file or folder" });
      continue;
    }
    const stat = statSync(path);
    // a FIFO, device or socket named as a path: the same usage error every walk gives (io/find-files.ts)
    if (!stat.isFile() && !stat.isDirectory()) throw new UsageError(`${shownPath(path)} is not a regular file or a folder (a FIFO, device or socket); azpol reads only regular files`);
    if (!stat.isDirectory()) consider(path, dirname(path));
    else {
      const policy = policyRoot(path);
      if (policy) walk.skipped.push({ path, reason: `${policy.what}: ${NEVER_EDITED}` });
      else visit(path, path);
    }
  }
  walk.files = onePerFile(candidates, walk.skipped);
  return walk;
}

function lstatExists(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Why a folder below a walked path is not read, or undefined to read it. */
function folderSkip(full: string, name: string, policy: string | undefined): string | undefined {
  if (policy) return `${policy}: ${NEVER_EDITED}`;
  if (Object.hasOwn(PROJECT_FOLDERS, name) && name !== "out") return `a folder named ${name} (where azpol keeps policy sources): not read; pass it as a path if it holds manifests`;
  if (name === "node_modules") return "installed packages (node_modules): not read";
  if (name === ".git") return "git's own data (.git): not read";
  if (name.startsWith(".")) return `a dot folder: not read; pass it as a path (azpol fix ${shownPath(full)}) to fix it`;
  return undefined;
}

/**
 * One name per file (by real path): a file reached through a symbolic link and by its own name
 * is read once, under its own name when the walk found it (the name `git apply` can patch); the
 * other names are skipped and say which name was read.
 */
function onePerFile(candidates: { path: string; root: string }[], skipped: NotRead[]): { path: string; root: string }[] {
  const byReal = new Map<string, { path: string; root: string }[]>();
  for (const c of candidates) {
    const key = real(c.path);
    byReal.set(key, [...(byReal.get(key) ?? []), c]);
  }
  const kept: { path: string; root: string }[] = [];
  for (const group of byReal.values()) {
    const own = group.find((c) => !isLink(c.path)) ?? group[0];
    if (!own) continue;
    if (!kept.includes(own)) kept.push(own);
    for (const other of group) if (other !== own && other.path !== own.path) skipped.push({ path: other.path, reason: `the same file as ${shownPath(own.path)} (through a symbolic link): read once, under that name` });
  }
  const order = new Map(candidates.map((c, i) => [c, i]));
  return kept.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
