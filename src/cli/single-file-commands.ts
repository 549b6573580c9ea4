// The commands the published bundle also ships as one file each (scripts/bundle-cli.ts), with
// everything the command needs and no other command: `azpol test` runs in every CI job and commit
// hook, on a handful of manifests, where loading matters as much as evaluating. Node resolves,
// reads and links each ES module on its own, and the code-split bundle gives a test run about 60
// of them (~17 ms on Node 22, ~35 ms on Node 20, which has no compile cache); one file takes that
// away. The code-split bundle still serves every other command line, each loading only its own
// command (cli/command-table.ts).
import { setsEngineBounds } from "./engine-bounds-flags.js";

export const SINGLE_FILE_COMMANDS = ["test"] as const;
export type SingleFileCommand = (typeof SINGLE_FILE_COMMANDS)[number];

/** The file of a single-file command, relative to the published entry. */
export const singleFileName = (command: SingleFileCommand): string => `command-${command}.js`;

/**
 * The single-file command a command line runs, or undefined: the first word that is not an option
 * (as cli/command-table.ts's commandsToLoad reads it), and not for its --help (the code-split
 * bundle answers that in less).
 */
export function singleFileCommandFor(argv: readonly string[]): SingleFileCommand | undefined {
  const end = argv.indexOf("--");
  const before = end < 0 ? argv : argv.slice(0, end);
  if (before.includes("--help") || before.includes("-h")) return undefined;
  const first = before.find((a) => !a.startsWith("-"));
  return SINGLE_FILE_COMMANDS.find((c) => c === first);
}

/**
 * Whether the published entry starts the engine before the command's file loads
 * (rego/engine-prestart.ts): every single-file command evaluates on the engine (held by
 * test/bundle.test.ts), unless the command line sets engine bounds.
 */
export function prestartsEngine(argv: readonly string[]): boolean {
  if (singleFileCommandFor(argv) === undefined) return false;
  const end = argv.indexOf("--");
  return !setsEngineBounds(end < 0 ? argv : argv.slice(0, end));
}
