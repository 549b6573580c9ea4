// The prompt before deploy and mirror --apply write anything: only on a terminal and never under
// --json (a pipeline must say --yes), answered on stderr so stdout stays the plan.
import { createInterface } from "node:readline/promises";
import { AbortError } from "../errors.js";

async function ask(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

/** Whether to apply `pending` changes; without a terminal to ask on (or with --json) it is an AbortError (exit 4). */
export function confirmChanges(pending: number, question: string, json: boolean): Promise<boolean> {
  if (json || !process.stdin.isTTY) throw new AbortError(`${pending} change(s) planned but not confirmed; rerun with --yes to apply without a prompt`);
  return ask(question);
}
