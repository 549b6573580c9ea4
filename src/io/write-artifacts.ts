// Writes a build into the output folder, touching only files azpol wrote itself. A manifest
// (<out>/.azpol-manifest.json) records each generated file and its sha256. A build:
//   - refuses to overwrite a file it did not write, or one changed since it wrote it (--force
//     takes them over), so a user's main.tf edits or own files are never lost;
//   - writes every file to a temporary name first and renames them all into place only when
//     all are written, then the manifest, so an interrupted build leaves the old files;
//   - removes files it wrote for definitions that are gone, only while they are unchanged;
//   - leaves everything else alone: terraform.tfstate, .terraform/, *.tfvars beside main.tf.
// A lock file keeps two concurrent builds of one folder from interleaving.
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { AzpolError, ExitCode, UsageError } from "../errors.js";
import type { Artifact } from "../emit/artifacts.js";
import { createExclusive, guardTarget, removeEmptyFolder, removeGuarded, stage, writeGuarded, WriteRefused, type Staged } from "./guarded-writer.js";

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

function currentHash(path: string): string | undefined {
  try {
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
    const staged: { file: Staged; final: string }[] = [];
    try {
      for (const t of targets) {
        const final = join(out, t.rel);
        staged.push({ file: stage(guardTarget(out, final, { label: "--out" }), t.content), final });
      }
    } catch (e) {
      for (const s of staged) s.file.abort();
      fsError(e, out);
    }
    for (const s of staged) s.file.commit();

    const next: OutputManifest = { generatedBy: "azpol", files: Object.fromEntries(targets.map((t) => [t.rel, sha256(t.content)])) };
    const removed: string[] = [];
    const keptEdited: string[] = [];
    for (const [rel, hash] of Object.entries(manifest.files)) {
      if (rel in next.files) continue;
      const path = join(out, rel);
      if (relative(out, path).startsWith("..")) continue; // a manifest never reaches outside --out
      const now = currentHash(path);
      if (now === undefined) continue;
      if (now !== hash) {
        keptEdited.push(path);
        continue;
      }
      removeGuarded(out, path);
      removed.push(path);
      removeEmptyFolder(out, dirname(path));
    }
    writeGuarded(out, join(out, MANIFEST_FILE), JSON.stringify(next, null, 2) + "\n", { label: "--out" });
    return { written: staged.map((s) => s.final), removed, keptEdited };
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
