// Standard input can be read once: `azpol test - -` read it twice and counted every object twice.
// Refused for every command, before any action runs.
import type { Command } from "commander";
import { UsageError } from "../errors.js";

export function refuseStdinTwice(command: Command): void {
  const dashes = command.args.filter((a) => a === "-").length;
  if (dashes > 1) throw new UsageError(`"-" (standard input) is given ${dashes} times; standard input can be read once: give "-" once`);
}
