// A kustomization read the way `kubectl apply -k <dir>` reads it: the engine runs the kustomize
// API kubectl links (engine/kustomize_native.go). Only a folder holding a kustomization file is
// one; anything else is said plainly before the engine is asked.
import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { KUSTOMIZATION_FILES } from "../core/kustomization-files.js";
import type { RegoEngine } from "../rego/engine-port.js";

export function isKustomizationDir(dir: string): boolean {
  return existsSync(dir) && statSync(dir).isDirectory() && KUSTOMIZATION_FILES.some((f) => existsSync(join(dir, f)));
}

export async function renderKustomization(engine: RegoEngine, dir: string): Promise<{ yaml: string } | { error: string }> {
  const full = resolve(dir);
  if (!isKustomizationDir(full)) return { error: `${JSON.stringify(dir)} is not a folder with a kustomization file (${KUSTOMIZATION_FILES.join(", ")})` };
  return engine.kustomize(full);
}
