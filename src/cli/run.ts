// The single error boundary: turns exceptions into a message and an exit code. With --json,
// every outcome is one JSON document on stdout: a command's own, or {"error": {code, message,
// hint}} when it failed before printing one (usage, credential, Azure and internal errors too).
import { CommanderError } from "commander";
import { AzpolError, ExitCode } from "../errors.js";
import { programFor } from "./program.js";
import type { Output } from "./output.js";
import { guardedOutput } from "./output-boundary.js";

// the boundary as text, for what the bin prints before a run (the engine's early notes)
export { outputText } from "./output-boundary.js";
import { detailedErrorCode, wantsDetailedExitcode } from "./detailed-exitcode.js";
import { formatDiagnostic } from "./render/diagnostics.js";

export interface ErrorDocument {
  error: { code: string; message: string; hint?: string };
}

function wantsJson(argv: string[]): boolean {
  const end = argv.indexOf("--");
  return (end < 0 ? argv : argv.slice(0, end)).includes("--json");
}

export async function runCli(argv: string[], raw: Output): Promise<number> {
  // the output boundary: every line, text or --json, on stdout and stderr, loses URL secrets and
  // the control characters that would act on a terminal here (output.ts)
  const output = guardedOutput(raw);
  let exitCode: number = ExitCode.Ok;
  let printed = false;
  const json = wantsJson(argv);
  const detailed = wantsDetailedExitcode(argv);
  const tracked: Output = {
    ...output,
    out(text) {
      printed = true;
      output.out(text);
    },
  };
  const fail = (code: number, doc: ErrorDocument, text: string[]): number => {
    if (json && !printed) output.out(JSON.stringify(doc, null, 2));
    for (const line of text) output.err(line);
    return detailedErrorCode(code, detailed);
  };
  try {
    const program = await programFor(argv, tracked, (code) => {
      exitCode = code;
    });
    // `azpol` alone asks what azpol can do: the help, on stdout (pageable, as --help), exit 0.
    // Commander's default (help on stderr as an error) reads as a failure for a question.
    if (argv.every((a) => a === "--no-color")) {
      program.outputHelp();
      return ExitCode.Ok;
    }
    await program.parseAsync(argv, { from: "user" });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version are not errors; commander has already printed the message
      if (err.code === "commander.helpDisplayed" || err.code === "commander.version" || err.code === "commander.help") return ExitCode.Ok;
      return fail(ExitCode.Usage, { error: { code: "UsageError", message: err.message.replace(/^error: /, ""), hint: "run with --help for usage" } }, []);
    }
    if (err instanceof AzpolError) {
      return fail(err.exitCode, { error: { code: err.code, message: err.message } }, [...err.diagnostics.map(formatDiagnostic), `azpol: ${err.message}`]);
    }
    const message = err instanceof Error ? err.message : String(err);
    return fail(
      ExitCode.Internal,
      { error: { code: "InternalError", message, hint: "this is a bug in azpol; rerun with AZPOL_DEBUG=1 for a stack trace and report it" } },
      [
        `azpol: internal error: ${err instanceof Error && process.env.AZPOL_DEBUG ? (err.stack ?? message) : message}`,
        "this is a bug in azpol; rerun with AZPOL_DEBUG=1 for a stack trace and report it",
      ],
    );
  }
}
