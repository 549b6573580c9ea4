// How commander finds the command in a command line, for the places that must know it before the
// program is built (command-table.ts: what to load and whether to start the engine early;
// single-file-commands.ts: which bundle file runs it). azpol's own options take no value, so the
// command is the first word before "--" that is not an option; with none there, commander takes
// the words after "--" as the command line (`azpol -- test a.yaml` runs test), so they are read so
// too. Reading them differently once made `azpol -- test` an internal error (exit 70): commander
// ran a command that had not been loaded.

/** The words before "--". */
export function wordsBefore(argv: readonly string[]): readonly string[] {
  const end = argv.indexOf("--");
  return end < 0 ? argv : argv.slice(0, end);
}

/** The command and what follows it, as commander dispatches them: [] when the line names no command. */
export function commandWords(argv: readonly string[]): readonly string[] {
  const end = argv.indexOf("--");
  const words = wordsBefore(argv).filter((a) => !a.startsWith("-"));
  return words.length > 0 || end < 0 ? words : argv.slice(end + 1);
}
