// The files `kubectl apply -f <folder>` reads, and the ones it skips, by kubectl's own rule
// (k8s.io/cli-runtime pkg/resource/visitor.go, ExpandPathsToFileVisitors, unchanged from
// v0.32 to v0.35): filepath.Walk over the folder in byte order of names; every file whose
// extension is exactly ".json", ".yaml" or ".yml" is read, dotfiles included (".bad.yaml" is
// applied); a subfolder is read only with -R (--recursive), and then every subfolder is,
// dot folders included; entries are not followed through symbolic links (Walk uses Lstat:
// a link is read as a file when its name has a manifest extension). A file named on the
// command line is read whatever its extension. Whatever is skipped is named, so "0 objects"
// never hides a file kubectl would have applied.
import { lstatSync, readdirSync } from "node:fs";
import { join } from "node:path";

/** cli-runtime's FileExtensions. */
export const KUBECTL_MANIFEST_EXTENSIONS = [".json", ".yaml", ".yml"] as const;

export interface SkippedPath {
  path: string;
  reason: string;
}

export interface FolderFiles {
  files: string[];
  skipped: SkippedPath[];
}

// Go's sort.Strings: byte order, not locale order ("B.yaml" before "a.yaml").
const byteOrder = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return Buffer.compare(x, y);
};

// Go's filepath.Ext: from the last dot of the name (".yaml" is its own extension; Node's
// extname says "" for it).
function goExt(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot >= 0 ? name.slice(dot) : "";
}

export function kubectlFolderFiles(folder: string, recursive: boolean): FolderFiles {
  const result: FolderFiles = { files: [], skipped: [] };
  const walk = (dir: string) => {
    let names: string[];
    try {
      names = readdirSync(dir).sort(byteOrder);
    } catch (e) {
      result.skipped.push({ path: dir, reason: `cannot be listed (${(e as NodeJS.ErrnoException).code ?? String(e)}); kubectl would stop here` });
      return;
    }
    for (const name of names) {
      const full = join(dir, name);
      let isDir: boolean;
      try {
        isDir = lstatSync(full).isDirectory();
      } catch (e) {
        result.skipped.push({ path: full, reason: `cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})` });
        continue;
      }
      if (isDir) {
        if (recursive) walk(full);
        else result.skipped.push({ path: full, reason: "a subfolder; kubectl apply -f reads subfolders only with -R (pass -R, --recursive)" });
        continue;
      }
      if ((KUBECTL_MANIFEST_EXTENSIONS as readonly string[]).includes(goExt(name))) result.files.push(full);
      else result.skipped.push({ path: full, reason: "not a .json, .yaml or .yml file (kubectl apply -f skips it)" });
    }
  };
  walk(folder);
  return result;
}
