// Quoting for the scripts azpol writes: POSIX sh single quotes ('it'\''s') and PowerShell
// single-quoted strings ('it''s'); neither expands $ or backticks inside.

export function shQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export function psQuote(value: string): string {
  // PowerShell also treats the typographic quotes U+2018/U+2019/U+201A/U+201B as quote marks
  return `'${value.replace(/['\u2018\u2019\u201A\u201B]/g, (q) => q + q)}'`;
}

/** Text safe inside a one-line comment of any emitted file: control characters become '?'. */
export function commentSafe(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, "?");
}

/**
 * An az option with its value as one word, `--name='-x'`: az's argparse takes a separate word that
 * starts with '-' for the next option ("argument -n/--name: expected one argument", azure-cli 2.91),
 * and Azure allows names and display names that start with '-'. Every free value goes this way.
 */
export function shOption(flag: string, value: string): string {
  return `${flag}=${shQuote(value)}`;
}
