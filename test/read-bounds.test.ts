// Depth bounds at read (src/io/read-bounds.ts): a linear scan that never overflows, low on
// ordinary YAML and JSON (the shipped templates and definitions, block scalars with brackets in
// them), and a 5,000-deep manifest that becomes one clean per-document problem while the other
// documents are still checked, in test and impact, with the right exit code and valid --json.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { boundManifestDepth, depthProblem, documentDepths } from "../src/io/read-bounds.js";
import { azpolAsync } from "./support/cli.js";

const root = join(import.meta.dirname, "..");
const deepFlow = (d: number) => `${"[".repeat(d)}${"]".repeat(d)}`;
const deepJson = (d: number) => `${'{"a":'.repeat(d)}1${"}".repeat(d)}`;
const deepBlock = (d: number) => Array.from({ length: d }, (_, i) => `${" ".repeat(i)}k${i}:`).join("\n") + " 1\n";
const pod = (name: string, extra = "") => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\nspec:\n  containers: [{name: c, image: k8s.gcr.io/pause:3.9}]\n${extra}`;

describe("documentDepths", () => {
  it("measures flow, JSON and block nesting", () => {
    // the line itself is one block level
    expect(documentDepths(deepFlow(5000))[0]?.depth).toBe(5001);
    expect(documentDepths(deepJson(3000))[0]?.depth).toBe(3001);
    expect(documentDepths(deepBlock(1500))[0]?.depth).toBe(1500);
    expect(documentDepths(`a:\n${"- ".repeat(40)}x\n`)[0]?.depth).toBe(41);
  });
  it("stays low on the shipped sources and templates, and ignores brackets in block scalars, quotes and comments", () => {
    const files = ["definitions", "constraint-templates"].flatMap((d) => readdirSync(join(root, d), { recursive: true, encoding: "utf8" }).filter((f) => /\.(ya?ml|json)$/.test(f)).map((f) => join(root, d, f)));
    expect(files.length).toBeGreaterThan(4);
    for (const f of files) expect(Math.max(...documentDepths(readFileSync(f, "utf8")).map((d) => d.depth)), f).toBeLessThan(40);
    expect(documentDepths(`rego: |\n  x := [[[[ {{{ \n  "unbalanced [[[[\nmsg: "[[[[[" # [[[[\nb: 'it''s [[['\n`)[0]?.depth).toBeLessThan(4);
  });
  it("blanks only the deep documents, keeping line numbers", () => {
    const text = `${pod("a")}---\n${pod("b", `  x: ${deepFlow(2000)}\n`)}---\n${pod("c")}`;
    const bounded = boundManifestDepth(text);
    expect(bounded.problems.map((p) => p.line)).toEqual([7]);
    expect(bounded.problems[0]?.message).toMatch(/nested more than 2000 levels deep, over the 1000-level limit/);
    expect(bounded.text.split("\n")).toHaveLength(text.split("\n").length);
    expect(bounded.text).toContain("name: a");
    expect(bounded.text).toContain("name: c");
    expect(bounded.text).not.toContain("name: b");
    expect(depthProblem(deepJson(1001))).toMatch(/over the 1000-level limit/);
    expect(depthProblem(deepJson(998))).toBeUndefined();
  });
});

describe("the CLI on a 5,000-deep manifest", () => {
  const dir = mkdtempSync(join(tmpdir(), "azpol-depth-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  beforeAll(async () => {
    const made = await azpolAsync(["new", "--preset", "k8s-gcr-deprecation"], { cwd: dir });
    if (made.status !== 0) throw new Error(made.stderr);
    writeFileSync(join(dir, "deep.yaml"), `${pod("deep", `  x: ${deepFlow(5000)}\n`)}---\n${pod("next")}`);
    writeFileSync(join(dir, "deep.json"), `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"j"},"spec":{"x":${deepJson(5000)}}}`);
  });
  it.each([["test", "deep.yaml"], ["test", "deep.json"]])("%s %s: a problem for the deep document, the next one checked, exit 1, valid --json", async (command, file) => {
    const run = await azpolAsync([command, file, "--json"], { cwd: dir });
    expect(run.status, run.stderr).toBe(1);
    expect(run.stderr).not.toMatch(/RangeError|internal error|\n\s+at /);
    const doc = JSON.parse(run.stdout) as { objects: { object: string; verdict: string }[]; problems: { message: string }[] };
    expect(doc.problems).toHaveLength(1);
    expect(doc.problems[0]?.message).toMatch(/levels deep, over the 1000-level limit/);
    if (file === "deep.yaml") expect(doc.objects.map((o) => `${o.object} ${o.verdict}`)).toEqual(["v1 Pod next violations"]);
  });
  it("impact - reads the same stream from stdin: the deep document is a problem, the other is counted", async () => {
    const run = await azpolAsync(["impact", "-", "--json"], { cwd: dir, input: readFileSync(join(dir, "deep.yaml"), "utf8") });
    expect(run.status, run.stderr).toBe(1);
    const doc = JSON.parse(run.stdout) as { objects: number; problems: string[] };
    expect(doc.objects).toBe(1);
    expect(doc.problems).toEqual([expect.stringMatching(/<stdin>:1: this document is nested/)]);
  });
  it("a plan file nested too deep is a usage error, not a crash", async () => {
    writeFileSync(join(dir, "plan.json"), deepJson(5000));
    const run = await azpolAsync(["deploy", "--plan", "plan.json", "--json"], { cwd: dir });
    expect(run.status, run.stderr).toBe(2);
    expect((JSON.parse(run.stdout) as { error: { message: string } }).error.message).toMatch(/levels deep/);
  });
});
