// The single error boundary: turns exceptions into a message and an exit code.
import { CommanderError } from "commander";
import { AzpolError, ExitCode } from "../errors.js";
import { createProgram } from "./program.js";
import type { Output } from "./output.js";

export async function runCli(argv: string[], output: Output): Promise<number> {
  let exitCode: number = ExitCode.Ok;
  const program = createProgram(output, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv, { from: "user" });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version are not errors; commander has already printed the message
      if (err.code === "commander.helpDisplayed" || err.code === "commander.version" || err.code === "commander.help") return ExitCode.Ok;
      return ExitCode.Usage;
    }
    if (err instanceof AzpolError) {
      output.err(`azpol: ${err.message}`);
      return err.exitCode;
    }
    output.err(`azpol: internal error: ${err instanceof Error ? (process.env.AZPOL_DEBUG ? (err.stack ?? err.message) : err.message) : String(err)}`);
    output.err("this is a bug in azpol; rerun with AZPOL_DEBUG=1 for a stack trace and report it");
    return ExitCode.Internal;
  }
}
