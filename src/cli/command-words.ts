// How a command line reads before the program is built, for the places that must know it first:
// command-table.ts (what to load, whether to start the engine
// early) and single-file-commands.ts (which bundle file runs it). One reading, so that they agree
// with each other and with commander:
//   - azpol's own options take no value, so the command is the first word before "--" that is not
//     an option; with none there, commander takes the words after "--" as the command line
//     (`azpol -- test a.yaml` runs test), so they are read so too. Reading them differently once
//     made `azpol -- test` an internal error (exit 70): commander ran a command not loaded;
//   - --eval-timeout and --eval-memory set bounds the engine must start with (GOMEMLIMIT, the
//     watchdog): a line that gives one does not start the engine before its options are read.

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

/** `azpol --version` (or -V) alone, which main.ts answers before anything else loads (the same test, written out there). */
export function asksForVersionOnly(argv: readonly string[]): boolean {
  return argv.length === 1 && (argv[0] === "--version" || argv[0] === "-V");
}

/** --help or -h before "--". */
export function asksForHelp(argv: readonly string[]): boolean {
  const before = wordsBefore(argv);
  return before.includes("--help") || before.includes("-h");
}

/** --eval-timeout or --eval-memory before "--". */
export function setsEngineBounds(argv: readonly string[]): boolean {
  return wordsBefore(argv).some((a) => a.startsWith("--eval-timeout") || a.startsWith("--eval-memory"));
}
