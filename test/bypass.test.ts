// The bypass corpus through the real templates and the real OPA engine: every entry must
// get its expected decision. A "deny" entry that is allowed is a bypass.
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { ConstraintTemplate } from "../src/core/constraint-template.js";
import { readTemplateFile } from "../src/io/load-definitions.js";
import { loadEngine } from "../src/rego/engine.js";
import { reviewObjects } from "../src/rego/evaluate.js";
import { TemplateCache } from "../src/rego/template-cache.js";
import { POD_BEARING_KIND_NAMES } from "../src/core/pod-bearing-kinds.js";
import { CORPUS_FILES, readCorpus } from "./support/bypass-corpus.js";

const root = join(import.meta.dirname, "..");
let cache: TemplateCache;

beforeAll(async () => {
  cache = new TemplateCache(await loadEngine());
});

it("the corpus has at least 100 entries, with both decisions and every container field", () => {
  const all = CORPUS_FILES.flatMap((f) => readCorpus(root, f).cases);
  expect(all.length).toBeGreaterThanOrEqual(100);
  expect(new Set(all.map((c) => c.expect))).toEqual(new Set(["deny", "allow"]));
  expect(new Set(all.map((c) => c.field ?? "containers"))).toEqual(new Set(["containers", "initContainers", "ephemeralContainers"]));
  expect(new Set(all.map((c) => c.kind ?? "Pod"))).toEqual(new Set(POD_BEARING_KIND_NAMES));
});

for (const file of CORPUS_FILES) {
  describe(file, () => {
    const corpus = readCorpus(root, file);
    const template = readTemplateFile(corpus.templateFile) as ConstraintTemplate;
    const constraint = { kind: template.kind, name: "corpus", match: undefined, parameters: corpus.parameters, enforcementAction: "deny" };

    it("has zero bypasses and zero false positives", async () => {
      const verdicts = await reviewObjects(cache, [{ template, constraint }], corpus.cases.map((c) => c.object));
      const wrong = corpus.cases
        .map((c, i) => ({ c, got: (verdicts[i] ?? []).length > 0 ? "deny" : "allow", msgs: (verdicts[i] ?? []).map((v) => v.msg) }))
        .filter(({ c, got }) => got !== c.expect)
        .map(({ c, got, msgs }) => `${c.expect} expected, got ${got}: ${JSON.stringify(c.image)} in ${c.kind ?? "Pod"}.${c.field ?? "containers"} (${c.why}) ${msgs.join(" | ")}`);
      expect(wrong).toEqual([]);
    });

    it("names the container, the image and the rule in every denial", async () => {
      const verdicts = await reviewObjects(cache, [{ template, constraint }], corpus.cases.map((c) => c.object));
      corpus.cases.forEach((c, i) => {
        for (const v of verdicts[i] ?? []) {
          expect(v.msg).toContain(`container "${c.field && c.field !== "containers" ? "extra" : "main"}"`);
          expect(v.msg).toContain(JSON.stringify(c.image));
          expect(v.msg).toMatch(/blocked by rule "|allowed registries: |is not a valid image reference|names a local image ID/);
          expect(v.details).toMatchObject({ image: c.image });
        }
      });
    });
  });
}
