// Terminal manners: colour only for people (a terminal, or FORCE_COLOR), never with NO_COLOR,
// --no-color or --json; and shell completion made from the commands themselves, checked with bash.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { azpol } from "../support/cli.js";

const dir = mkdtempSync(join(tmpdir(), "azpol-terminal-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ESC = "\u001b[";

beforeAll(() => {
  expect(azpol(["new", "--preset", "k8s-gcr-deprecation"], { cwd: dir }).status).toBe(0);
  mkdirSync(join(dir, "m"));
  writeFileSync(join(dir, "m", "p.yaml"), "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: a}\nspec: {containers: [{name: c, image: k8s.gcr.io/pause:3.9}]}\n");
});

describe("colour", () => {
  it("is on for a terminal (FORCE_COLOR stands in for one here) and off with NO_COLOR, --no-color or --json", () => {
    expect(azpol(["test", "m"], { cwd: dir, env: { FORCE_COLOR: "1" } }).stdout).toContain(`${ESC}31mdeny`);
    expect(azpol(["test", "m"], { cwd: dir, env: { FORCE_COLOR: "", NO_COLOR: "" } }).stdout).not.toContain(ESC);
    expect(azpol(["test", "m"], { cwd: dir, env: { FORCE_COLOR: "1", NO_COLOR: "1" } }).stdout).not.toContain(ESC);
    expect(azpol(["test", "m", "--no-color"], { cwd: dir, env: { FORCE_COLOR: "1" } }).stdout).not.toContain(ESC);
    expect(azpol(["test", "m", "--json"], { cwd: dir, env: { FORCE_COLOR: "1" } }).stdout).not.toContain(ESC);
  });
});

describe("azpol completion", () => {
  it("bash: completes commands and each command's flags", () => {
    const script = azpol(["completion", "bash"], { cwd: dir }).stdout;
    writeFileSync(join(dir, "c.sh"), script);
    const complete = (words: string[]) => {
      const run = spawnSync("bash", ["-c", `source ${join(dir, "c.sh")}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")}); COMP_CWORD=${words.length - 1}; _azpol; printf '%s\\n' "\${COMPREPLY[@]}"`], { encoding: "utf8" });
      expect(run.stderr).toBe("");
      return run.stdout.trim().split("\n");
    };
    expect(complete(["azpol", "de"])).toEqual(["deploy"]);
    expect(complete(["azpol", "deploy", "--pr"])).toEqual(["--prune"]);
    expect(complete(["azpol", "fix", "--dr"])).toEqual(["--dry-run"]);
  });

  it("zsh and pwsh scripts name every command (their shells are not on this machine to run them)", () => {
    for (const shell of ["zsh", "pwsh"]) {
      const script = azpol(["completion", shell], { cwd: dir }).stdout;
      for (const command of ["new", "validate", "build", "publish", "import", "fix", "test", "deploy", "status"]) expect(script).toContain(command);
    }
    expect(azpol(["completion", "fish"], { cwd: dir }).status).toBe(2);
  });
});
