// Where `build --out` may write. azpol never writes into, over or around what it reads: an
// output folder that is the project root (or above it), or that holds or sits inside the
// definition sources or the constraint templates, is refused before anything is touched.
// (A build once deleted every definition with `--out definitions`.)
// Folders are compared by their REAL paths (confined-path.ts realPathOf: the folder's, or its
// nearest existing ancestor's when it does not exist yet), and by their text as well: `--out
// outlink` with `outlink -> definitions`, or `--out up/x` with `up -> ..`, is the folder it leads to.
import { existsSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { UsageError } from "../errors.js";
import { inside, realPathOf } from "./confined-path.js";

export interface ProtectedInputs {
  /** the project root (the working folder) */
  root: string;
  /** definition source files and template files read by this build */
  files: string[];
}

const SYSTEM_PREFIXES = ["/dev", "/proc", "/sys", "/run"];

/** a folder by its text and by where it really is (the two differ when a link is on the way) */
const both = (path: string): string[] => [...new Set([path, realPathOf(path)])];
const overlap = (a: string[], b: string[], test: (x: string, y: string) => boolean) => a.some((x) => b.some((y) => test(x, y)));

export function assertSafeOutDir(outDir: string, inputs: ProtectedInputs): string {
  const out = resolve(outDir);
  const shown = JSON.stringify(outDir);
  const outs = both(out);
  const leadsTo = outs.length > 1 ? ` (it leads to ${JSON.stringify(outs[1])})` : "";
  if (SYSTEM_PREFIXES.some((p) => outs.some((o) => inside(o, p)))) throw new UsageError(`--out ${shown}${leadsTo} is a system folder; name a folder for the build output, such as 'out'`);
  if (existsSync(out) && !statSync(out).isDirectory()) throw new UsageError(`--out ${shown} is not a folder; name a folder for the build output, such as 'out'`);
  const root = resolve(inputs.root);
  if (overlap(both(root), outs, inside)) throw new UsageError(`--out ${shown}${leadsTo} is the project folder or one above it; azpol writes one folder per definition there and must not mix with your files; use a folder of its own, such as 'out'`);
  const folders = new Set([resolve(root, "definitions"), resolve(root, "constraint-templates")]);
  // each source's folder, by its text and its real path (a linked file's target folder is not
  // protected: a template linked from a folder holding the project must not forbid every --out)
  for (const f of inputs.files) folders.add(dirname(resolve(f)));
  for (const folder of folders) {
    const where = both(folder);
    if (overlap(outs, where, inside) || overlap(where, outs, inside)) {
      throw new UsageError(`--out ${shown}${leadsTo} overlaps ${JSON.stringify(folder)}, which holds definition sources or templates azpol reads; use a folder of its own, such as 'out'`);
    }
  }
  return out;
}
