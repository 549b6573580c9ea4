// Limits Azure enforces on policy resources (azure-policy-k8s-format.md §6), shared by the
// definition rules (core/rules/azure-limits.ts), exemptions, initiatives and the build.
import { safeNameProblem } from "./safe-name.js";

export const LIMITS = {
  name: 64,
  displayName: 128,
  description: 512,
  parameters: 20,
  metadataValue: 1024,
  bodyBytes: 1_048_576,
} as const;

const FORBIDDEN_NAME_CHARS = /[<>*%&:\\?.+/]/;

export function definitionNameProblem(name: string): string | undefined {
  if (name.length > LIMITS.name) return `name ${JSON.stringify(name)} is ${name.length} characters; Azure allows at most ${LIMITS.name}`;
  const bad = FORBIDDEN_NAME_CHARS.exec(name);
  if (bad) return `name ${JSON.stringify(name)} contains '${bad[0]}'; Azure resource names cannot contain < > * % & : \\ ? . + / (use '-' instead)`;
  if ([...name].some((c) => c.charCodeAt(0) < 0x20)) return `name ${JSON.stringify(name)} contains a control character`;
  if (name.endsWith(" ")) return `name ${JSON.stringify(name)} ends with a space; remove it`;
  // the name becomes a folder (build output, scaffolds): the one rule for names from input
  return safeNameProblem(name, "name");
}
