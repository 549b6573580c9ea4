// ARM template expressions, parsed (not pattern-matched): the grammar of "Syntax and
// expressions in ARM templates" (learn.microsoft.com azure-resource-manager/templates/
// template-expressions). A JSON string is an expression when it starts with '[' and ends
// with ']' and does not start with '[[' ('[[' is a literal '['). Inside: a function call
// `name(arg, ...)` followed by any number of `.property` and `[index]` accessors; arguments are
// 'strings' (a quote doubled inside), integers, or nested expressions. Pure.

export type ArmNode =
  | { kind: "string"; value: string }
  | { kind: "number"; value: number }
  | { kind: "call"; name: string; args: ArmNode[] }
  | { kind: "property"; target: ArmNode; name: string }
  | { kind: "index"; target: ArmNode; index: ArmNode };

export type ArmValue = { expression: ArmNode } | { literal: string };

export class ArmSyntaxError extends Error {}

/** What a JSON string means to ARM: an expression, or a literal (with '[[' unescaped). */
export function readArmString(text: string): ArmValue {
  if (!text.startsWith("[") || !text.endsWith("]") || text.length < 2) return { literal: text };
  if (text.startsWith("[[")) return { literal: text.slice(1) };
  return { expression: parseArmExpression(text.slice(1, -1)) };
}

/** Whether ARM evaluates this string (it is "[...]" and not "[[...]"). */
export function isArmExpression(text: string): boolean {
  return text.length >= 2 && text.startsWith("[") && text.endsWith("]") && !text.startsWith("[[");
}

export function parseArmExpression(body: string): ArmNode {
  let pos = 0;
  const fail = (what: string): never => {
    throw new ArmSyntaxError(`${what} at position ${pos + 1} of "${body}"`);
  };
  const skipSpace = () => {
    while (pos < body.length && /\s/.test(body[pos] ?? "")) pos++;
  };
  const peek = () => body[pos];

  const parseString = (): ArmNode => {
    pos++; // opening quote
    let value = "";
    for (;;) {
      if (pos >= body.length) fail("unterminated string");
      const c = body[pos];
      if (c === "'") {
        if (body[pos + 1] === "'") {
          value += "'";
          pos += 2;
          continue;
        }
        pos++;
        return { kind: "string", value };
      }
      value += c;
      pos++;
    }
  };

  const parseNumber = (): ArmNode => {
    const m = /^-?\d+/.exec(body.slice(pos));
    if (!m) return fail("expected a number");
    pos += m[0].length;
    return { kind: "number", value: Number(m[0]) };
  };

  const parseIdentifier = (): string => {
    const m = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(body.slice(pos));
    if (!m) return fail("expected a function name");
    // a dotted name is a user-defined function (namespace.name); policy rules have none, but it parses
    pos += m[0].length;
    return m[0];
  };

  const parseAccessors = (target: ArmNode): ArmNode => {
    let node = target;
    for (;;) {
      skipSpace();
      if (peek() === ".") {
        pos++;
        skipSpace();
        const m = /^[A-Za-z_$][A-Za-z0-9_$-]*/.exec(body.slice(pos));
        if (!m) fail("expected a property name after '.'");
        pos += (m as RegExpExecArray)[0].length;
        node = { kind: "property", target: node, name: (m as RegExpExecArray)[0] };
      } else if (peek() === "[") {
        pos++;
        const index = parseValue();
        skipSpace();
        if (peek() !== "]") fail("expected ']'");
        pos++;
        node = { kind: "index", target: node, index };
      } else return node;
    }
  };

  const parseCall = (): ArmNode => {
    const name = parseIdentifier();
    skipSpace();
    if (peek() !== "(") fail(`expected '(' after ${name}`);
    pos++;
    const args: ArmNode[] = [];
    skipSpace();
    if (peek() === ")") pos++;
    else
      for (;;) {
        args.push(parseValue());
        skipSpace();
        if (peek() === ",") {
          pos++;
          continue;
        }
        if (peek() === ")") {
          pos++;
          break;
        }
        fail("expected ',' or ')'");
      }
    return parseAccessors({ kind: "call", name, args });
  };

  const parseValue = (): ArmNode => {
    skipSpace();
    const c = peek();
    if (c === undefined) return fail("unexpected end");
    if (c === "'") return parseAccessors(parseString());
    if (c === "-" || /\d/.test(c)) return parseNumber();
    return parseCall();
  };

  const node = parseValue();
  skipSpace();
  if (pos !== body.length) fail("unexpected text");
  return node;
}
