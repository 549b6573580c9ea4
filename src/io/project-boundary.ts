// Files a definition or a suite points at (template.path; a suite's template, constraint and
// objects) must stay inside the project, the folder azpol runs in, so a definition from
// elsewhere cannot make azpol read (and embed, or print) ~/.ssh/id_rsa or /etc/shadow. Paths
// are compared after following symbolic links. --allow-outside-project lifts it.
// The boundary is passed, not looked up: the readers (load-definitions, run-suites, suite-case)
// take it as a parameter, from the run's ActionContext (ctx.files, made by cli/context.ts) through
// the pipeline. So two runs in one process (two contexts in a test, or a host embedding azpol)
// each read under their own, and a caller that has none must say so (readAnywhere).
import { realpathSync } from "node:fs";
import { dirname, relative, resolve, sep } from "node:path";

export interface FileBoundary {
  /** the folder azpol runs in: relative paths resolve against it, and build output stays in it */
  cwd: string;
  /** sources, templates and suites may only be read inside this folder; undefined: anywhere (--allow-outside-project) */
  projectRoot: string | undefined;
}

/** No project boundary, said explicitly: library callers and tests reading fixtures from anywhere. */
export function readAnywhere(cwd: string = process.cwd()): FileBoundary {
  return { cwd, projectRoot: undefined };
}

function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    // a path that does not exist yet: resolve its parent's links, keep its name
    const parent = dirname(path);
    return parent === path ? path : resolve(realOrSelf(parent), relative(parent, path));
  }
}

/** Why `path` may not be read (outside the project `projectRoot`), or undefined when it may. */
export function outsideProject(path: string, projectRoot: string | undefined): string | undefined {
  if (projectRoot === undefined) return undefined;
  const boundary = realOrSelf(resolve(projectRoot));
  const real = realOrSelf(resolve(path));
  if (real === boundary || real.startsWith(boundary.endsWith(sep) ? boundary : boundary + sep)) return undefined;
  return `resolves outside the project (${real}, not under ${boundary}); azpol reads only files inside the folder it runs in, unless you pass --allow-outside-project`;
}
