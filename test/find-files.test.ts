// findFiles (src/io/find-files.ts) walks folders in code-unit order, the same on every machine:
// the order of definitions, suites and assignments, and so of everything built from them, must
// not depend on the user's locale (localeCompare did: under LANG=lt_LT "y" sorts before "j").
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { findFiles } from "../src/io/find-files.js";

const dir = mkdtempSync(join(tmpdir(), "azpol-find-files-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const names = ["y-policy", "j-policy", "Beta", "alpha", "_under", "10", "9", ".hidden", "node_modules"];
for (const n of names) {
  mkdirSync(join(dir, n));
  writeFileSync(join(dir, n, "definition.yaml"), "");
}
const expected = ["10", "9", "Beta", "_under", "alpha", "j-policy", "y-policy"].map((n) => join(dir, n, "definition.yaml"));

it("walks in code-unit order, skipping dot folders and node_modules", () => {
  expect(findFiles(dir, (n) => n === "definition.yaml")).toEqual(expected);
});

it("gives the same order under a locale that collates differently", () => {
  const built = join(import.meta.dirname, "..", "dist", "src", "io", "find-files.js");
  const script = `import { findFiles } from ${JSON.stringify(built)}; process.stdout.write(JSON.stringify(findFiles(${JSON.stringify(dir)}, (n) => n === "definition.yaml")));`;
  for (const LANG of ["lt_LT.UTF-8", "C"]) {
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { env: { ...process.env, LANG, LC_ALL: LANG }, encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(expected);
  }
});
