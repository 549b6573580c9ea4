// Colour for people, never for machines: on when stdout is a terminal, off with NO_COLOR
// (no-color.org) or --no-color; FORCE_COLOR=1 turns it on without a terminal. --json, JUnit,
// SARIF and Markdown are never coloured.
// Stays process-wide on purpose: colour is a property of this process's stdout (a terminal or not)
// and of --no-color, decided once in program.ts's preAction hook; only the CLI's renderers read it,
// and no action ever sees it (actions return data), so two ActionContexts cannot disagree about it.
// The sequences are written as marks, which the output boundary (cli/output-boundary.ts) turns into ESC after
// it has neutralised every control character the text brought along: only azpol's colour gets
// through. The mark is random per process and never printed, so input cannot know it (Math.random
// is enough for that; node:crypto is not loaded for --help).
const MARK = `\u{e000}${[0, 1, 2, 3].map(() => Math.random().toString(36).slice(2, 10)).join("")}[`;

/** azpol's own colour in a text, as written here: group 1 is the SGR codes. */
export const MARKED_SGR = new RegExp(`${MARK.replace("[", "\\[")}(\\d+(?:;\\d+)*)m`, "g");

/** Whether `text` holds any of azpol's own colour. */
export const hasColour = (text: string): boolean => text.includes(MARK);

const colourSequence = (codes: string): string => `${MARK}${codes}m`;

let enabled = false;

export function decideColour(env: NodeJS.ProcessEnv, stdoutIsTTY: boolean, flag: boolean): boolean {
  if (!flag) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "" && env.FORCE_COLOR !== "0") return true;
  return stdoutIsTTY;
}

export function setColour(on: boolean): void {
  enabled = on;
}

const wrap = (open: number, close: number) => (text: string) => (enabled ? `${colourSequence(String(open))}${text}${colourSequence(String(close))}` : text);

export const paint = {
  green: wrap(32, 39),
  red: wrap(31, 39),
  yellow: wrap(33, 39),
  cyan: wrap(36, 39),
  dim: wrap(2, 22),
  bold: wrap(1, 22),
};
