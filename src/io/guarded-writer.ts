// The one way azpol writes a file (ESLint forbids fs write calls anywhere else). Every write is
// confined to the folder azpol was asked to write into (the root: --out, --templates, --dir, a
// `fix` path, the folder of a plan file):
//   - the path must stay under the root, compared after following symbolic links, so a name
//     like '../../victim' or a symlinked folder pointing at ~/.ssh cannot move a write outside;
//   - folders are created one level at a time, each checked the same way;
//   - an existing symbolic link is written through when its target is a regular file inside
//     the root, and refused with a message otherwise; it is never replaced by a copy;
//   - a file with several hard links is rewritten in place, so every name sees the change;
//   - any other file is written to a fresh temporary name (O_EXCL, so a planted link there is
//     not followed) and renamed into place, keeping the old file's permissions;
//   - text keeps the shape of the file it replaces (encoding, BOM, CRLF: text-shape.ts).
// Names that come from input pass one rule (core/safe-name.ts) before they become a path.
import { accessSync, chmodSync, closeSync, constants, ftruncateSync, lstatSync, mkdirSync, openSync, realpathSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync, writeSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { safeNameProblem } from "../model/safe-name.js";
import { AzpolError, ExitCode } from "../errors.js";
import { encodeAs, type TextShape } from "./text-shape.js";

// node:crypto is loaded at the first write, not with the CLI: `azpol --help` writes nothing, and
// loading crypto is a noticeable share of a start-up on Node 22 and 24
const randomHex = (bytes: number): string => process.getBuiltinModule<"node:crypto">("node:crypto").randomBytes(bytes).toString("hex");

/** A write azpol will not do: exit 2 unless a caller reports it per file. */
export class WriteRefused extends AzpolError {
  constructor(message: string) {
    super("WriteRefused", message, ExitCode.Usage);
    this.name = "WriteRefused";
  }
}

export interface GuardedTarget {
  /** the real path that will be written */
  path: string;
  /** how an existing file was reached: written through a symlink, or in place for hard links */
  via: "symlink" | "hardlink" | undefined;
  /** the permissions of the file being replaced */
  mode: number | undefined;
}

export interface WriteOptions {
  /** how the root is named in messages: "--templates", "--out", "the folder given to fix" */
  label?: string;
  /** keep an existing text file's encoding, BOM and line endings */
  shape?: TextShape;
}

const inside = (child: string, parent: string) => child === parent || child.startsWith(parent.endsWith(sep) ? parent : parent + sep);

const FS_REASONS: Record<string, string> = { EACCES: "permission denied", EPERM: "permission denied", EROFS: "the file system is read-only", ENOTDIR: "a part of the path is a file", EEXIST: "a file is in the way", ENOSPC: "the disk is full", EISDIR: "it is a folder", ELOOP: "too many symbolic links", ENAMETOOLONG: "the name is too long" };

export function fsReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code ?? "";
  return FS_REASONS[code] ?? (e instanceof Error ? e.message : String(e));
}

/** `root/<name>/.../<file>` after every input-derived name passed the name rule. */
export function namedPath(root: string, names: readonly { value: string; what: string }[], ...file: string[]): string {
  for (const n of names) {
    const problem = safeNameProblem(n.value, n.what);
    if (problem) throw new WriteRefused(`${problem}; azpol will not write a file named after it`);
  }
  return join(resolve(root), ...names.map((n) => n.value), ...file);
}

function lstatOrUndefined(path: string) {
  try {
    return lstatSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
}

/** Creates the root if needed; its real path is the boundary. */
function realRoot(root: string, label: string): string {
  try {
    mkdirSync(root, { recursive: true });
    const real = realpathSync(root);
    if (!statSync(real).isDirectory()) throw new WriteRefused(`${label} ${JSON.stringify(root)} is not a folder`);
    return real;
  } catch (e) {
    if (e instanceof WriteRefused) throw e;
    throw new WriteRefused(`cannot create ${label} ${JSON.stringify(root)}: ${fsReason(e)}`);
  }
}

/** Checks (and creates the folders for) a write of `path` under `root`; nothing is written yet. */
export function guardTarget(root: string, path: string, options: WriteOptions = {}): GuardedTarget {
  const label = options.label ?? "the output folder";
  const shown = JSON.stringify(path);
  const rel = relative(resolve(root), resolve(path));
  if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) throw new WriteRefused(`${shown} is outside ${label} ${JSON.stringify(root)}; azpol writes only inside the folder it was asked to write to`);
  const boundary = realRoot(root, label);
  const parts = rel.split(sep);
  const fileName = parts.pop() ?? "";
  let dir = boundary;
  try {
    for (const part of parts) {
      const next = join(dir, part);
      const stat = lstatOrUndefined(next);
      if (stat === undefined) {
        mkdirSync(next);
        dir = next;
      } else if (stat.isSymbolicLink()) {
        const real = realpathSync(next);
        if (!inside(real, boundary)) throw new WriteRefused(`${JSON.stringify(next)} is a symbolic link to ${JSON.stringify(real)}, outside ${label} ${JSON.stringify(boundary)}; azpol will not write through it`);
        if (!statSync(real).isDirectory()) throw new WriteRefused(`${JSON.stringify(next)} is not a folder; cannot write ${shown}`);
        dir = real;
      } else if (stat.isDirectory()) dir = next;
      else throw new WriteRefused(`${JSON.stringify(next)} is a file, not a folder; cannot write ${shown}`);
    }
    const target = join(dir, fileName);
    const stat = lstatOrUndefined(target);
    if (stat === undefined) return { path: target, via: undefined, mode: undefined };
    if (stat.isSymbolicLink()) {
      let real: string;
      try {
        real = realpathSync(target);
      } catch {
        throw new WriteRefused(`${JSON.stringify(target)} is a symbolic link to nothing; azpol will not replace a link with a file (remove the link or point it at a file)`);
      }
      if (!inside(real, boundary)) throw new WriteRefused(`${JSON.stringify(target)} is a symbolic link to ${JSON.stringify(real)}, outside ${label} ${JSON.stringify(boundary)}; azpol will not write through it, nor replace the link`);
      const to = statSync(real);
      if (!to.isFile()) throw new WriteRefused(`${JSON.stringify(target)} links to something that is not a regular file; azpol will not write there`);
      assertWritable(real);
      return { path: real, via: to.nlink > 1 ? "hardlink" : "symlink", mode: to.mode };
    }
    if (!stat.isFile()) throw new WriteRefused(`${JSON.stringify(target)} exists and is not a regular file (a folder, FIFO, device or socket); azpol will not write there`);
    assertWritable(target);
    return { path: target, via: stat.nlink > 1 ? "hardlink" : undefined, mode: stat.mode };
  } catch (e) {
    if (e instanceof WriteRefused) throw e;
    throw new WriteRefused(`cannot write ${shown}: ${fsReason(e)}`);
  }
}

/** A read-only file says "do not change me": a rename would replace it anyway, so ask first. */
function assertWritable(path: string): void {
  try {
    accessSync(path, constants.W_OK);
  } catch {
    throw new WriteRefused(`${JSON.stringify(path)} is read-only (permission denied); azpol leaves it unchanged. Make it writable to let azpol change it`);
  }
}

export interface Staged {
  commit(): void;
  abort(): void;
}

/** Writes the bytes to a temporary file beside the target; commit() renames it into place. */
export function stage(target: GuardedTarget, bytes: Buffer | string): Staged {
  if (target.via === "hardlink") {
    // a rename would split the links; rewriting in place keeps every name pointing at the new bytes
    return { commit: () => writeInPlace(target.path, bytes), abort: () => undefined };
  }
  const tmp = join(dirname(target.path), `.${basename(target.path)}.azpol-${process.pid}-${randomHex(4)}.tmp`);
  try {
    const fd = openSync(tmp, "wx", target.mode === undefined ? 0o666 : target.mode & 0o7777);
    try {
      writeAll(fd, bytes);
    } finally {
      closeSync(fd);
    }
    if (target.mode !== undefined) chmodSync(tmp, target.mode & 0o7777);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new WriteRefused(`cannot write ${JSON.stringify(target.path)}: ${fsReason(e)}`);
  }
  return {
    commit: () => {
      try {
        renameSync(tmp, target.path);
      } catch (e) {
        rmSync(tmp, { force: true });
        throw new WriteRefused(`cannot write ${JSON.stringify(target.path)}: ${fsReason(e)}`);
      }
    },
    abort: () => rmSync(tmp, { force: true }),
  };
}

function writeAll(fd: number, bytes: Buffer | string): void {
  const buffer = typeof bytes === "string" ? Buffer.from(bytes, "utf8") : bytes;
  for (let at = 0; at < buffer.length; ) at += writeSync(fd, buffer, at, buffer.length - at);
}

function writeInPlace(path: string, bytes: Buffer | string): void {
  try {
    const fd = openSync(path, "r+");
    try {
      ftruncateSync(fd, 0);
      writeAll(fd, bytes);
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    throw new WriteRefused(`cannot write ${JSON.stringify(path)}: ${fsReason(e)}`);
  }
}

/** Writes one file under `root` by the rules above; returns what was written. */
export function writeGuarded(root: string, path: string, content: Buffer | string, options: WriteOptions = {}): GuardedTarget {
  const target = guardTarget(root, path, options);
  const bytes = typeof content === "string" && options.shape ? encodeAs(content, options.shape) : content;
  stage(target, bytes).commit();
  return target;
}

/** Creates a file that must not exist yet (a lock); false when it does. */
export function createExclusive(root: string, path: string, content: string): boolean {
  const target = guardTarget(root, path);
  if (target.mode !== undefined) return false;
  let fd: number;
  try {
    fd = openSync(target.path, "wx");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw new WriteRefused(`cannot write ${JSON.stringify(path)}: ${fsReason(e)}`);
  }
  try {
    writeFileSync(fd, content);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** Removes a file azpol wrote (under `root`; a link is removed, never its target). */
export function removeGuarded(root: string, path: string): void {
  const rel = relative(resolve(root), resolve(path));
  if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) throw new WriteRefused(`${JSON.stringify(path)} is outside ${JSON.stringify(root)}; azpol removes only files it wrote there`);
  rmSync(path, { force: true });
}

/** Removes an empty folder under `root`; a folder that is not empty (or gone) is left alone. */
export function removeEmptyFolder(root: string, dir: string): void {
  const rel = relative(resolve(root), resolve(dir));
  if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) return;
  try {
    rmdirSync(dir);
  } catch {
    // not empty or already gone: leave it
  }
}
