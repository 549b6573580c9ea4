// What fix and mirror did not read, on stderr: each skipped folder or file with why, and each file
// not checked (it may hold denied images). Files skipped only for not being YAML, JSON or a
// kustomization are named together on one line, so a repository's source files do not bury the rest.
import { NOT_A_MANIFEST, type NotRead } from "../../fix/fix-walk.js";
import type { Output } from "../output.js";

export function renderNotRead(output: Output, skipped: readonly NotRead[], notChecked: readonly NotRead[] = []): void {
  const plain = skipped.filter((s) => s.reason === NOT_A_MANIFEST);
  for (const s of skipped) if (s.reason !== NOT_A_MANIFEST) output.err(`skipped ${s.path}: ${s.reason}`);
  if (plain.length) output.err(`skipped ${plain.length} file(s), ${NOT_A_MANIFEST}: ${plain.map((s) => s.path).join(", ")}`);
  for (const n of notChecked) output.err(`${n.path}: not checked: ${n.reason}`);
}
