// The one way azpol writes or removes a file (ESLint forbids fs write calls anywhere else). Every
// write and removal is confined to the folder azpol was asked to write into (the root: --out,
// --templates, --dir, a `fix` path, the folder of a plan file or a bench baseline):
//   - the path must stay under the root, compared by REAL paths (confined-path.ts): a name like
//     '../../victim' or a symlinked folder pointing at ~/.ssh cannot move a write or a removal out;
//   - folders are created one level at a time, each checked the same way;
//   - an existing symbolic link is written through when its target is a regular file inside
//     the root, and refused with a message otherwise; it is never replaced by a copy;
//   - a read-only file (no write bit for anyone, or not writable by this user) is left alone;
//   - every file is written to a fresh temporary name (O_EXCL, so a planted link there is not
//     followed) and renamed into place, keeping the old file's permissions. So a file with other
//     names (hard links, which may lie outside the root) is never written through: its name here
//     gets the new bytes, the other names keep the old ones, and the caller is told (hardLinks);
//   - an existing file a caller does not own (options.owned: a bench baseline, a plan) is refused;
//   - text keeps the shape of the file it replaces (encoding, BOM, CRLF: text-shape.ts).
// Removals follow the same rules (guarded-removal.ts).
// Names that come from input pass one rule (core/safe-name.ts) before they become a path.
import { accessSync, chmodSync, closeSync, constants, mkdirSync, openSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync, writeSync, type Stats } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { safeNameProblem } from "../model/safe-name.js";
import { fsReason, inside, lstatOrUndefined, readOnlyProblem, walkInside, WriteRefused } from "./confined-path.js";
import { encodeAs, type TextShape } from "./text-shape.js";

export { fsReason, WriteRefused } from "./confined-path.js";

// node:crypto is loaded at the first write, not with the CLI: `azpol --help` writes nothing, and
// loading crypto is a noticeable share of a start-up on Node 22 and 24
const randomHex = (bytes: number): string => process.getBuiltinModule<"node:crypto">("node:crypto").randomBytes(bytes).toString("hex");

export interface GuardedTarget {
  /** the real path that will be written */
  path: string;
  /** "symlink" when an existing symbolic link (to a file inside the root) is written through */
  via: "symlink" | undefined;
  /** the other names (hard links) the replaced file had: they keep its old content (0: none) */
  hardLinks: number;
  /** the permissions of the file being replaced */
  mode: number | undefined;
}

export interface WriteOptions {
  /** how the root is named in messages: "--templates", "--out", "the folder given to fix" */
  label?: string;
  /** keep an existing text file's encoding, BOM and line endings */
  shape?: TextShape;
  /** replace an existing file only when it is one azpol wrote: `what` names it ("an azpol bench baseline"), `is` judges its bytes */
  owned?: { what: string; is: (existing: Buffer) => boolean };
}

/** an existing file larger than this is not one of the small files `owned` protects */
const MAX_OWNED_BYTES = 16 * 1024 * 1024;

/** `root/<name>/.../<file>` after every input-derived name passed the name rule. */
export function namedPath(root: string, names: readonly { value: string; what: string }[], ...file: string[]): string {
  for (const n of names) {
    const problem = safeNameProblem(n.value, n.what);
    if (problem) throw new WriteRefused(`${problem}; azpol will not write a file named after it`);
  }
  return join(resolve(root), ...names.map((n) => n.value), ...file);
}

/** The path relative to the root, or a refusal when its text already leaves the root. */
export function relativeInside(root: string, path: string, refusal: string): string[] {
  const rel = relative(resolve(root), resolve(path));
  if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) throw new WriteRefused(refusal);
  return rel.split(sep);
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

export function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** An existing regular file about to be replaced: not read-only, and the caller's own when it asks. */
function replaceable(path: string, stat: Stats, options: WriteOptions): void {
  const readOnly = readOnlyProblem(path, stat, writable(path));
  if (readOnly) throw new WriteRefused(readOnly);
  if (options.owned === undefined) return;
  const ours = stat.size <= MAX_OWNED_BYTES && options.owned.is(readFileSync(path));
  if (!ours) throw new WriteRefused(`${JSON.stringify(path)} exists and is not ${options.owned.what}; azpol replaces only a file it wrote. Move it away or name another file`);
}

/** Checks (and creates the folders for) a write of `path` under `root`; nothing is written yet. */
export function guardTarget(root: string, path: string, options: WriteOptions = {}): GuardedTarget {
  const label = options.label ?? "the output folder";
  const shown = JSON.stringify(path);
  const parts = relativeInside(root, path, `${shown} is outside ${label} ${JSON.stringify(root)}; azpol writes only inside the folder it was asked to write to`);
  const boundary = realRoot(root, label);
  const fileName = parts.pop() ?? "";
  try {
    const dir = walkInside(boundary, parts, { label, doing: "write", shown }, (next) => mkdirSync(next));
    const target = join(dir, fileName);
    const stat = lstatOrUndefined(target);
    if (stat === undefined) return { path: target, via: undefined, hardLinks: 0, mode: undefined };
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
      replaceable(real, to, options);
      return { path: real, via: "symlink", hardLinks: to.nlink - 1, mode: to.mode };
    }
    if (!stat.isFile()) throw new WriteRefused(`${JSON.stringify(target)} exists and is not a regular file (a folder, FIFO, device or socket); azpol will not write there`);
    replaceable(target, stat, options);
    return { path: target, via: undefined, hardLinks: stat.nlink - 1, mode: stat.mode };
  } catch (e) {
    if (e instanceof WriteRefused) throw e;
    throw new WriteRefused(`cannot write ${shown}: ${fsReason(e)}`);
  }
}

export interface Staged {
  commit(): void;
  abort(): void;
}

/** Writes the bytes to a temporary file beside the target; commit() renames it into place. */
export function stage(target: GuardedTarget, bytes: Buffer | string): Staged {
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
