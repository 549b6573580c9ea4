// How `azpol fix --dry-run` prints one file's change: a patch `git apply` takes, on stdout alone,
// with what the output boundary would alter (a secret, a control character) withheld and named on stderr. Loaded when fix runs, not for --help.
import { sep } from "node:path";
import { diffText } from "../../fix/file-text.js";
import type { FileFix } from "../../fix/plan-fixes.js";
import { printablePatch } from "../../fix/printable-patch.js";
import type { Output } from "../output.js";

export function printDiff(output: Output, f: FileFix): void {
  const { encoding } = f.input;
  // git treats UTF-16 as binary: a text patch of it would not apply
  if (encoding === "utf-16le" || encoding === "utf-16be") output.err(`${f.input.shown}: UTF-16 file, its diff is not shown (git treats it as binary); run fix without --dry-run to write it`);
  else {
    const { patch, withheld } = printablePatch(f.input.shown.split(sep).join("/"), diffText(f.input.text, encoding), diffText(f.after, encoding), output.printable ?? ((text) => text));
    if (patch) output.out(patch);
    for (const line of withheld) output.err(`${f.input.shown}:${line}: needs a human: this change is not in the patch: a line beside it holds what looks like a secret (a URL query value, a key or a token) or a control, direction-changing or invisible character, and azpol never prints either as it is; run azpol fix without --dry-run to write it, then review it with git diff`);
  }
}
