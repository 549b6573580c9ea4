import type { Command } from "commander";
import { ExitCode } from "../../errors.js";
import { setProjectBoundary } from "../../io/project-boundary.js";
import type { Output } from "../output.js";
import { diagnosticJson, formatDiagnostic, formatSummary } from "../render/diagnostics.js";
import { collect, loadAndBuild, parseOverrides, withRegoCheck } from "./load.js";

interface ValidateOptions {
  allowOutsideProject?: boolean;
  param?: string[];
  json?: boolean;
}

export function registerValidate(program: Command, output: Output, setExit: (code: number) => void): void {
  program
    .command("validate")
    .description("check definition sources and their templates without writing anything")
    .argument("[paths...]", "definition files or folders")
    .option("--param <name=value>", "override a parameter default (repeatable), checked like the source", collect)
    .option("--allow-outside-project", "let definitions and suites point at files outside the working folder")
    .option("--json", "print the result as JSON")
    .addHelpText("after", "\nExit codes: 0 valid, 1 errors found, 2 usage error.")
    .action(async (paths: string[], options: ValidateOptions) => {
      setProjectBoundary(options.allowOutsideProject === true ? undefined : process.cwd());
      const result = await withRegoCheck(loadAndBuild(paths, [], parseOverrides(options.param)));
      if (options.json) {
        output.out(JSON.stringify({ ok: result.ok, files: result.files.length, diagnostics: result.diagnostics.map(diagnosticJson) }, null, 2));
      } else {
        for (const d of result.diagnostics) output.err(formatDiagnostic(d));
        output.err(formatSummary(result.diagnostics, result.files.length));
      }
      setExit(result.ok ? ExitCode.Ok : ExitCode.Findings);
    });
}
