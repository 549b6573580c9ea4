import { Option, type Command } from "commander";
import { ExitCode } from "../../errors.js";
import type { CommandIo } from "../command-io.js";
import { notProbedLine, validateJson, validateText } from "../render/validate-result.js";
import { addAllowOutsideProjectOption, addParamOption, parseOverrides } from "../flags.js";
import { addNetworkOptions, fetchNetworkFromFlags, type NetworkFlags } from "../network-options.js";

interface ValidateOptions extends NetworkFlags {
  allowOutsideProject?: boolean;
  param?: string[];
  json?: boolean;
  online?: boolean;
  format: "text" | "json" | "sarif";
}

export function registerValidate(program: Command, io: CommandIo): void {
  const { output } = io;
  const command = program
    .command("validate")
    .description("check definition, initiative and assignment sources, their templates and exemptions, without writing anything")
    .argument("[paths...]", "definition or initiative files, or folders (default: definitions, and initiatives and assignments if present)");
  addNetworkOptions(addAllowOutsideProjectOption(addParamOption(command, "override a parameter default (repeatable), checked like the source")))
    .option("--online", "also fetch each PublicURL template and check it is byte for byte the local one (https, 4 MiB, --request-timeout 15 s)")
    .option("--json", "print the result as JSON (as --format json)")
    .addOption(new Option("--format <format>", "text, json, or sarif (SARIF 2.1.0 for code scanning; rules from azpol explain)").choices(["text", "json", "sarif"]).default("text"))
    .addHelpText("after", "\nOffline by default: a PublicURL source's recorded sha256 is checked against the local template.\n--online also checks what the URL serves, as deploy does; --request-timeout bounds each download (default 15 s),\n--deadline all of them (a template not fetched in time is an error naming the deadline).\nazpol explain <code> says what a diagnostic means.\nExit codes: 0 valid, 1 errors found, 2 usage error.")
    .action(io.handler(async (paths: string[], options: ValidateOptions) => {
      const input = { paths, overrides: parseOverrides(options.param), online: options.online === true };
      // the action (the build pipeline, the engine) loads only when the command runs, not for --help
      const { validate } = await import("../../actions/validate.js");
      const result = await validate(input, await io.context({ allowOutsideProject: options.allowOutsideProject, network: fetchNetworkFromFlags(options) }));
      if (options.format === "sarif") output.out((await import("../render/diagnostics-sarif.js")).diagnosticsSarif(result.diagnostics, result.notProbed.map(notProbedLine))); // with the rule catalogue: not loaded for --help
      else if (options.json || options.format === "json") output.out(validateJson(result));
      else for (const line of validateText(result)) output.err(line);
      return result.ok ? ExitCode.Ok : ExitCode.Findings;
    }));
}
