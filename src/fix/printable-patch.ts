// The --dry-run patch as it may be printed. azpol never prints a secret nor a character that acts
// on the terminal: every byte it writes to stdout passes the CLI's output boundary (src/cli/output-boundary.ts
// printable(), given here as `boundary`).
// A manifest line beside an image, such as a URL with a SAS or a token in its query, or a value
// holding ESC or U+202E, would be changed inside the patch, and git apply would then refuse a
// context line that is not in the file. So a hunk that the boundary would change is not
// printed at all: the patch on stdout holds only hunks that apply as printed (fixes never change
// the line count, so the hunks are independent), and each withheld one is named for a human.
import { unifiedDiffHunks } from "./unified-diff.js";

export interface PrintablePatch {
  /** the patch, byte for byte what git apply gets ("" when nothing can be printed) */
  patch: string;
  /** the first line of each hunk withheld because printing it would print a secret or a control character */
  withheld: number[];
}

export function printablePatch(file: string, before: string, after: string, boundary: (text: string) => string): PrintablePatch {
  const { header, hunks } = unifiedDiffHunks(file, before, after);
  const text = (lines: string[]) => `${lines.join("\n")}\n`;
  const printable = (lines: string[]) => boundary(text(lines)) === text(lines);
  const none = { patch: "", withheld: hunks.map((h) => h.start) };
  if (!printable(header)) return none;
  const shown = hunks.filter((h) => printable([...header, ...h.lines]));
  const patch = shown.length ? text([...header, ...shown.flatMap((h) => h.lines)]) : "";
  // redaction could still join two hunks that are clean alone (a "Bearer" ending one): then nothing
  if (boundary(patch) !== patch) return none;
  return { patch, withheld: hunks.filter((h) => !shown.includes(h)).map((h) => h.start) };
}
