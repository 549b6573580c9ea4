// Every shipped gator suite passes with azpol's engine (gator itself checks the same suites
// in CI: scripts/gator-differential.ts).
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { findFiles } from "../src/io/find-files.js";
import { runSuite } from "../src/io/run-suites.js";
import { readAnywhere } from "../src/io/project-boundary.js";
import { loadEngine } from "../src/rego/engine.js";
import { TemplateCache } from "../src/rego/template-cache.js";

const root = join(import.meta.dirname, "..");
let cache: TemplateCache;
beforeAll(async () => {
  cache = new TemplateCache(await loadEngine());
});

const suites = findFiles(join(root, "constraint-templates"), (n) => n === "suite.yaml");

it("finds a suite per template", () => {
  expect(suites).toHaveLength(2);
});

for (const suite of suites) {
  describe(suite.slice(root.length + 1), () => {
    it("passes every case", async () => {
      const results = await runSuite(suite, cache, readAnywhere());
      expect(results.length).toBeGreaterThanOrEqual(9);
      expect(results.filter((r) => r.status !== "pass").map((r) => `${r.case}: ${r.problems.join("; ")}`)).toEqual([]);
    });
  });
}
