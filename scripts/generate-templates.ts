// Regenerates constraint-templates/*/template.yaml (see src/template-rego/render-bundled-template.ts).
// `--check` fails instead of writing when a committed template is stale.
import { readdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { renderBundledTemplate } from "../src/template-rego/render-bundled-template.js";

const root = join(import.meta.dirname, "..", "constraint-templates");
const check = process.argv.includes("--check");
const libDir = join(root, "_lib");
const libs = readdirSync(libDir)
  .filter((f) => f.endsWith(".rego"))
  .sort()
  .map((name) => ({ name, text: readFileSync(join(libDir, name), "utf8") }));

let stale = 0;
for (const name of readdirSync(root).sort()) {
  const dir = join(root, name);
  if (name.startsWith("_") || !existsSync(join(dir, "template.src.yaml"))) continue;
  const out = renderBundledTemplate({
    header: readFileSync(join(dir, "template.src.yaml"), "utf8"),
    rego: readFileSync(join(dir, "src.rego"), "utf8"),
    libs,
  });
  const target = join(dir, "template.yaml");
  const current = existsSync(target) ? readFileSync(target, "utf8") : "";
  if (current === out) continue;
  if (check) {
    console.error(`stale: ${target}; run 'npm run generate'`);
    stale++;
  } else {
    writeFileSync(target, out);
    console.log(`wrote ${target}`);
  }
}
process.exitCode = stale ? 1 : 0;
