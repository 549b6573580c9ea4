// The warm plan (src/pipeline/warm-plan.ts): what one run compiled is remembered per folder and
// handed to the next run's engine, which compiles it ahead of time; a plan that is missing,
// corrupt, for another folder or stale only misses. Bounds hold, and an unchanged plan is not
// rewritten. The engine side of the reuse is test/engine-precompile.test.ts.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { planTemplates, readWarmPlan, rememberWarmPlan } from "../src/pipeline/warm-plan.js";
import { locateEngine } from "../src/rego/engine-locate.js";
import { openEngine } from "../src/rego/engine.js";

const cache = mkdtempSync(join(tmpdir(), "azpol-warm-plan-"));
afterAll(() => rmSync(cache, { recursive: true, force: true }));
const env = { AZPOL_CACHE_DIR: cache };

const rego = `package t
violation[{"msg": "no"}] { input.review.object.kind == "Pod" }`;
const source = { rego, libs: [], version: "" };

it("remembers what a folder compiled, and gives it back for that folder only", () => {
  expect(readWarmPlan("/work/a", env)).toEqual([]);
  expect(rememberWarmPlan("/work/a", [source, source], env)).toBe(true);
  expect(readWarmPlan("/work/a", env)).toEqual([source]);
  expect(readWarmPlan("/work/b", env)).toEqual([]);
});

it("does not rewrite a plan that did not change", () => {
  const [file] = readdirSync(join(cache, "warm"));
  const path = join(cache, "warm", file as string);
  // the guarded writer renames a fresh file into place: a rewrite is a new inode
  const inode = statSync(path).ino;
  expect(rememberWarmPlan("/work/a", [source], env)).toBe(false);
  expect(statSync(path).ino).toBe(inode);
  const changed = { ...source, rego: `${rego}\n# changed` };
  expect(rememberWarmPlan("/work/a", [changed], env)).toBe(true);
  expect(statSync(path).ino).not.toBe(inode);
  expect(readWarmPlan("/work/a", env)).toEqual([changed]);
  rememberWarmPlan("/work/a", [source], env);
});

it("a corrupt plan, or one for another folder that shares the file, is a miss", () => {
  rememberWarmPlan("/work/c", [source], env);
  const file = readdirSync(join(cache, "warm")).map((f) => join(cache, "warm", f)).find((f) => readFileSync(f, "utf8").includes('"/work/c"'));
  if (!file) throw new Error("no plan for /work/c");
  writeFileSync(file, "{not json");
  expect(readWarmPlan("/work/c", env)).toEqual([]);
  writeFileSync(file, JSON.stringify({ version: 1, folder: "/work/other", templates: [source] }));
  expect(readWarmPlan("/work/c", env)).toEqual([]);
  writeFileSync(file, JSON.stringify({ version: 1, folder: "/work/c", templates: [{ rego: 1 }, source, { rego: "x", libs: [2], version: "" }] }));
  expect(readWarmPlan("/work/c", env)).toEqual([source]);
  // a file far larger than any plan is not read at all
  writeFileSync(file, JSON.stringify({ version: 1, folder: "/work/c", templates: [source], padding: "x".repeat(9 * 1024 * 1024) }));
  expect(readWarmPlan("/work/c", env)).toEqual([]);
});

it("keeps at most 32 templates and 2 MiB of code", () => {
  const many = Array.from({ length: 40 }, (_, i) => ({ rego: `${rego}\n# ${i}`, libs: [], version: "" }));
  expect(planTemplates(many)).toHaveLength(32);
  const big = { rego: "x".repeat(1024 * 1024 + 1), libs: [], version: "" };
  expect(planTemplates([big, { ...big, rego: `${big.rego}y` }, source])).toEqual([big, source]);
});

it("a cache folder that cannot be written only costs speed", () => {
  const blocked = join(cache, "file-not-folder");
  writeFileSync(blocked, "");
  expect(rememberWarmPlan("/work/d", [source], { AZPOL_CACHE_DIR: blocked })).toBe(false);
});

it("the native engine compiles the plan ahead of time and the run's compile takes it", async () => {
  const engine = await openEngine(locateEngine({ AZPOL_ENGINE: "native" }), { precompile: [source] });
  try {
    const ahead = await engine.compile(rego, [], "");
    const again = await engine.compile(rego, [], "");
    expect([ahead.precompiled, again.precompiled]).toEqual([true, false]);
    const input = { review: { object: { kind: "Pod" } }, parameters: {} };
    const [a, b] = await Promise.all([ahead.evaluate([input]), again.evaluate([input])]);
    expect(a.map((r) => r.violations)).toEqual([[{ msg: "no", details: {} }]]);
    expect(a.map((r) => r.violations)).toEqual(b.map((r) => r.violations));
  } finally {
    engine.close();
  }
});
