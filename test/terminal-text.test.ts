// What azpol prints cannot take over a terminal nor carry a secret, whatever the input put in it:
// the one boundary (src/cli/output-boundary.ts) and the renderers that escape for
// XML and Markdown, which must redact before they escape (src/io/redact.ts reads raw text).
import { XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { parseJsonText } from "../src/io/json-text.js";
import type { Output } from "../src/cli/output.js";
import { guardedOutput, neutraliseControls, outputText } from "../src/cli/output-boundary.js";
import { paint, setColour } from "../src/cli/render/colour.js";
import { reviewMarkdown } from "../src/cli/render/plan-review.js";
import { toJunit } from "../src/cli/render/test-report.js";
import type { CaseResult } from "../src/io/run-suites.js";

// everything that acts on a terminal instead of showing on it
// eslint-disable-next-line no-control-regex -- the characters under test
const ACTS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069]|\r(?!\n)/;
const HOSTILE = "t\r\u001b[2KPASS \u001b]8;;http://evil/\u0007link\u001b]8;;\u0007 \u001bP+q\u001b\\ \u009b31m \u202eabc\u2066x\u2069 \u200b\u0000\u0007\u007f";

describe("neutraliseControls", () => {
  it("shows every control, direction and invisible character as its escape", () => {
    const shown = neutraliseControls(HOSTILE);
    expect(shown).not.toMatch(ACTS);
    expect(shown).toBe("t\\x0d\\x1b[2KPASS \\x1b]8;;http://evil/\\x07link\\x1b]8;;\\x07 \\x1bP+q\\x1b\\ \\u009b31m \\u202eabc\\u2066x\\u2069 \\u200b\\x00\\x07\\u007f");
  });
  it("keeps tab, newline, CRLF, a byte-order mark and ordinary non-ASCII text", () => {
    for (const text of ["a\tb\nc\r\nd", "\ufeffkind: Pod", "名前 größe café 🚀 עברית"]) expect(neutraliseControls(text)).toBe(text);
  });
});

describe("the output boundary", () => {
  const captured = () => {
    const lines: string[] = [];
    const raw: Output = { out: (t) => lines.push(t), err: (t) => lines.push(t), interactive: false };
    return { lines, output: guardedOutput(raw) };
  };
  it("lets azpol's own colour through and no colour the input brings", () => {
    setColour(true);
    try {
      const text = `${paint.red("FAIL")} ${HOSTILE} \u001b[32mforged\u001b[39m`;
      const printed = outputText(text);
      expect(printed.startsWith("\u001b[31mFAIL\u001b[39m ")).toBe(true);
      expect(printed.slice("\u001b[31mFAIL\u001b[39m ".length)).not.toMatch(ACTS);
      expect(printed).toContain("\\x1b[32mforged");
    } finally {
      setColour(false);
    }
  });
  it("keeps a --json document's exact data: the escapes are JSON's own", () => {
    const doc = { msg: HOSTILE, name: "p\u202e", n: 1 };
    const { lines, output } = captured();
    output.out(JSON.stringify(doc, null, 2));
    expect(lines[0]).not.toMatch(ACTS);
    expect(JSON.parse(lines[0] ?? "")).toEqual(doc);
  });
  it("redacts a --json document's strings before they are JSON-escaped", () => {
    const { lines, output } = captured();
    output.out(JSON.stringify({ msg: 'token answer {"password": "SECRET1"} at https://a/t?sv=1\\u0026sig=SECRET2' }, null, 2));
    expect(lines[0]).not.toMatch(/SECRET/);
    expect(JSON.parse(lines[0] ?? "")).toEqual({ msg: 'token answer {"password": "***"} at https://a/t?sv=***\\u0026sig=***' });
  });
});

describe("renderers that escape redact first", () => {
  const sas = "https://acct.blob.core.windows.net/c/t.yaml?sv=2022-11-02&sig=SIGSECRETMSG&se=2030";
  it("JUnit: a SAS in a case's message is redacted before & becomes &amp;, and controls become escapes in valid XML", () => {
    const cases: CaseResult[] = [{ suite: "s", test: HOSTILE, case: "c", status: "fail", problems: [`got ${sas} and {"password": "PW1"}`] } as CaseResult];
    const xml = outputText(toJunit(cases, [], []));
    expect(xml).not.toMatch(/SIGSECRETMSG|2030|PW1/);
    expect(xml).toContain("sig=***");
    expect(xml).not.toMatch(ACTS);
    expect(XMLValidator.validate(xml)).toBe(true);
  });
  it("Markdown: a SAS in an assignment value is redacted before & becomes &amp;", () => {
    const lines = reviewMarkdown({ changes: [], templates: [], content: [], values: [{ name: "url", current: sas, desired: `${sas}x` }] });
    expect(lines.join("\n")).not.toMatch(/SIGSECRETMSG|2030/);
    expect(lines.join("\n")).toContain("sig=***");
  });
});

describe("a file that is not JSON", () => {
  it("is named by where it stops being JSON, never by what it holds", () => {
    for (const text of ["Zx8Q~SuperSecret", '{"a":\n  Zx8Q~Secret}', '{"a": "Zx8Q~Secret"', '{"a":1,\n "b" 2}']) {
      const parsed = parseJsonText(text);
      expect(parsed).toHaveProperty("error");
      if ("error" in parsed) expect(parsed.error).not.toMatch(/Zx8|Secret|"b"/);
    }
    expect(parseJsonText('{"a":1,\n "b" 2}')).toEqual({ error: "is not valid JSON (line 2, column 6)" });
  });
});
