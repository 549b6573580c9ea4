// Files a definition or a suite points at (template.path; a suite's template, constraint and
// objects) must stay inside the project, the folder azpol runs in, so a definition from
// elsewhere cannot make azpol read (and embed, or print) ~/.ssh/id_rsa or /etc/shadow. Paths
// are compared after following symbolic links. The CLI sets the boundary for each command from
// its ActionContext (cli/context.ts); --allow-outside-project lifts it. Library callers (tests,
// scripts) have none unless they set it.
// The boundary belongs to one run, not to the process: a run started with withProjectBoundary
// (the CLI starts every command so) keeps its own in AsyncLocalStorage, so two runs in one process
// (two contexts in a test, or a host embedding azpol) each read under their own boundary. Outside
// such a run, setProjectBoundary sets the process-wide default the readers fall back to.
import { AsyncLocalStorage } from "node:async_hooks";
import { realpathSync } from "node:fs";
import { dirname, relative, resolve, sep } from "node:path";

interface Boundary {
  root: string | undefined;
}

const processDefault: Boundary = { root: undefined };
const perRun = new AsyncLocalStorage<Boundary>();

/** Sets the boundary of the current run (or, outside one, the process default). */
export function setProjectBoundary(root: string | undefined): void {
  (perRun.getStore() ?? processDefault).root = root === undefined ? undefined : realOrSelf(resolve(root));
}

/** Runs `work` as one run with a boundary of its own (none until it sets one, or `root`). */
export function withProjectBoundary<T>(root: string | undefined, work: () => T): T {
  return perRun.run({ root: root === undefined ? undefined : realOrSelf(resolve(root)) }, work);
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
  const boundary = (perRun.getStore() ?? processDefault).root;
  if (boundary === undefined) return undefined;
  const real = realOrSelf(resolve(path));
  if (real === boundary || real.startsWith(boundary.endsWith(sep) ? boundary : boundary + sep)) return undefined;
  return `resolves outside the project (${real}, not under ${boundary}); azpol reads only files inside the folder it runs in, unless you pass --allow-outside-project`;
}
