// Where `build --out` may write. azpol never writes into, over or around what it reads: an
// output folder that is the project root (or above it), or that holds or sits inside the
// definition sources or the constraint templates, is refused before anything is touched.
// (A build once deleted every definition with `--out definitions`.)
import { existsSync, statSync } from "node:fs";
import { dirname, resolve, sep } from "node:path";
import { UsageError } from "../errors.js";

export interface ProtectedInputs {
  /** the project root (the working folder) */
  root: string;
  /** definition source files and template files read by this build */
  files: string[];
}

const SYSTEM_PREFIXES = ["/dev", "/proc", "/sys", "/run"];

function inside(child: string, parent: string): boolean {
  return child === parent || child.startsWith(parent.endsWith(sep) ? parent : parent + sep);
}

export function assertSafeOutDir(outDir: string, inputs: ProtectedInputs): string {
  const out = resolve(outDir);
  const shown = JSON.stringify(outDir);
  if (SYSTEM_PREFIXES.some((p) => inside(out, p))) throw new UsageError(`--out ${shown} is a system folder; name a folder for the build output, such as 'out'`);
  if (existsSync(out) && !statSync(out).isDirectory()) throw new UsageError(`--out ${shown} is not a folder; name a folder for the build output, such as 'out'`);
  const root = resolve(inputs.root);
  if (inside(root, out)) throw new UsageError(`--out ${shown} is the project folder or one above it; azpol writes one folder per definition there and must not mix with your files; use a folder of its own, such as 'out'`);
  const folders = new Set([resolve(root, "definitions"), resolve(root, "constraint-templates")]);
  for (const f of inputs.files) folders.add(dirname(resolve(f)));
  for (const folder of folders) {
    if (inside(out, folder) || inside(folder, out)) {
      throw new UsageError(`--out ${shown} overlaps ${JSON.stringify(folder)}, which holds definition sources or templates azpol reads; use a folder of its own, such as 'out'`);
    }
  }
  return out;
}
