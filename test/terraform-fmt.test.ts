// Every .tf file azpol writes (main.tf, example/main.tf) is already in `terraform fmt` form. Teams run
// `terraform fmt -check -recursive` in CI, and azpol's output must pass it as written. Checked by
// the real terraform (built from the Go module proxy by npm run setup:terraform, required in CI)
// and by hclwrite.Format, the formatter terraform fmt is built on (oracle/hclfmt.go).
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseOverrides } from "../src/cli/flags.js";
import { buildSources } from "../src/pipeline/read-sources.js";
import { readAnywhere } from "../src/io/project-boundary.js";
import { findTerraform, terraformEnv } from "./support/terraform.js";

const root = join(import.meta.dirname, "..");
const ORACLE = join(root, "oracle", "dist", "oracle");

const terraform = findTerraform();

const variants: [string, string[], string[]][] = [
  ["shipped definitions", [join(root, "definitions")], []],
  ["PublicURL fixture", [join(root, "test", "fixtures", "definitions", "public-url")], []],
  ["overridden parameters", [join(root, "definitions")], ["effect=Audit", "excludedNamespaces=kube-system,team-a", 'labelSelector={"matchLabels":{"tier":"web"}}']],
  ["definitions with the shipped initiative", [join(root, "definitions"), join(root, "initiatives")], []],
];

function mainTfs(paths: string[], params: string[]): { path: string; content: string }[] {
  const built = buildSources(paths, ["terraform"], parseOverrides(params), readAnywhere());
  expect(built.ok).toBe(true);
  // the .tf files (main.tf and example/main.tf); template.yaml beside them is YAML
  const tf = built.artifacts.filter((a) => a.path.endsWith(".tf"));
  expect(tf.some((a) => a.path.endsWith("/example/main.tf"))).toBe(true);
  return tf;
}

describe("main.tf is in terraform fmt form", () => {
  it.each(variants)("%s: hclwrite.Format (terraform fmt's formatter) changes nothing", (_, paths, params) => {
    for (const a of mainTfs(paths, params)) {
      const run = spawnSync(ORACLE, ["hclfmt"], { input: a.content, encoding: "utf8" });
      expect(run.status, run.stderr).toBe(0);
      expect({ file: a.path, formatted: run.stdout === a.content }).toEqual({ file: a.path, formatted: true });
    }
  });

  it.runIf(terraform !== undefined).each(variants)("%s: the real terraform fmt -check passes", (_, paths, params) => {
    const env = terraformEnv();
    for (const a of mainTfs(paths, params)) {
      const run = spawnSync(terraform as string, ["fmt", "-check", "-diff", "-no-color", "-"], { input: a.content, encoding: "utf8", env });
      expect({ file: a.path, status: run.status, diff: run.stdout }).toEqual({ file: a.path, status: 0, diff: "" });
    }
  });
});
