// The lazy command table (src/cli/command-table.ts) against the commands themselves: every row is
// what the command's own module registers, and a command line that loads one command (or none)
// prints the same help, suggestions and completion as one that loads them all.
import { describe, expect, it } from "vitest";
import { COMMANDS, commandsToLoad, startsEngineEarly } from "../src/cli/command-table.js";
import { createProgram } from "../src/cli/program.js";
import { runCli } from "../src/cli/run.js";
import type { Output } from "../src/cli/output.js";

function capture(): { output: Output; text: () => string } {
  const lines: string[] = [];
  return { output: { out: (s) => void lines.push(`out:${s}`), err: (s) => void lines.push(`err:${s}`), interactive: false }, text: () => lines.join("") };
}

describe("command table", () => {
  it("lists every command with the name, term and description its module registers, in order", async () => {
    const program = await createProgram(capture().output, () => undefined, "all");
    const help = program.createHelp();
    const registered = program.commands.map((c) => ({ name: c.name(), term: help.subcommandTerm(c), description: c.description() }));
    expect(COMMANDS.map(({ name, term, description }) => ({ name, term, description }))).toEqual(registered);
  });

  it("loads only the command a line runs, none for the top-level help, all for completion", () => {
    expect(commandsToLoad(["--help"])).toEqual([]);
    expect(commandsToLoad([])).toEqual([]);
    expect(commandsToLoad(["--no-color", "test", "a.yaml", "--json"])).toEqual(["test"]);
    expect(commandsToLoad(["help", "deploy"])).toEqual(["deploy"]);
    expect(commandsToLoad(["completion", "bash"])).toBe("all");
    expect(commandsToLoad(["completion", "--help"])).toEqual(["completion"]);
    // with no command before "--", commander runs the words after it (`azpol -- test`): loaded too
    expect(commandsToLoad(["--", "test"])).toEqual(["test"]);
    expect(commandsToLoad(["--no-color", "--", "help", "deploy"])).toEqual(["deploy"]);
    expect(commandsToLoad(["validate", "--", "test"])).toEqual(["validate"]);
    expect(startsEngineEarly(["--", "test", "m.yaml"])).toBe(true);
  });

  it("a command after \"--\" runs as commander dispatches it, not as an internal error (it was exit 70)", async () => {
    const lazy = capture();
    const code = await runCli(["--", "explain", "AZP1001"], lazy.output);
    expect(code).toBe(0);
    expect(lazy.text()).toContain("AZP1001");
    expect(lazy.text()).not.toContain("internal error");
  });

  it("starts the engine early only for a command that always evaluates, with the engine's default bounds", () => {
    expect(startsEngineEarly(["test", "m.yaml"])).toBe(true);
    expect(startsEngineEarly(["--no-color", "fix", "."])).toBe(true);
    expect(startsEngineEarly(["test", "--help"])).toBe(false);
    expect(startsEngineEarly(["test", "m.yaml", "--eval-timeout", "3"])).toBe(false);
    expect(startsEngineEarly(["test", "--eval-memory=512"])).toBe(false);
    expect(startsEngineEarly(["validate"])).toBe(false);
    expect(startsEngineEarly(["deploy", "--yes"])).toBe(false);
  });

  it("prints the same help, errors and completion whether one command or all are loaded", async () => {
    const lines = [["--help"], ["help"], ["help", "test"], ["tst"], ["completion", "bash"], ...COMMANDS.map((c) => [c.name, "--help"])];
    for (const argv of lines) {
      const lazy = capture();
      const lazyCode = await runCli(argv, lazy.output);
      const full = capture();
      const program = await createProgram(full.output, () => undefined, "all");
      let fullCode = 0;
      try {
        await program.parseAsync(argv, { from: "user" });
      } catch (e) {
        fullCode = (e as { code?: string }).code === "commander.helpDisplayed" || (e as { code?: string }).code === "commander.help" ? 0 : 2;
      }
      expect({ argv, text: lazy.text(), code: lazyCode }).toEqual({ argv, text: full.text(), code: fullCode });
    }
  });
});
