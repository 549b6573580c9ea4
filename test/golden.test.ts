// Golden files: every format of every shipped definition (and the PublicURL fixture) must
// match the committed bytes. Update with `npm run golden:update` and review the diff.
import { readdirSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { buildDefinitions } from "../src/pipeline/build-definitions.js";
import { FORMATS, renderFiles } from "../src/emit/artifacts.js";
import { findDefinitionFiles, loadDefinitionInput, readParsedFile } from "../src/io/load-definitions.js";
import { readAnywhere } from "../src/io/project-boundary.js";
import { buildProject } from "../src/pipeline/build-project.js";
import { renderInitiativeFiles } from "../src/emit/initiative/initiative-artifacts.js";
import type { InitiativeModel } from "../src/initiative/initiative-model.js";

const root = join(import.meta.dirname, "..");
const sources = [...findDefinitionFiles(join(root, "definitions")), ...findDefinitionFiles(join(root, "test", "fixtures", "definitions"))];

it("finds the shipped presets and the fixture", () => {
  expect(sources.map((s) => relative(root, dirname(s))).sort()).toEqual([
    "definitions/allowed-registries",
    "definitions/k8s-gcr-deprecation",
    "test/fixtures/definitions/builtin-shapes",
    "test/fixtures/definitions/mutation",
    "test/fixtures/definitions/public-url",
  ]);
});

/** Every file under dir, relative to it, sorted. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

for (const source of sources) {
  describe(relative(root, source), () => {
    const result = buildDefinitions([loadDefinitionInput(source, readAnywhere(root))], FORMATS);
    const model = result.models[0] ?? result.mutations[0];
    if (!model) throw new Error(`${source} does not build`);
    it("builds without diagnostics", () => {
      expect(result.diagnostics).toEqual([]);
    });
    it("golden/ holds exactly the files the build writes", () => {
      expect(filesUnder(join(dirname(source), "golden"))).toEqual(result.artifacts.map((a) => a.path.slice(model.name.length + 1)).sort());
    });
    for (const format of FORMATS) {
      for (const file of Object.keys(renderFiles(model, format))) {
        it(`${format} output matches golden/${file}`, async () => {
          const artifact = result.artifacts.find((a) => a.format === format && a.path.endsWith(`/${file}`));
          expect(artifact).toBeDefined();
          await expect(artifact?.content).toMatchFileSnapshot(join(dirname(source), "golden", file));
        });
      }
    }
  });
}

// The shipped initiative: every file of every format, built with its two member definitions.
describe("initiatives/trusted-images/initiative.yaml", () => {
  const initiative = join(root, "initiatives", "trusted-images", "initiative.yaml");
  const members = findDefinitionFiles(join(root, "definitions")).map((s) => loadDefinitionInput(s, readAnywhere(root)));
  const result = buildProject(members, [readParsedFile(initiative, root)], FORMATS);
  it("builds without diagnostics", () => {
    expect(result.diagnostics).toEqual([]);
    expect(result.initiatives.map((i) => i.name)).toEqual(["trusted-images"]);
  });
  it("golden/ holds exactly the files the build writes", () => {
    expect(filesUnder(join(dirname(initiative), "golden"))).toEqual(result.artifacts.filter((a) => a.path.startsWith("trusted-images/")).map((a) => a.path.slice("trusted-images/".length)).sort());
  });
  for (const format of FORMATS) {
    for (const file of Object.keys(renderInitiativeFiles(result.initiatives[0] as InitiativeModel, [], format))) {
      it(`${format} output matches golden/${file}`, async () => {
        const artifact = result.artifacts.find((a) => a.format === format && a.path === `trusted-images/${file}`);
        expect(artifact).toBeDefined();
        await expect(artifact?.content).toMatchFileSnapshot(join(dirname(initiative), "golden", file));
      });
    }
  }
});
