// Which engine a user gets (src/rego/engine-locate.ts), and that both builds give the same
// answers through the CLI: the native binary and the js/wasm fallback.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { locateEngine } from "../src/rego/engine-locate.js";
import { CLI } from "./support/cli.js";

const root = join(import.meta.dirname, "..");

describe("engine location", () => {
  it("prefers the native binary built by npm ci", () => {
    const where = locateEngine({});
    expect(where.kind).toBe("native");
  });

  it("AZPOL_ENGINE=wasm selects the fallback, AZPOL_ENGINE_PATH a binary", () => {
    expect(locateEngine({ AZPOL_ENGINE: "wasm" }).kind).toBe("wasm");
    const native = locateEngine({});
    if (native.kind !== "native") throw new Error("no native engine built");
    expect(locateEngine({ AZPOL_ENGINE_PATH: native.binary })).toEqual({ kind: "native", binary: native.binary, source: "AZPOL_ENGINE_PATH" });
  });

  it("refuses an unknown engine or a missing binary with a message", () => {
    expect(() => locateEngine({ AZPOL_ENGINE: "fast" })).toThrow(/AZPOL_ENGINE=fast is not an engine; use 'native' or 'wasm'/);
    expect(() => locateEngine({ AZPOL_ENGINE_PATH: "/nonexistent/azpol-engine" })).toThrow(/does not exist/);
  });
});

describe("both engines through the CLI", () => {
  const run = (engine: string) => spawnSync(process.execPath, [CLI, "test", "constraint-templates", "--json"], { cwd: root, env: { ...process.env, AZPOL_ENGINE: engine }, encoding: "utf8" });

  it("give the same suite results and messages", () => {
    const native = run("native");
    const wasm = run("wasm");
    expect(native.status).toBe(0);
    expect(wasm.status).toBe(0);
    const cases = (out: string) => (JSON.parse(out) as { cases: unknown[] }).cases;
    expect(cases(native.stdout).length).toBeGreaterThanOrEqual(18);
    expect(cases(wasm.stdout)).toEqual(cases(native.stdout));
  });
});

describe("the wasm fallback says what it cannot do", () => {
  it("azpol test warns that evaluations are not bounded", () => {
    const run = spawnSync(process.execPath, [CLI, "test", "constraint-templates/disallowed-registries/suite.yaml"], { cwd: root, env: { ...process.env, AZPOL_ENGINE: "wasm" }, encoding: "utf8" });
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/warning: the js\/wasm engine cannot bound an evaluation's wall time or memory/);
  });
});
