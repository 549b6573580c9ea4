// Commander wiring: each command file declares its flags and calls the core. Only the commands a
// command line needs are loaded (command-table.ts); the others are listed by name and description
// so `azpol --help` and the "did you mean" of an unknown command stay the same.
import { Command, Help } from "commander";
import type { Output } from "./output.js";
import { commandIo } from "./command-io.js";
import { decideColour, setColour } from "./render/colour.js";
import { COMMANDS, commandsToLoad } from "./command-table.js";
import { refuseJsonWithOtherFormat } from "./json-and-format.js";
import { refuseStdinTwice } from "./stdin-once.js";

import { VERSION } from "./program-version.js";

export { VERSION };

/** `load`: the commands to register in full ("all", or names); the default is what `argv` needs. */
export async function createProgram(output: Output, setExit: (code: number) => void, load: "all" | readonly string[] = "all"): Promise<Command> {
  const wanted = (name: string) => load === "all" || load.includes(name);
  const registers = await Promise.all(COMMANDS.map((entry) => (wanted(entry.name) ? entry.load() : Promise.resolve(undefined))));
  const listedOnly = new Map<Command, string>();
  const program = new Command()
    .name("azpol")
    .description("Author, test and deploy custom Azure Policy definitions for Kubernetes (AKS and Arc)")
    .version(VERSION)
    .showHelpAfterError("(run with --help for usage)")
    .option("--no-color", "no colour, also when stdout is a terminal (NO_COLOR does the same)")
    .hook("preAction", (root, command) => {
      setColour(decideColour(process.env, Boolean(process.stdout.isTTY), root.opts<{ color: boolean }>().color));
      refuseJsonWithOtherFormat(command);
      refuseStdinTwice(command);
    })
    .configureOutput({ writeOut: (s) => output.out(s), writeErr: (s) => output.err(s) })
    // a command that is not loaded is shown with the term its module would give it
    .configureHelp({ subcommandTerm: (cmd) => listedOnly.get(cmd) ?? Help.prototype.subcommandTerm.call(new Help(), cmd) })
    .exitOverride();
  const io = commandIo(output, setExit);
  COMMANDS.forEach((entry, i) => {
    const register = registers[i];
    if (register) return register(program, io);
    const listed = program
      .command(entry.name)
      .description(entry.description)
      .allowUnknownOption()
      .allowExcessArguments()
      .action(() => {
        throw new Error(`the ${entry.name} command was run without being loaded`);
      });
    listedOnly.set(listed, entry.term);
  });
  for (const command of program.commands) command.exitOverride().configureOutput({ writeOut: (s) => output.out(s), writeErr: (s) => output.err(s) });
  return program;
}

/** The program with only the commands `argv` needs loaded. */
export function programFor(argv: readonly string[], output: Output, setExit: (code: number) => void): Promise<Command> {
  return createProgram(output, setExit, commandsToLoad(argv));
}
