// JSON read from a file azpol was pointed at, parsed without echoing it. Node's SyntaxError quotes
// the text it failed on ('Unexpected token 'Z', "Zx8Q~Super"... is not valid JSON'): when the
// wrong file was passed (a key file, a .env), that quote is the start of a secret, which azpol
// never prints. The error says where instead, by line and column, never what.

export type ParsedJson = { value: unknown } | { error: string };

/** Line and column (1-based) of a character offset in `text`. */
function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split("\n");
  return `line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
}

export function parseJsonText(text: string): ParsedJson {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (e) {
    const message = e instanceof Error ? e.message : "";
    const position = /\bposition (\d+)/.exec(message);
    const where = position ? ` (${lineAndColumn(text, Number(position[1]))})` : /end of JSON input/.test(message) ? " (it ends before the JSON does)" : "";
    return { error: `is not valid JSON${where}` };
  }
}
