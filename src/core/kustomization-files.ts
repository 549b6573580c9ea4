// Which file names are a kustomization (kustomize api konfig.RecognizedKustomizationFileNames).
import { basename } from "node:path";

export const KUSTOMIZATION_FILES = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

export function isKustomizationFile(path: string): boolean {
  return KUSTOMIZATION_FILES.includes(basename(path));
}
