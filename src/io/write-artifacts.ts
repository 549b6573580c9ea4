// Writes a build into the output folder, touching only files azpol wrote itself. A manifest
// (<out>/.azpol-manifest.json) records each generated file and its sha256. A build:
//   - refuses to overwrite a file it did not write, or one changed since it wrote it (--force
//     takes them over), so a user's main.tf edits or own files are never lost;
//   - writes every file to a temporary name first and renames them all into place only when
//     all are written, then the manifest, so an interrupted build leaves the old files;
//   - removes files it wrote for definitions that are gone, only while they are unchanged, and
//     only by their real path inside the folder (guarded-removal.ts): a manifest line whose file
//     is reached through a symbolic link leading outside refuses the build before anything is
//     written (a committed link plus a forged line once deleted a file outside --out);
//   - replaces a file that has other names (hard links) with a new file, so those names, which
//     may lie outside the folder, keep the old bytes; the build names each such file;
//   - leaves everything else alone: terraform.tfstate, .terraform/, *.tfvars beside main.tf.
// A lock file keeps two concurrent builds of one folder from interleaving.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, sep } from "node:path";
import { AzpolError, ExitCode, UsageError } from "../errors.js";
import type { Artifact } from "../emit/artifacts.js";
import { guardRemoval, removeEmptyFolder, removeGuarded } from "./guarded-removal.js";
import { createExclusive, guardTarget, stage, writeGuarded, WriteRefused, type Staged } from "./guarded-writer.js";

export const MANIFEST_FILE = ".azpol-manifest.json";
const LOCK_FILE = ".azpol-build.lock";

interface OutputManifest {
  generatedBy: "azpol";
  files: Record<string, string>;
}

export interface WriteResult {
  written: string[];
  removed: string[];
  /** files azpol wrote before but that were edited since, so they were left in place */
  keptEdited: string[];
  /** written files whose old file had other names (hard links): those names keep the old bytes */
  hardLinksBroken: string[];
}

const sha256 = (data: string | Buffer): string => createHash("sha256").update(data).digest("hex");

function readManifest(out: string): OutputManifest {
  const file = join(out, MANIFEST_FILE);
  if (!existsSync(file)) return { generatedBy: "azpol", files: {} };
  try {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as Partial<OutputManifest>;
    if (parsed.generatedBy === "azpol" && parsed.files && typeof parsed.files === "object") return { generatedBy: "azpol", files: parsed.files };
  } catch {
    // fall through: an unreadable manifest vouches for nothing
  }
  throw new AzpolError("OutputManifestInvalid", `${file} is not an azpol manifest; azpol will not guess which files it wrote. Delete it only if every file in ${out} can be regenerated`);
}

/** a hash no content has: what stands at a name that is not a regular file (never read: a FIFO would block) */
const NOT_A_FILE = "not a regular file";

function currentHash(path: string): string | undefined {
  try {
    if (!statSync(path).isFile()) return NOT_A_FILE;
    return sha256(readFileSync(path));
  } catch {
    return undefined;
  }
}

function fsError(e: unknown, out: string): never {
  if (e instanceof WriteRefused) throw new UsageError(`cannot write the build to ${JSON.stringify(out)}: ${e.message}`);
  throw e;
}

function acquireLock(out: string): () => void {
  const lock = join(out, LOCK_FILE);
  try {
    if (!createExclusive(out, lock, String(process.pid))) {
      const holder = Number.parseInt(readFileSync(lock, "utf8"), 10);
      const alive = isRunning(holder);
      if (alive) throw new AzpolError("OutputLocked", `another azpol build (process ${holder}) is writing ${out}; wait for it to finish`, ExitCode.Findings);
      removeGuarded(out, lock);
      if (!createExclusive(out, lock, String(process.pid))) throw new AzpolError("OutputLocked", `another azpol build is writing ${out}; wait for it to finish`, ExitCode.Findings);
    }
  } catch (e) {
    fsError(e, out);
  }
  return () => removeGuarded(out, lock);
}

export function writeArtifacts(outDir: string, artifacts: Artifact[], options: { force?: boolean } = {}): WriteResult {
  const out = outDir;
  const release = acquireLock(out);
  try {
    const manifest = readManifest(out);
    const targets = artifacts.map((a) => ({ rel: a.path.split("/").join(sep), content: a.content }));
    const conflicts = targets.filter((t) => {
      const now = currentHash(join(out, t.rel));
      return now !== undefined && manifest.files[t.rel] !== now && sha256(t.content) !== now;
    });
    if (conflicts.length && !options.force) {
      throw new AzpolError(
        "OutputConflict",
        `azpol did not write these files, or they were edited since it did, so it will not overwrite them: ${conflicts.map((c) => join(out, c.rel)).join(", ")}; move them away, or pass --force to replace them`,
      );
    }
    const next: OutputManifest = { generatedBy: "azpol", files: Object.fromEntries(targets.map((t) => [t.rel, sha256(t.content)])) };
    // stale files are judged before anything is written: a removal azpol may not do stops the build
    const stale: string[] = [];
    const keptEdited: string[] = [];
    try {
      for (const [rel, hash] of Object.entries(manifest.files)) {
        if (rel in next.files) continue;
        const path = join(out, rel);
        const now = currentHash(path);
        if (now === undefined) continue;
        if (now !== hash) keptEdited.push(path);
        else if (guardRemoval(out, path, { label: "--out" }) !== undefined) stale.push(path);
      }
    } catch (e) {
      if (e instanceof WriteRefused) throw new UsageError(`cannot remove a file of a definition that is gone from ${JSON.stringify(out)}: ${e.message}; nothing was written. Remove that line from ${MANIFEST_FILE} if azpol should forget the file`);
      throw e;
    }
    const staged: { file: Staged; final: string; hardLinks: number }[] = [];
    try {
      // the manifest is written last: its place is checked first, so a refusal leaves every file as it was
      guardTarget(out, join(out, MANIFEST_FILE), { label: "--out" });
      for (const t of targets) {
        const final = join(out, t.rel);
        const target = guardTarget(out, final, { label: "--out" });
        staged.push({ file: stage(target, t.content), final, hardLinks: target.hardLinks });
      }
    } catch (e) {
      for (const s of staged) s.file.abort();
      fsError(e, out);
    }
    for (const s of staged) s.file.commit();

    const removed: string[] = [];
    for (const path of stale) {
      try {
        removeGuarded(out, path, { label: "--out" });
      } catch (e) {
        fsError(e, out);
      }
      removed.push(path);
      removeEmptyFolder(out, dirname(path));
    }
    writeGuarded(out, join(out, MANIFEST_FILE), JSON.stringify(next, null, 2) + "\n", { label: "--out" });
    return { written: staged.map((s) => s.final), removed, keptEdited, hardLinksBroken: staged.filter((s) => s.hardLinks > 0).map((s) => s.final) };
  } finally {
    release();
  }
}

function isRunning(pid: number): boolean {
  if (!(pid > 0)) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
