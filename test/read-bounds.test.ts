// Depth bounds at read (src/io/read-bounds.ts): a linear scan that never overflows, low on
// ordinary YAML and JSON (the shipped templates and definitions, block scalars with brackets in
// them), and a 5,000-deep manifest that becomes one clean per-document problem while the other
// documents are still checked, in test and impact, with the right exit code and valid --json.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { boundManifestDepth, DEFAULT_MAX_DEPTH, depthProblem, documentDepths } from "../src/io/read-bounds.js";
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
    expect(bounded.problems[0]?.message).toMatch(new RegExp(`nested more than ${2 * DEFAULT_MAX_DEPTH} levels deep, over the ${DEFAULT_MAX_DEPTH}-level limit`));
    expect(bounded.text.split("\n")).toHaveLength(text.split("\n").length);
    expect(bounded.text).toContain("name: a");
    expect(bounded.text).toContain("name: c");
    expect(bounded.text).not.toContain("name: b");
    expect(depthProblem(deepJson(DEFAULT_MAX_DEPTH))).toMatch(new RegExp(`over the ${DEFAULT_MAX_DEPTH}-level limit`));
    expect(depthProblem(deepJson(DEFAULT_MAX_DEPTH - 1))).toBeUndefined();
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
    expect(doc.problems[0]?.message).toMatch(new RegExp(`levels deep, over the ${DEFAULT_MAX_DEPTH}-level limit`));
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

// The bound exists so that no parser runs out of stack: every shape it lets through must be read.
// The YAML parser used to exhaust Node's stack under the old 1000-level default (a flow sequence at
// about 800 levels): each shape here is built as deep as the bound allows and read by the CLI.
describe("every shape the bound lets through is read without exhausting a parser's stack", () => {
  const dir = mkdtempSync(join(tmpdir(), "azpol-depth-shapes-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const shapes: Record<string, (n: number) => string> = {
    "flow sequence": (n) => `x: ${deepFlow(n)}\n`,
    "flow map": (n) => `x: ${"{a: ".repeat(n)}1${"}".repeat(n)}\n`,
    "JSON object": (n) => `x: ${deepJson(n)}\n`,
    "block map": (n) => `x:\n${Array.from({ length: n }, (_, i) => `${" ".repeat(i + 1)}k${i}:`).join("\n")} 1\n`,
    "list of maps": (n) => `x:\n${Array.from({ length: n }, (_, i) => `${" ".repeat((i + 1) * 2)}- a:`).join("\n")} 1\n`,
    "compact list": (n) => `x: \n  ${"- ".repeat(n)}1\n`,
  };
  /** the deepest nesting of a shape that the default bound still lets through */
  const deepestAllowed = (shape: (n: number) => string) => {
    let n = 1;
    while (depthProblem(`name: d\n${shape(n + 1)}`) === undefined) n++;
    return n;
  };
  it.each(Object.keys(shapes))("%s", async (name) => {
    const shape = shapes[name] as (n: number) => string;
    const n = deepestAllowed(shape);
    expect(n).toBeGreaterThan(DEFAULT_MAX_DEPTH / 3);
    const project = join(dir, name.replace(/ /g, "-"));
    mkdirSync(project);
    const made = await azpolAsync(["new", "--preset", "k8s-gcr-deprecation"], { cwd: project });
    if (made.status !== 0) throw new Error(made.stderr);
    const source = join(project, "definitions", "k8s-gcr-deprecation", "definition.yaml");
    writeFileSync(source, `${readFileSync(source, "utf8")}${shape(n)}`);
    const run = await azpolAsync(["validate", "--json"], { cwd: project });
    expect(run.stdout + run.stderr).not.toMatch(/call stack|too deeply|internal error/);
    // read, then refused for what it says: an unknown property, not a parser failure
    expect(run.stdout).toMatch(/unknown property|not allowed|additional/i);
  });
});
