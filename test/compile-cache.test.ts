// The compile-outcome cache: keyed by the template's content and the engine build, written
// atomically, and trusted by validate/build in place of loading the engine.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { buildSources } from "../src/pipeline/read-sources.js";
import { readAnywhere } from "../src/io/project-boundary.js";
import { compileKey, checkTemplatesCompile } from "../src/pipeline/compile-constraint-templates.js";
import { CompileCache } from "../src/pipeline/compile-cache.js";

const root = join(import.meta.dirname, "..");
const dir = mkdtempSync(join(tmpdir(), "azpol-compile-cache-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("remembers an outcome per content, and a corrupt entry is a miss", () => {
  const cache = new CompileCache(join(dir, "a"));
  expect(cache.get("package x", [], undefined)).toBeUndefined();
  cache.set("package x", [], undefined, { ok: true });
  expect(cache.get("package x", [], undefined)).toEqual({ ok: true });
  expect(cache.get("package x", ["package lib.y"], undefined)).toBeUndefined();
  expect(cache.get("package x", [], "v1")).toBeUndefined();
  const [entry] = readdirSync(join(dir, "a"));
  expect(entry).toMatch(/^[0-9a-f]{64}\.json$/);
  writeFileSync(join(dir, "a", entry as string), "{not json");
  expect(cache.get("package x", [], undefined)).toBeUndefined();
});

it("validate and build use a cached outcome instead of compiling", async () => {
  const built = buildSources([join(root, "definitions")], [], [], readAnywhere());
  expect(built.ok).toBe(true);
  const cache = new CompileCache(join(dir, "b"));
  // the shipped templates compile; a planted failure can only come from the cache
  for (const m of built.models) cache.set(compileKey(m.template), m.template.libs, m.template.regoVersion, { ok: false, error: "planted in the cache" });
  const checked = await checkTemplatesCompile(built, cache);
  expect(checked.ok).toBe(false);
  expect(checked.diagnostics.map((d) => d.code)).toContain("AZP3007");
  expect(checked.diagnostics.every((d) => d.message.includes("planted in the cache"))).toBe(true);
});
