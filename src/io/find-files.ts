// Walks folders for files by name or extension, skipping dot folders and node_modules.
// A folder that cannot be listed (EACCES: another account's data volume, /proc entries) is never
// passed over in silence: it is handed to the caller's `unreadable` list, which names it as not
// read, or, without one, it stops the command with an error that names it (exit 1, never an
// internal error).
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { AzpolError, UsageError } from "../errors.js";
import { shownPath } from "./shown-path.js";

/** A folder the walk could not list, and why (the error's code, e.g. EACCES). */
export interface UnreadableFolder {
  path: string;
  code: string;
}

export function findFiles(path: string, accept: (name: string) => boolean, skipDirs: readonly string[] = [], unreadable?: UnreadableFolder[]): string[] {
  if (!existsSync(path)) return [];
  const stat = statSync(path);
  if (stat.isFile()) return [path];
  // a FIFO, device or socket given as a path was walked as a folder (ENOTDIR, an internal error)
  if (!stat.isDirectory()) throw new UsageError(`${shownPath(path)} is not a regular file or a folder (a FIFO, device or socket); azpol reads only regular files`);
  const found: string[] = [];
  const walk = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? String(e);
      if (!unreadable) throw new AzpolError("UnreadableFolder", `${shownPath(dir)} cannot be listed (${code}); its files cannot be read. Make it readable, or move it out of ${shownPath(path)}`);
      unreadable.push({ path: dir, code });
      return;
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (entry.name.startsWith(".") || entry.name === "node_modules" || skipDirs.includes(entry.name)) continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (accept(entry.name)) found.push(full);
    }
  };
  walk(path);
  return found;
}
