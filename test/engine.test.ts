// The OPA engine (Go → wasm) as the TypeScript side uses it.
import { beforeAll, expect, it } from "vitest";
import { loadEngine, type RegoEngine } from "../src/rego/engine.js";

let engine: RegoEngine;
beforeAll(async () => {
  engine = await loadEngine();
});

const review = (containers: unknown[]) => ({ review: { object: { spec: { containers } } }, parameters: { bad: "evil" } });

it("is OPA 1.3.0, the version Gatekeeper 3.19.1 (the AKS add-on's) links", () => {
  expect(engine.opaVersion).toBe("1.3.0");
  expect(engine.loadMs).toBeGreaterThan(0);
});

it("evaluates a v0 template with Gatekeeper's hook: msg required, details defaulted, sets printed like OPA", () => {
  const t = engine.compile(
    `package anything
violation[{"msg": msg}] {
  c := input.review.object.spec.containers[_]
  contains(c.image, input.parameters.bad)
  msg := sprintf("%v uses %v: %v", [c.name, c.image, {"b", "a"}])
}`,
    [],
    undefined,
  );
  const [result] = t.evaluate([review([{ name: "x", image: "evil/app" }, { name: "y", image: "good/app" }])]);
  expect(result).toEqual({ violations: [{ msg: 'x uses evil/app: {"a", "b"}', details: {} }] });
});

it("supports Rego v1 when the template says version v1", () => {
  const t = engine.compile(`package v1tpl\nviolation contains {"msg": "always"} if { true }`, [], "v1");
  expect(t.evaluate([review([])])[0]?.violations).toEqual([{ msg: "always", details: {} }]);
});

it("reports compile errors with their location, and a template without violation", () => {
  expect(() => engine.compile("package x\nviolation[{\"msg\": m}] { m := }", [], undefined)).toThrow(/rego_parse_error/);
  expect(() => engine.compile("package x\nallow { true }", [], undefined)).toThrow(/missing required rule "violation"/);
  expect(() => engine.compile("package x\nviolation[{\"msg\": m}] { m := undefined_fn(1) }", [], undefined)).toThrow(/undefined function/);
});

it("surfaces runtime errors per review instead of failing the batch", () => {
  // two function bodies giving different outputs for "a" is an eval_conflict_error
  const t = engine.compile(
    `package x
f(v) = 1 { v == "a" }
f(v) = 2 { v == "a" }
violation[{"msg": m}] { m := sprintf("%v", [f(input.review.object.n)]) }
violation[{"msg": "fine"}] { input.review.object.n == "b" }`,
    [],
    undefined,
  );
  const [bad, good] = t.evaluate([
    { review: { object: { n: "a" } }, parameters: {} },
    { review: { object: { n: "b" } }, parameters: {} },
  ]);
  expect(bad?.error).toMatch(/functions must not produce multiple outputs/);
  expect(good).toEqual({ violations: [{ msg: "fine", details: {} }] });
});

it("leaves builtin errors undefined, as Gatekeeper does (non-strict)", () => {
  const t = engine.compile(`package x\nviolation[{"msg": m}] { m := sprintf("%v", [to_number(input.review.object.n)]) }`, [], undefined);
  expect(t.evaluate([{ review: { object: { n: "not-a-number" } }, parameters: {} }])).toEqual([{ violations: [] }]);
});

it("treats a non-string msg as an error, as the constraint framework does", () => {
  const t = engine.compile(`package x\nviolation[{"msg": 42}] { true }`, [], undefined);
  expect(t.evaluate([{ review: {}, parameters: {} }])[0]?.error).toMatch(/msg must be a string/);
});

it("compiles libs under data.lib and rejects other lib packages", () => {
  const t = engine.compile(`package x\nimport data.lib.helpers\nviolation[{"msg": m}] { m := helpers.greet }`, ['package lib.helpers\ngreet := "hi"'], undefined);
  expect(t.evaluate([{ review: {}, parameters: {} }])[0]?.violations).toEqual([{ msg: "hi", details: {} }]);
  expect(() => engine.compile("package x\nviolation[{\"msg\": \"m\"}] { true }", ["package other\nx := 1"], undefined)).toThrow(/must be under data.lib/);
});
