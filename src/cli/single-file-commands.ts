// The command lines the published bundle also serves from one file each (scripts/bundle-cli.ts).
// Node resolves, reads and links each ES module on its own, and Node 20 has no compile cache: a
// code-split bundle pays for its module count on every start.
//   - `azpol test` runs in every CI job and commit hook, on a handful of manifests, where loading
//     matters as much as evaluating: the code-split bundle gave it about 60 modules (~17 ms on Node
//     22, ~35 ms on Node 20); command-test.js holds the command and all it loads, no other command.
//   - help (`--help`, `-h`, `help [cmd]`, or no command): up to 24 modules (~20 ms on Node 20);
//     help.js holds the program and every command's flags, but no action (help never runs one).
// The code-split bundle (main.js) serves every other command line, each loading only its own
// command (cli/command-table.ts), and `--version`, which loads nothing else.
import { asksForHelp, asksForVersionOnly, commandWords, setsEngineBounds, wordsBefore } from "./command-words.js";

export const SINGLE_FILE_COMMANDS = ["test"] as const;
export type SingleFileCommand = (typeof SINGLE_FILE_COMMANDS)[number];
export type SingleFile = SingleFileCommand | "help";

/** The file, relative to the published entry. */
export const singleFileName = (file: SingleFile): string => (file === "help" ? "help.js" : `command-${file}.js`);

/**
 * The single file a command line runs from, or undefined (main.js): help when it asks for help or
 * names no command (as commander reads it: command-words.ts), a single-file command's own file else.
 */
export function singleFileFor(argv: readonly string[]): SingleFile | undefined {
  if (asksForVersionOnly(argv)) return undefined;
  const before = wordsBefore(argv);
  const first = commandWords(argv)[0];
  if (asksForHelp(argv) || first === "help" || (first === undefined && !before.includes("--version") && !before.includes("-V"))) return "help";
  return SINGLE_FILE_COMMANDS.find((c) => c === first);
}

/**
 * Whether the published entry starts the engine before the command's file loads
 * (rego/engine-prestart.ts): every single-file command evaluates on the engine (held by
 * test/bundle.test.ts), unless the command line sets engine bounds.
 */
export function prestartsEngine(argv: readonly string[]): boolean {
  const file = singleFileFor(argv);
  return file !== undefined && file !== "help" && !setsEngineBounds(argv);
}
