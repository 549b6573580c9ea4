// --eval-timeout and --eval-memory set bounds the engine must start with (GOMEMLIMIT, the
// watchdog): a command line that gives one does not start the engine before its options are read.
// One rule for both places that start it early (command-table.ts's startsEngineEarly, and the
// published entry's prestart, cli/bundle-entry.ts).

/** Whether the words before "--" set an engine bound. */
export function setsEngineBounds(before: readonly string[]): boolean {
  return before.some((a) => a.startsWith("--eval-timeout") || a.startsWith("--eval-memory"));
}
