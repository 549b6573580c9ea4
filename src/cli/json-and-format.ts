// `--json` and an output `--format` (test, validate, deploy) each pick what is printed on stdout:
// given together they asked for two documents, and which one won used to depend on the command
// (test printed JSON, validate SARIF, which fails validate.schema.json). Refused here, for every
// command, before any action runs. `--format json` is `--json`, so the two together are fine; a
// `--format` that picks an artifact (build's) has no "json" choice and is not an output format.
import type { Command } from "commander";
import { UsageError } from "../errors.js";

export function refuseJsonWithOtherFormat(command: Command): void {
  const format = command.options.find((o) => o.long === "--format");
  if (!format?.argChoices?.includes("json")) return;
  const opts = command.opts<{ json?: boolean; format?: string }>();
  if (opts.json !== true || command.getOptionValueSource("format") === "default" || opts.format === "json") return;
  throw new UsageError(`--json and --format ${String(opts.format)} ask for two different outputs on stdout: give one (--json is --format json)`);
}
