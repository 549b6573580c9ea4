// The OPA engine as the TypeScript side uses it, in both builds: the native child process
// (the fast path) and the js/wasm fallback. Every behaviour must be the same in both.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { locateEngine } from "../src/rego/engine-locate.js";
import { openEngine } from "../src/rego/engine.js";
import type { EngineResult, RegoEngine } from "../src/rego/engine-port.js";
import { AKS_POLICY_ADDON, GATEKEEPER_OF_ADDON } from "../src/core/addon-version.js";

const review = (containers: unknown[]) => ({ review: { object: { spec: { containers } } }, parameters: { bad: "evil" } });
// results carry the evaluation's counted cost (checked in its own test): compared without it
const decided = (results: EngineResult[]) => results.map(({ cost: _cost, ...rest }) => rest);

describe.each(["native", "wasm"] as const)("%s engine", (kind) => {
  let engine: RegoEngine;
  beforeAll(async () => {
    // no step limit here, so the wall-clock bound (the last resort) can be seen; the step limit has its own test
    engine = await openEngine(locateEngine({ AZPOL_ENGINE: kind }), { evalTimeoutMs: 2_000, maxSteps: 0 });
  });
  afterAll(() => engine.close());

  it(`is the build asked for, and OPA ${AKS_POLICY_ADDON.opa}, the version ${GATEKEEPER_OF_ADDON} links`, () => {
    expect(engine.kind).toBe(kind);
    expect(engine.opaVersion).toBe(AKS_POLICY_ADDON.opa);
    expect(engine.loadMs).toBeGreaterThan(0);
  });

  it("evaluates a v0 template with Gatekeeper's hook: msg required, details defaulted, sets printed like OPA", async () => {
    const t = await engine.compile(
      `package anything
violation[{"msg": msg}] {
  c := input.review.object.spec.containers[_]
  contains(c.image, input.parameters.bad)
  msg := sprintf("%v uses %v: %v", [c.name, c.image, {"b", "a"}])
}`,
      [],
      undefined,
    );
    const [result] = decided(await t.evaluate([review([{ name: "x", image: "evil/app" }, { name: "y", image: "good/app" }])]));
    expect(result).toEqual({ violations: [{ msg: 'x uses evil/app: {"a", "b"}', details: {} }] });
  });

  it("supports Rego v1 when the template says version v1", async () => {
    const t = await engine.compile(`package v1tpl\nviolation contains {"msg": "always"} if { true }`, [], "v1");
    expect((await t.evaluate([review([])]))[0]?.violations).toEqual([{ msg: "always", details: {} }]);
  });

  it("reports compile errors with their location, and a template without violation", async () => {
    await expect(engine.compile("package x\nviolation[{\"msg\": m}] { m := }", [], undefined)).rejects.toThrow(/rego_parse_error/);
    await expect(engine.compile("package x\nallow { true }", [], undefined)).rejects.toThrow(/missing required rule "violation"/);
    await expect(engine.compile("package x\nviolation[{\"msg\": m}] { m := undefined_fn(1) }", [], undefined)).rejects.toThrow(/undefined function/);
  });

  it("surfaces runtime errors per review instead of failing the batch", async () => {
    // two function bodies giving different outputs for "a" is an eval_conflict_error
    const t = await engine.compile(
      `package x
f(v) = 1 { v == "a" }
f(v) = 2 { v == "a" }
violation[{"msg": m}] { m := sprintf("%v", [f(input.review.object.n)]) }
violation[{"msg": "fine"}] { input.review.object.n == "b" }`,
      [],
      undefined,
    );
    const [bad, good] = decided(
      await t.evaluate([
        { review: { object: { n: "a" } }, parameters: {} },
        { review: { object: { n: "b" } }, parameters: {} },
      ]),
    );
    expect(bad?.error).toMatch(/functions must not produce multiple outputs/);
    expect(good).toEqual({ violations: [{ msg: "fine", details: {} }] });
  });

  it("leaves builtin errors undefined, as Gatekeeper does (non-strict)", async () => {
    const t = await engine.compile(`package x\nviolation[{"msg": m}] { m := sprintf("%v", [to_number(input.review.object.n)]) }`, [], undefined);
    expect(decided(await t.evaluate([{ review: { object: { n: "not-a-number" } }, parameters: {} }]))).toEqual([{ violations: [] }]);
  });

  it("treats a non-string msg as an error, as the constraint framework does", async () => {
    const t = await engine.compile(`package x\nviolation[{"msg": 42}] { true }`, [], undefined);
    expect((await t.evaluate([{ review: {}, parameters: {} }]))[0]?.error).toMatch(/msg must be a string/);
  });

  it("compiles libs under data.lib and rejects other lib packages", async () => {
    const t = await engine.compile(`package x\nimport data.lib.helpers\nviolation[{"msg": m}] { m := helpers.greet }`, ['package lib.helpers\ngreet := "hi"'], undefined);
    expect((await t.evaluate([{ review: {}, parameters: {} }]))[0]?.violations).toEqual([{ msg: "hi", details: {} }]);
    await expect(engine.compile("package x\nviolation[{\"msg\": \"m\"}] { true }", ["package other\nx := 1"], undefined)).rejects.toThrow(/must be under data.lib/);
  });

  it("evaluates many batches at once and returns each to its caller", async () => {
    const t = await engine.compile(`package x\nviolation[{"msg": m}] { m := sprintf("n=%v", [input.review.object.n]) }`, [], undefined);
    const batches = await Promise.all(Array.from({ length: 8 }, (_, b) => t.evaluate(Array.from({ length: 50 }, (_, i) => ({ review: { object: { n: b * 50 + i } }, parameters: {} })))));
    expect(batches.flat().map((r) => r.violations[0]?.msg)).toEqual(Array.from({ length: 400 }, (_, i) => `n=${i}`));
  });

  it("counts each evaluation's steps and input size, and stops one at its step limit (deterministic: both builds)", async () => {
    const limited = await openEngine(locateEngine({ AZPOL_ENGINE: kind }), { evalTimeoutMs: 0, maxSteps: 50_000 });
    try {
      const counted = await engine.compile(`package x\nviolation[{"msg": c.name}] { c := input.review.object.spec.containers[_]; contains(c.image, "evil") }`, [], undefined);
      const [a, b] = await counted.evaluate([review([{ name: "x", image: "evil/app" }]), review([{ name: "x", image: "evil/app" }, { name: "y", image: "good/app" }])]);
      expect(a?.cost?.steps).toBeGreaterThan(0);
      expect(b?.cost?.steps).toBeGreaterThan(a?.cost?.steps ?? 0);
      expect(b?.cost?.inputNodes).toBeGreaterThan(a?.cost?.inputNodes ?? 0);
      expect((await counted.evaluate([review([{ name: "x", image: "evil/app" }])]))[0]?.cost).toEqual(a?.cost);
      const slow = await limited.compile(`package x\nviolation[{"msg": "slow"}] { count([x | numbers.range(1, 100000000)[x]]) > 0 }`, [], undefined);
      const [r] = await slow.evaluate([{ review: {}, parameters: {} }]);
      expect(r).toMatchObject({ violations: [], cost: { steps: 50_000, stopped: true } });
      expect(r?.timedOut).toBeUndefined();
    } finally {
      limited.close();
    }
  });

  it.runIf(kind === "native")("bounds each evaluation in time and says so", async () => {
    const t = await engine.compile(`package x\nviolation[{"msg": "slow"}] { count([x | numbers.range(1, 100000000)[x]]) > 0 }`, [], undefined);
    const [r] = await t.evaluate([{ review: {}, parameters: {} }]);
    expect(r?.timedOut).toBe(true);
    expect(r?.error).toMatch(/evaluation timed out after 2s/);
  });
});

describe.runIf(process.platform === "linux")("native engine memory bound", () => {
  it("stops an evaluation that outgrows --eval-memory, and says so", async () => {
    const engine = await openEngine(locateEngine({ AZPOL_ENGINE: "native" }), { evalTimeoutMs: 120_000, memoryLimitMiB: 150, maxSteps: 0 });
    try {
      const t = await engine.compile(`package x\nviolation[{"msg": "big"}] { xs := [y | y := numbers.range(1, 100000000)[_]]; count(xs) > 0 }`, [], undefined);
      await expect(t.evaluate([{ review: {}, parameters: {} }])).rejects.toThrow(/the engine used more than 150 MiB evaluating a template, and was stopped \(raise --eval-memory/);
    } finally {
      engine.close();
    }
  });
});
