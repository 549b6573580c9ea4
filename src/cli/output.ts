// Where commands write. Tests pass their own; the bin passes the process streams. runCli puts the
// one output boundary in front of it (output-boundary.ts: no secret, nothing that acts on a terminal).

export interface Output {
  out(text: string): void;
  err(text: string): void;
  /** true when stderr is a terminal (progress lines are only for people) */
  interactive: boolean;
  /** what the output boundary makes of `text` (guardedOutput sets it; fix --dry-run withholds what it would change) */
  printable?: (text: string) => string;
}

export const processOutput: Output = {
  out: (text) => process.stdout.write(text.endsWith("\n") ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith("\n") ? text : `${text}\n`),
  interactive: Boolean(process.stderr.isTTY),
};
