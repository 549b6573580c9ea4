// Where commands write. Tests pass their own; the bin passes the process streams.
export interface Output {
  out(text: string): void;
  err(text: string): void;
  /** true when stderr is a terminal (progress lines are only for people) */
  interactive: boolean;
}

export const processOutput: Output = {
  out: (text) => process.stdout.write(text.endsWith("\n") ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith("\n") ? text : `${text}\n`),
  interactive: Boolean(process.stderr.isTTY),
};
