// Why no definition sources were found, and the next step that fits where the user stands. azpol
// looks for definitions/ in the current folder: run from a subfolder of a project (or from a chart
// folder, `helm template . | azpol test -`), the fix is the project root or --definitions, never a
// second project made with `azpol new` in the wrong place.
import { existsSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { UsageError } from "../errors.js";
import { findDefinitionFiles } from "../io/load-definitions.js";

const PRESET = "azpol new --preset k8s-gcr-deprecation";
const NAMING = "--definitions <folder> (validate and build: the folder as an argument)";

/** The nearest folder above `cwd` whose definitions/ holds definition sources, shown relative to `cwd`. */
function projectAbove(cwd: string): string | undefined {
  for (let dir = cwd, up = dirname(cwd); up !== dir; dir = up, up = dirname(up)) {
    const defs = join(up, "definitions");
    try {
      if (existsSync(defs) && statSync(defs).isDirectory() && findDefinitionFiles(defs).length) return relative(cwd, up);
    } catch {
      // a folder above that cannot be read is not the project
    }
  }
  return undefined;
}

export function noSourcesError(root: string, cwd: string): UsageError {
  const full = resolve(cwd, root);
  const isDefault = root === "definitions";
  if (!existsSync(full)) {
    if (!isDefault) return new UsageError(`${JSON.stringify(root)} does not exist (looked for definition sources there, from ${cwd})`);
    const above = projectAbove(cwd);
    const next = above
      ? `the project looks like ${above} (its definitions/ holds definition sources): run azpol there, or pass ${NAMING.replace("<folder>", join(above, "definitions"))}`
      : `run azpol from your project's root (the folder that holds definitions/), pass ${NAMING}, or start a project here with '${PRESET}'`;
    return new UsageError(`no definitions/ folder in ${cwd}: azpol looks for definitions/ in the current folder; ${next}`);
  }
  const what = "no definition sources (definition.yaml, .yml or .json) or initiatives (initiative.yaml)";
  if (isDefault) return new UsageError(`${what} found in ${JSON.stringify(root)}; run '${PRESET}' to create one, or pass ${NAMING} if they are elsewhere`);
  return new UsageError(`${what} found in ${JSON.stringify(root)}: name the folder that holds them (each definition in definitions/<name>/definition.yaml)`);
}
