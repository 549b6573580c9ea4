// Golden files: every format of every shipped definition (and the PublicURL fixture) must
// match the committed bytes. Update with `npm run golden:update` and review the diff.
import { dirname, join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { buildDefinitions } from "../src/core/build-definitions.js";
import { FILES_OF, FORMATS } from "../src/emit/artifacts.js";
import { findDefinitionFiles, loadDefinitionInput } from "../src/io/load-definitions.js";

const root = join(import.meta.dirname, "..");
const sources = [...findDefinitionFiles(join(root, "definitions")), ...findDefinitionFiles(join(root, "test", "fixtures", "definitions"))];

it("finds the shipped presets and the fixture", () => {
  expect(sources.map((s) => relative(root, dirname(s))).sort()).toEqual([
    "definitions/allowed-registries",
    "definitions/k8s-gcr-deprecation",
    "test/fixtures/definitions/public-url",
  ]);
});

for (const source of sources) {
  describe(relative(root, source), () => {
    const result = buildDefinitions([loadDefinitionInput(source, root)], FORMATS);
    it("builds without diagnostics", () => {
      expect(result.diagnostics).toEqual([]);
    });
    for (const format of FORMATS) {
      for (const file of FILES_OF[format]) {
        it(`${format} output matches golden/${file}`, async () => {
          const artifact = result.artifacts.find((a) => a.format === format && a.path.endsWith(`/${file}`));
          expect(artifact).toBeDefined();
          await expect(artifact?.content).toMatchFileSnapshot(join(dirname(source), "golden", file));
        });
      }
    }
  });
}
