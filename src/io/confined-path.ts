// Where a path really is. Every write and every removal azpol does is confined to the REAL path of
// the folder it was asked to write to: path text is never trusted, since a symbolic link anywhere
// in it (a committed `out/gone -> /etc`, `--out` pointing at definitions/) moves the operation
// somewhere else. These checks only read the file system; src/io/guarded-writer.ts acts on them.
import { lstatSync, realpathSync, statSync, type Stats } from "node:fs";
import { basename, dirname, join, sep } from "node:path";
import { AzpolError, ExitCode } from "../errors.js";

/** A write or removal azpol will not do: exit 2 unless a caller reports it per file. */
export class WriteRefused extends AzpolError {
  constructor(message: string) {
    super("WriteRefused", message, ExitCode.Usage);
    this.name = "WriteRefused";
  }
}

export const inside = (child: string, parent: string): boolean => child === parent || child.startsWith(parent.endsWith(sep) ? parent : parent + sep);

const FS_REASONS: Record<string, string> = { EACCES: "permission denied", EPERM: "permission denied", EROFS: "the file system is read-only", ENOTDIR: "a part of the path is a file", EEXIST: "a file is in the way", ENOSPC: "the disk is full", EISDIR: "it is a folder", ELOOP: "too many symbolic links", ENAMETOOLONG: "the name is too long" };

export function fsReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code ?? "";
  return FS_REASONS[code] ?? (e instanceof Error ? e.message : String(e));
}

export function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
}

/**
 * The real path of `path`: realpath of the path itself, or, when it does not exist yet, of its
 * nearest existing ancestor with the missing names joined back (what it will be once created).
 */
export function realPathOf(path: string): string {
  const missing: string[] = [];
  let at = path;
  for (;;) {
    try {
      return join(realpathSync(at), ...missing.reverse());
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const up = dirname(at);
      // a dangling link or a file in the way is resolved no further: the lexical path stands
      if ((code !== "ENOENT" && code !== "ENOTDIR") || up === at) return join(at, ...missing.reverse());
      missing.push(basename(at));
      at = up;
    }
  }
}

/**
 * Walks `parts` (folder names) down from the real `boundary`, one level at a time: a folder that is
 * a symbolic link must resolve inside the boundary (then the walk continues at its real path), a
 * file in the way is refused, and a missing folder is handed to `missing` (which creates it, or
 * refuses). Returns the real path of the last folder.
 */
export function walkInside(boundary: string, parts: readonly string[], words: { label: string; doing: string; shown: string }, missing: (dir: string) => void): string {
  let dir = boundary;
  for (const part of parts) {
    const next = join(dir, part);
    const stat = lstatOrUndefined(next);
    if (stat === undefined) {
      missing(next);
      dir = next;
    } else if (stat.isSymbolicLink()) {
      const real = realpathSync(next);
      if (!inside(real, boundary)) throw new WriteRefused(`${JSON.stringify(next)} is a symbolic link to ${JSON.stringify(real)}, outside ${words.label} ${JSON.stringify(boundary)}; azpol will not ${words.doing} through it`);
      if (!statSync(real).isDirectory()) throw new WriteRefused(`${JSON.stringify(next)} is not a folder; cannot ${words.doing} ${words.shown}`);
      dir = real;
    } else if (stat.isDirectory()) dir = next;
    else throw new WriteRefused(`${JSON.stringify(next)} is a file, not a folder; cannot ${words.doing} ${words.shown}`);
  }
  return dir;
}

/**
 * A read-only file says "do not change me". Decided by its mode bits, not by access(2): for root
 * (CI containers run as root) access(W_OK) always succeeds, so a 0444 file would be replaced. A file
 * nobody may write is refused whoever runs azpol; one this user may not write is refused too.
 */
export function readOnlyProblem(path: string, stat: Stats, writableByMe: boolean): string | undefined {
  if ((stat.mode & 0o222) === 0) return `${JSON.stringify(path)} is read-only (mode ${(stat.mode & 0o777).toString(8).padStart(4, "0")}: no write permission for anyone); azpol leaves it unchanged. Make it writable to let azpol change it`;
  if (!writableByMe) return `${JSON.stringify(path)} is read-only (permission denied); azpol leaves it unchanged. Make it writable to let azpol change it`;
  return undefined;
}
