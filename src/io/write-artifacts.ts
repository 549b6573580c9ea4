// Writes a build atomically: everything goes to a temporary sibling folder first and is
// renamed into place per definition, so a failure never leaves half a build.
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { Artifact } from "../emit/artifacts.js";

export function writeArtifacts(outDir: string, artifacts: Artifact[]): string[] {
  const out = resolve(outDir);
  mkdirSync(dirname(out), { recursive: true });
  mkdirSync(out, { recursive: true });
  const staging = mkdtempSync(join(out, ".azpol-staging-"));
  try {
    for (const a of artifacts) {
      const target = join(staging, a.path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, a.content);
    }
    const written: string[] = [];
    const folders = [...new Set(artifacts.map((a) => a.path.split("/")[0] ?? ""))];
    for (const folder of folders) {
      const dest = join(out, folder);
      const old = `${dest}.azpol-old`;
      rmSync(old, { recursive: true, force: true });
      let moved = false;
      try {
        renameSync(dest, old);
        moved = true;
      } catch {
        // no previous build of this definition
      }
      renameSync(join(staging, folder), dest);
      if (moved) rmSync(old, { recursive: true, force: true });
    }
    for (const a of artifacts) written.push(join(out, a.path));
    return written;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
