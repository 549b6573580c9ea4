// The one way azpol removes a file: the removal half of src/io/guarded-writer.ts, by its rules.
// Only a file azpol wrote is removed (callers know that from a manifest and the file's hash), and
// only when its real path is inside the root: a symbolic-linked folder on the way must resolve
// inside it (a committed `out/gone -> /tmp/victim` plus a manifest line naming `gone/policy.json`
// once made `build` delete /tmp/victim/policy.json). azpol writes only regular files, so a link,
// folder or FIFO at a listed name is not one it wrote: refused, and neither the link nor what it
// points to is touched. A read-only file is left alone, as for a write. Unlinking a name that has
// other hard links removes this name only: the other names and their content stay.
import { realpathSync, rmdirSync, unlinkSync } from "node:fs";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { fsReason, lstatOrUndefined, readOnlyProblem, walkInside, WriteRefused } from "./confined-path.js";
import { relativeInside, writable } from "./guarded-writer.js";

/** Checks the removal of `path` under `root`; the real path to unlink, or undefined when the file is gone. */
export function guardRemoval(root: string, path: string, options: { label?: string } = {}): string | undefined {
  const label = options.label ?? "the output folder";
  const shown = JSON.stringify(path);
  const parts = relativeInside(root, path, `${shown} is outside ${label} ${JSON.stringify(root)}; azpol removes only files it wrote there`);
  const fileName = parts.pop() ?? "";
  try {
    const boundary = realpathSync(root);
    let gone = false;
    const dir = walkInside(boundary, parts, { label, doing: "remove", shown }, () => (gone = true));
    if (gone) return undefined;
    const target = join(dir, fileName);
    const stat = lstatOrUndefined(target);
    if (stat === undefined) return undefined;
    if (stat.isSymbolicLink()) throw new WriteRefused(`${JSON.stringify(target)} is a symbolic link, and azpol writes only regular files, so it did not write it; azpol will not remove it nor what it points to`);
    if (!stat.isFile()) throw new WriteRefused(`${JSON.stringify(target)} is not a regular file (a folder, FIFO, device or socket), so azpol did not write it; azpol will not remove it`);
    const readOnly = readOnlyProblem(target, stat, writable(target));
    if (readOnly) throw new WriteRefused(readOnly);
    return target;
  } catch (e) {
    if (e instanceof WriteRefused) throw e;
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new WriteRefused(`cannot remove ${shown}: ${fsReason(e)}`);
  }
}

/** Removes a file azpol wrote, checked by guardRemoval at the moment of removal. */
export function removeGuarded(root: string, path: string, options: { label?: string } = {}): void {
  const target = guardRemoval(root, path, options);
  if (target === undefined) return;
  try {
    unlinkSync(target);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw new WriteRefused(`cannot remove ${JSON.stringify(path)}: ${fsReason(e)}`);
  }
}

/** Removes an empty folder under `root` (by its real path); one that is not empty, gone or leads outside is left alone. */
export function removeEmptyFolder(root: string, dir: string): void {
  const rel = relative(resolve(root), resolve(dir));
  if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) return;
  try {
    let gone = false;
    const parts = rel.split(sep);
    const last = parts.pop() ?? "";
    const parent = walkInside(realpathSync(root), parts, { label: "the output folder", doing: "remove", shown: JSON.stringify(dir) }, () => (gone = true));
    // rmdir of a symbolic link fails (ENOTDIR): a linked folder is never removed, nor its target
    if (!gone) rmdirSync(join(parent, last));
  } catch {
    // not empty, already gone, or reached through a link leading outside: leave it
  }
}
