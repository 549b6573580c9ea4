// Commander wiring: each command file declares its flags and calls the core.
import { Command } from "commander";
import { registerBuild } from "./commands/build.js";
import { registerDeploy } from "./commands/deploy.js";
import { registerNew } from "./commands/new.js";
import { registerStatus } from "./commands/status.js";
import { registerTest } from "./commands/test.js";
import { registerValidate } from "./commands/validate.js";
import { registerExplain } from "./commands/explain.js";
import { registerPublish } from "./commands/publish.js";
import { registerImport } from "./commands/import.js";
import { registerFix } from "./commands/fix.js";
import { registerImpact } from "./commands/impact.js";
import { registerMirror } from "./commands/mirror.js";
import type { Output } from "./output.js";
import { commandIo } from "./command-io.js";
import { decideColour, setColour } from "./render/colour.js";
import { registerCompletion } from "./commands/completion.js";
import { registerBench } from "./commands/bench.js";

import { VERSION } from "./program-version.js";

export { VERSION };

export function createProgram(output: Output, setExit: (code: number) => void): Command {
  const program = new Command()
    .name("azpol")
    .description("Author, test and deploy custom Azure Policy definitions for Kubernetes (AKS and Arc)")
    .version(VERSION)
    .showHelpAfterError("(run with --help for usage)")
    .option("--no-color", "no colour, also when stdout is a terminal (NO_COLOR does the same)")
    .hook("preAction", (root) => setColour(decideColour(process.env, Boolean(process.stdout.isTTY), root.opts<{ color: boolean }>().color)))
    .configureOutput({ writeOut: (s) => output.out(s), writeErr: (s) => output.err(s) })
    .exitOverride();
  const io = commandIo(output, setExit);
  registerNew(program, io);
  registerValidate(program, io);
  registerExplain(program, io);
  registerBuild(program, io);
  registerPublish(program, io);
  registerImport(program, io);
  registerFix(program, io);
  registerImpact(program, io);
  registerMirror(program, io);
  registerTest(program, io);
  registerDeploy(program, io);
  registerStatus(program, io);
  registerBench(program, io);
  registerCompletion(program, io);
  for (const command of program.commands) command.exitOverride().configureOutput({ writeOut: (s) => output.out(s), writeErr: (s) => output.err(s) });
  return program;
}
