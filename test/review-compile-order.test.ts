// Every policy's template compiles at once (the engine answers concurrently), yet a review that
// meets templates which do not compile always fails with the first policy's error, whichever
// compilation the engine finishes first, and fails even when no object matched the constraint.
import { beforeAll, describe, expect, it } from "vitest";
import { loadEngine } from "../src/rego/engine.js";
import { reviewObjects, type Policy } from "../src/rego/evaluate.js";
import { TemplateCache } from "../src/rego/template-cache.js";

const template = (name: string, rego: string) =>
  ({ name, kind: name, rego: `package ${name}\n${rego}`, libs: [], schema: {}, object: {} }) as unknown as Policy["template"];
const policy = (name: string, rego: string, kinds = ["Pod"]): Policy => ({
  template: template(name, rego),
  constraint: { kind: name, name: `${name}-c`, match: { kinds: [{ apiGroups: [""], kinds }] }, parameters: {}, enforcementAction: "deny" },
});
const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "default" }, spec: { containers: [{ name: "c", image: "nginx" }] } };

describe("concurrent compilation in a review", () => {
  let engine: Awaited<ReturnType<typeof loadEngine>>;
  beforeAll(async () => {
    engine = await loadEngine();
  });

  it("fails with the first policy's compile error, every time", async () => {
    // the first template is long (slower to compile), the second fails at once
    const slowBroken = Array.from({ length: 300 }, (_, i) => `r${i}(x) = y { y := x + ${i} }`).join("\n") + '\nviolation[{"msg": m}] { m := undefined_fn(1) }';
    for (let run = 0; run < 5; run++) {
      const cache = new TemplateCache(engine);
      const policies = [policy(`first${run}`, slowBroken), policy(`second${run}`, 'violation[{"msg": m}] { m := }')];
      await expect(reviewObjects(cache, policies, [pod])).rejects.toThrow(/undefined function/);
    }
  });

  it("fails when the template does not compile, though no object matched it", async () => {
    const cache = new TemplateCache(engine);
    await expect(reviewObjects(cache, [policy("nomatch", 'violation[{"msg": m}] { m := }', ["Deployment"])], [pod])).rejects.toThrow(/rego_parse_error/);
  });

  it("judges with every template when they compile", async () => {
    const cache = new TemplateCache(engine);
    const found = await reviewObjects(cache, [policy("a", 'violation[{"msg": "from a"}] { true }'), policy("b", 'violation[{"msg": "from b"}] { true }')], [pod]);
    expect(found[0]?.map((v) => v.msg)).toEqual(["from a", "from b"]);
  });
});
