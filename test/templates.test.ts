// The committed template.yaml files are exactly what their sources render to, and each
// template is one Azure can install (checked by the same rules `azpol validate` runs).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { readConstraintTemplate, type ConstraintTemplate } from "../src/core/constraint-template.js";
import { renderBundledTemplate } from "../src/template-rego/render-bundled-template.js";

const root = join(import.meta.dirname, "..", "constraint-templates");
const libs = readdirSync(join(root, "_lib"))
  .filter((f) => f.endsWith(".rego"))
  .sort()
  .map((name) => ({ name, text: readFileSync(join(root, "_lib", name), "utf8") }));
const templates = readdirSync(root).filter((d) => !d.startsWith("_") && existsSync(join(root, d, "template.src.yaml")));

it("ships the disallowed and allowed registries templates", () => {
  expect(templates.sort()).toEqual(["allowed-registries", "disallowed-registries"]);
});

for (const name of templates) {
  describe(name, () => {
    const dir = join(root, name);
    const committed = readFileSync(join(dir, "template.yaml"), "utf8");

    it("template.yaml is up to date with template.src.yaml, src.rego and _lib (npm run generate)", () => {
      const rendered = renderBundledTemplate({ header: readFileSync(join(dir, "template.src.yaml"), "utf8"), rego: readFileSync(join(dir, "src.rego"), "utf8"), libs });
      expect(committed).toBe(rendered);
    });

    it("is named after its kind and has a suite, samples and a bypass corpus beside it", () => {
      const t = readConstraintTemplate(parse(committed), committed) as ConstraintTemplate;
      expect(t.name).toBe(t.kind.toLowerCase());
      expect(t.rego).toContain(`package ${t.name}`);
      expect(Object.keys(t.parameters)).toEqual(["registries", "message"]);
      for (const f of ["suite.yaml", "bypass.yaml", "samples"]) expect(existsSync(join(dir, f)), f).toBe(true);
    });
  });
}
