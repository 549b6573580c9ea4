// The engine's speculative compiles (engine/precompile.go), at the protocol level on the native
// engine: a compile of exactly what was precompiled takes that result (and says so), once; any
// other compile, or a second one, compiles as usual; a template that fails gives the same error
// either way; a repeated precompile is not started twice.
import { afterAll, beforeAll, expect, it } from "vitest";
import { locateEngine } from "../src/rego/engine-locate.js";
import { openTransport } from "../src/rego/engine-transport.js";
import type { EngineTransport } from "../src/rego/engine-transport.js";

const good = `package anything
violation[{"msg": msg}] {
  c := input.review.object.spec.containers[_]
  startswith(c.image, "k8s.gcr.io/")
  msg := sprintf("%v uses the frozen registry", [c.name])
}`;
const lib = `package lib.helpers
frozen(image) { startswith(image, "k8s.gcr.io/") }`;
const broken = "package broken\nviolation[{\"msg\": msg}] { msg := undefined_function(1) }";
const input = { review: { object: { spec: { containers: [{ name: "app", image: "k8s.gcr.io/pause:3.9" }] } } }, parameters: {} };

let engine: EngineTransport;
beforeAll(async () => {
  engine = await openTransport(locateEngine({ AZPOL_ENGINE: "native" }));
});
afterAll(() => engine.close());

const compile = (rego: string, libs: string[] = [], version = "") => engine.request({ op: "compile", rego, libs, version });
const evaluate = (template: unknown) => engine.request({ op: "evaluate", template, inputs: [input], timeoutMs: 0, maxSteps: 0 });

it("a compile of what was precompiled takes that result, once, and evaluates the same", async () => {
  const started = await engine.request({ op: "precompile", templates: [{ rego: good, libs: [lib], version: "" }] });
  expect(started.started).toBe(1);
  expect((await engine.request({ op: "precompile", templates: [{ rego: good, libs: [lib], version: "" }] })).started).toBe(0);
  const ahead = await compile(good, [lib]);
  expect(ahead.precompiled).toBe(true);
  const again = await compile(good, [lib]);
  expect(again.precompiled).toBeUndefined();
  expect(again.template).not.toBe(ahead.template);
  const [a, b] = await Promise.all([evaluate(ahead.template), evaluate(again.template)]);
  expect(a.results).toEqual(b.results);
  expect((a.results as { violations: unknown[] }[])[0]?.violations).toEqual([{ msg: "app uses the frozen registry", details: {} }]);
});

it("only the same Rego, libs and Rego version match", async () => {
  await engine.request({ op: "precompile", templates: [{ rego: good, libs: [], version: "" }] });
  expect((await compile(good, [lib])).precompiled).toBeUndefined();
  expect((await compile(good, [], "v1")).error).toBeDefined(); // v0 syntax refused as v1, not matched to the v0 compile
  expect((await compile(good, [])).precompiled).toBe(true);
});

it("a template that fails gives the error a fresh compile gives", async () => {
  await engine.request({ op: "precompile", templates: [{ rego: broken, libs: [], version: "" }] });
  const ahead = await compile(broken);
  const fresh = await compile(broken);
  expect(ahead.template).toBeUndefined();
  expect(typeof ahead.error).toBe("string");
  expect(ahead.error).toBe(fresh.error);
});

it("requests that are not templates are ignored, not fatal", async () => {
  const reply = await engine.request({ op: "precompile", templates: [] });
  expect(reply.started).toBe(0);
  expect((await engine.request({ op: "version" })).gatekeeper).toBe(true);
});
