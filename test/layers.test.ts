// The layer rule (eslint/layer-order.mjs) that `npm test` runs through eslint: src/ as it is
// keeps it, and the imports it exists to stop (upwards, or from a folder with no floor) fail.
import { ESLint } from "eslint";
import { join } from "node:path";
import { expect, it } from "vitest";
import tseslint from "typescript-eslint";
import { LAYERS, layersPlugin } from "../eslint/layer-order.mjs";

const root = join(import.meta.dirname, "..");
const src = join(root, "src");
// only the layer rule, without type information: fast, and independent of the rest of the config
const eslint = new ESLint({
  cwd: root,
  overrideConfigFile: true,
  overrideConfig: [{ files: ["**/*.ts"], linterOptions: { reportUnusedDisableDirectives: "off" }, languageOptions: { parser: tseslint.parser }, plugins: { azpol: layersPlugin }, rules: { "azpol/layer-order": ["error", { srcDir: src }] } }],
});

async function problems(text: string, file: string): Promise<string[]> {
  const [result] = await eslint.lintText(text, { filePath: join(src, file) });
  return (result?.messages ?? []).map((m) => m.message);
}

it("every module in src/ imports only from its own folder or lower floors", async () => {
  const results = await eslint.lintFiles(["src/**/*.ts"]);
  const found = results.flatMap((r) => r.messages.map((m) => `${r.filePath.slice(root.length + 1)}:${m.line}: ${m.message}`));
  expect(found).toEqual([]);
  expect(results.length).toBeGreaterThan(100);
});

it("the ground floor imports nothing above it, type imports included", async () => {
  expect(LAYERS[0]).toBe("model");
  const found = await problems('import type { PolicyModel } from "../core/policy-model.js";\nexport type X = PolicyModel;\n', "model/probe.ts");
  expect(found).toEqual([expect.stringMatching(/^src\/model \(floor 0\) may not import src\/core \(floor \d+\)/)]);
});

it("an upward import is refused in every form: import, re-export, dynamic import", async () => {
  const text = ['import { runCli } from "../cli/run.js";', 'export { runCli };', 'export * from "../actions/x.js";', 'export async function f() { return import("../cli/program.js"); }'].join("\n");
  expect(await problems(text, "core/probe.ts")).toHaveLength(3);
  // the same imports downwards are fine
  expect(await problems('import { LIMITS } from "../model/azure-limits.js";\nexport { LIMITS };\n', "cli/probe.ts")).toEqual([]);
});

it("a folder with no floor is an error, so a new folder gets a place in the order", async () => {
  expect(await problems("export const a = 1;\n", "somewhere-new/a.ts")).toEqual([expect.stringContaining("src/somewhere-new has no floor")]);
});

it("two folders cannot import each other (one total order)", () => {
  expect(new Set(LAYERS).size).toBe(LAYERS.length);
});
