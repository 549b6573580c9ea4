// Files a definition or a suite points at (template.path; a suite's template, constraint and
// objects) must stay inside the project, the folder azpol runs in, so a definition from
// elsewhere cannot make azpol read (and embed, or print) ~/.ssh/id_rsa or /etc/shadow. Paths
// are compared after following symbolic links. The CLI sets the boundary for each command;
// --allow-outside-project lifts it. Library callers (tests, scripts) have none unless they set it.
import { realpathSync } from "node:fs";
import { dirname, relative, resolve, sep } from "node:path";

let boundary: string | undefined;

export function setProjectBoundary(root: string | undefined): void {
  boundary = root === undefined ? undefined : realOrSelf(resolve(root));
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

/** Why `path` may not be read (outside the project), or undefined when it may. */
export function outsideProject(path: string): string | undefined {
  if (boundary === undefined) return undefined;
  const real = realOrSelf(resolve(path));
  if (real === boundary || real.startsWith(boundary.endsWith(sep) ? boundary : boundary + sep)) return undefined;
  return `resolves outside the project (${real}, not under ${boundary}); azpol reads only files inside the folder it runs in, unless you pass --allow-outside-project`;
}
