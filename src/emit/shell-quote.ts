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
