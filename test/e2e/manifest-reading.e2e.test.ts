// `azpol test manifests` reads every file the way `kubectl apply -f` does, and says so when a
// file holds something kubectl would refuse or nothing at all: each class the review found
// passing silently, through the real CLI. (test/oracle/manifests.differential.test.ts checks
// the reader against kubectl's own code on generated files.)
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { azpol } from "../support/cli.js";

const root = join(import.meta.dirname, "..", "..");
const dir = mkdtempSync(join(tmpdir(), "azpol-manifest-reading-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(() => {
  cpSync(join(root, "definitions"), join(dir, "definitions"), { recursive: true });
  cpSync(join(root, "constraint-templates"), join(dir, "constraint-templates"), { recursive: true });
  mkdirSync(join(dir, "m"));
});

const POD = (name: string, image: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: shop}\nspec: {containers: [{name: c, image: ${image}}]}\n`;

function check(file: string, text: string): { status: number | null; stdout: string } {
  writeFileSync(join(dir, "m", file), text);
  const run = azpol(["test", join("m", file), "--param", "effect=Deny"], { cwd: dir });
  return { status: run.status, stdout: run.stdout };
}

describe("objects kubectl would apply are checked", () => {
  it("a YAML merge key brings in the image", () => {
    // the anchor sits on a real container: a top-level "x-base:" field is refused by the API server
    // (strict field validation: unknown field), so such a Pod is "rejected", not judged
    const run = check("merge.yaml", `apiVersion: v1\nkind: Pod\nmetadata: {name: m, namespace: shop}\nspec:\n  containers:\n  - &c {name: c, image: k8s.gcr.io/pause:3.9}\n  - <<: *c\n    name: main\n`);
    expect(run.stdout).toMatch(/deny\s+azurepolicy-k8s-gcr-deprecation: container "main"/);
    expect(run.status).toBe(1);
  });

  it("items of a typed list take kind and apiVersion from the list", () => {
    const run = check("typed.yaml", `apiVersion: v1\nkind: PodList\nitems:\n- metadata: {name: t, namespace: shop}\n  spec: {containers: [{name: c, image: k8s.gcr.io/pause:3.9}]}\n`);
    expect(run.stdout).toContain("m/typed.yaml#0.items[0] v1 Pod shop/t");
    expect(run.stdout).toMatch(/k8s\.gcr\.io\/pause:3\.9/);
    expect(run.status).toBe(1);
  });

  it("any document with items is a list, as kubectl reads it", () => {
    const run = check("items.yaml", `apiVersion: v1\nkind: Whatever\nitems:\n- ${POD("i", "k8s.gcr.io/pause:3.9").trimEnd().replaceAll("\n", "\n  ")}\n`);
    expect(run.stdout).toContain("m/items.yaml#0.items[0] v1 Pod shop/i");
    expect(run.status).toBe(1);
  });

  it("duplicate keys: the last one wins, as in kubectl", () => {
    const run = check("dup.yaml", `apiVersion: v1\nkind: Pod\nmetadata: {name: d, namespace: shop}\nspec:\n  containers:\n  - {name: c, image: registry.k8s.io/pause:3.9, image: k8s.gcr.io/pause:3.9}\n`);
    expect(run.stdout).toMatch(/uses image "k8s\.gcr\.io\/pause:3\.9"/);
    expect(run.status).toBe(1);
  });

  it("a PodTemplate is checked", () => {
    const run = check("podtemplate.yaml", `apiVersion: v1\nkind: PodTemplate\nmetadata: {name: p, namespace: shop}\ntemplate:\n  spec: {containers: [{name: c, image: k8s.gcr.io/pause:3.9}]}\n`);
    expect(run.stdout).toMatch(/PodTemplate shop\/p\n\s+deny/);
    expect(run.status).toBe(1);
  });
});

describe("what kubectl refuses, or a file with nothing in it, is a problem, never ok", () => {
  it.each([
    ["nested.yaml", `apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: List\n  items:\n  - ${POD("n", "k8s.gcr.io/pause:3.9").trimEnd().replaceAll("\n", "\n    ")}\n`, /is not a list/],
    ["notarray.yaml", `apiVersion: v1\nkind: List\nitems: {a: ${"{}"}}\n`, /cannot unmarshal object/],
    ["empty.yaml", "# nothing here\n", /holds no Kubernetes objects/],
    ["nulls.yaml", "---\n~\n---\n", /holds no Kubernetes objects/],
    ["badsep.yaml", `${POD("a", "registry.k8s.io/pause:3.9")}--- junk\n${POD("b", "k8s.gcr.io/pause:3.9")}`, /invalid Yaml document separator/],
    ["nokind.yaml", "apiVersion: v1\nmetadata: {name: x}\n", /Kind' is missing/],
  ])("%s", (file, text, message) => {
    const run = check(file, text);
    expect(run.stdout).toMatch(new RegExp(`m/${file.replace(".", "\\.")}:\\d+#\\d+: cannot read: .*${message.source}`));
    expect(run.stdout).not.toMatch(/: ok$/m);
    expect(run.status).toBe(1);
  });
});
