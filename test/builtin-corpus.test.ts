// The built-in corpus (scripts/generate-builtin-corpus.ts, shapes in test/fixtures/builtins/SHAPES.md):
// every definition in the shape of a Microsoft built-in goes through import → validate → build →
// compare, or is refused naming the feature azpol cannot express; the ones that import are then
// checked against example Pods the way `azpol test` checks manifests, with the template served
// locally (import --template) as the repository's templates cannot be fetched in CI.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { corpusFiles, CORPUS_DIR, SHAPES } from "../scripts/generate-builtin-corpus.js";
import type { ParsedFile } from "../src/core/compile-definition.js";
import { compileDefinition } from "../src/core/compile-definition.js";
import { importedSourceText } from "../src/import/import-source-text.js";
import { readExistingDefinition } from "../src/import/read-definition-json.js";
import { checkRoundTrip } from "../src/import/round-trip.js";
import { sourceFromDefinition } from "../src/import/source-from-definition.js";
import { gatekeeperYamlDigest } from "../src/core/gatekeeper-yaml-digest.js";
import { parseSourceText } from "../src/io/source-file.js";
import { constraintFromPolicy } from "../src/rego/constraint.js";
import { loadEngine } from "../src/rego/engine.js";
import { reviewObjects } from "../src/rego/evaluate.js";
import { TemplateCache } from "../src/rego/template-cache.js";
import type { KubeObject } from "../src/rego/kubernetes-object.js";

const parsed = (file: string, text: string): ParsedFile => {
  const p = parseSourceText(file, text);
  return { file: p.file, data: p.data, text, locate: p.locate, syntaxErrors: p.syntaxErrors };
};

it("the committed corpus is what the script generates", () => {
  for (const [path, content] of Object.entries(corpusFiles())) expect(readFileSync(join(CORPUS_DIR, path), "utf8"), path).toBe(content);
});

/** import (with the local template standing for the PublicURL), as `azpol import --template` does */
function importShape(name: string) {
  const json = readFileSync(join(CORPUS_DIR, name, "definition.json"), "utf8");
  const templateText = readFileSync(join(CORPUS_DIR, name, "template.yaml"), "utf8");
  const existing = readExistingDefinition(JSON.parse(json));
  if (typeof existing === "string") return { refused: existing };
  const mapped = sourceFromDefinition(existing, name);
  if ("problems" in mapped) return { refused: mapped.problems.join("; ") };
  const url = mapped.template.sourceType === "PublicURL" ? mapped.template.url : "";
  const sourceText = importedSourceText({ ...mapped.source, name, template: { path: "template.yaml", source: "PublicURL", url, sha256: gatekeeperYamlDigest(templateText) } }, `corpus/${name}`, mapped.notes);
  const { name: _name, ...original } = existing;
  return { sourceText, templateText, original, notes: mapped.notes };
}

let cache: TemplateCache;
beforeAll(async () => {
  cache = new TemplateCache(await loadEngine());
});

const pod = (bad: boolean): KubeObject => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: bad ? "bad" : "good", namespace: "default", labels: bad ? { "corpus-bad": "true" } : {} },
  spec: { securityContext: { runAsNonRoot: true }, containers: [{ name: "c", image: "registry.k8s.io/pause:3.10" }] },
});

for (const shape of SHAPES) {
  describe(`${shape.name} (like ${shape.like.join(", ")})`, () => {
    const imported = importShape(shape.name);
    if ("refused" in shape.expect) {
      const refused = shape.expect.refused;
      it("is refused, naming the feature", () => {
        expect("refused" in imported ? imported.refused : "imported").toMatch(refused);
      });
      return;
    }
    if ("refused" in imported) {
      it("imports", () => {
        expect(imported.refused).toBe("");
      });
      return;
    }
    const source = parsed(`corpus/${shape.name}/definition.yaml`, imported.sourceText);
    const template = parsed(`corpus/${shape.name}/template.yaml`, imported.templateText);

    it("validates with no error and no AZP3008 (Microsoft's own template names)", () => {
      const compiled = compileDefinition({ source, template });
      expect(compiled.diagnostics.filter((d) => d.severity === "error" || d.code === "AZP3008")).toEqual([]);
    });

    it("builds the original's properties (round trip)", () => {
      expect(checkRoundTrip(source, template, imported.original)).toMatchObject({ ok: true });
    });

    it("azpol test: the good Pod passes, the bad one is denied, and no value reaches the template unevaluated", async () => {
      const model = compileDefinition({ source, template }).model;
      if (!model) throw new Error("no model");
      const constraint = constraintFromPolicy(model);
      if (!constraint) throw new Error("no constraint");
      const matchesPods = JSON.stringify(constraint.match?.kinds).includes('"Pod"');
      const [good, bad] = await reviewObjects(cache, [{ template: model.template, constraint }], [pod(false), pod(true)]);
      expect(good).toEqual([]);
      expect(bad?.map((v) => v.msg)).toEqual(matchesPods ? ["corpus-bad is set"] : []);
    });
  });
}
