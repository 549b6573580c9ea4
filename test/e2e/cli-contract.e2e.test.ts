// What a first user meets at the CLI's edges: notes instead of silence (validate's reach probe),
// counts that add up, one output per flag set, next steps that fit where the user stands.
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { matchesCliSchema } from "../support/cli-schemas.js";
import { azpol, CLI } from "../support/cli.js";

const root = join(import.meta.dirname, "..", "..");
const scratch = mkdtempSync(join(tmpdir(), "azpol-cli-contract-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function project(name: string): string {
  const dir = join(scratch, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

// the classic gatekeeper-library k8sallowedrepos: `repos` has no default (as always with --from-template)
const classic = join(root, "test", "fixtures", "templates", "classic-allowedrepos", "template.yaml");
const fromTemplate = project("from-template");
expect(azpol(["new", "--from-template", classic], { cwd: fromTemplate }).status).toBe(0);

describe("validate says when it did not probe a definition's reach (AZP3016)", () => {
  it("names the definition, the parameter and the --param that would probe it, in text", () => {
    const run = azpol(["validate"], { cwd: fromTemplate });
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/note: reach of definition k8sallowedrepos not probed: parameter "repos" has no default and no --param.*pass --param repos=/);
    expect(run.stderr).toMatch(/1 source checked: 0 errors, 0 warnings; reach not probed for 1 definition \(see note\)/);
  });

  it("carries it in --json (notProbed) and in SARIF (a tool notification)", () => {
    const run = azpol(["validate", "--json"], { cwd: fromTemplate });
    expect(run.status).toBe(0);
    const doc = JSON.parse(run.stdout) as { notProbed: { definition: string; parameters: string[]; hint: string }[] };
    expect(matchesCliSchema("validate", doc)).toBe(true);
    expect(doc.notProbed).toEqual([expect.objectContaining({ definition: "k8sallowedrepos", parameters: ["repos"], hint: expect.stringMatching(/--param repos=/) as unknown })]);
    const sarif = JSON.parse(azpol(["validate", "--format", "sarif"], { cwd: fromTemplate }).stdout) as { runs: { invocations?: { toolExecutionNotifications: { level: string; message: { text: string } }[] }[] }[] };
    expect(sarif.runs[0]?.invocations?.[0]?.toolExecutionNotifications[0]).toMatchObject({ level: "note", message: { text: expect.stringMatching(/k8sallowedrepos not probed.*--param repos=/) as unknown } });
  });

  it("with --param it probes, and the note is gone", () => {
    const run = azpol(["validate", "--json", "--param", "repos=myacr.azurecr.io"], { cwd: fromTemplate });
    const doc = JSON.parse(run.stdout) as { notProbed: unknown[]; diagnostics: { code: string }[] };
    expect(doc.notProbed).toEqual([]);
    expect(doc.diagnostics.some((d) => d.code === "AZP3016")).toBe(true);
  });
});

describe("--json with an output --format is refused, for every command that has both", () => {
  it.each([
    ["test", "junit"],
    ["test", "sarif"],
    ["test", "text"],
    ["validate", "sarif"],
    ["validate", "text"],
    ["deploy", "markdown"],
  ])("%s --json --format %s: a usage error (exit 2), one error document, in either order", (command, format) => {
    for (const args of [[command, "--json", "--format", format], [command, "--format", format, "--json"]]) {
      const run = azpol(args, { cwd: fromTemplate });
      expect(run.status).toBe(2);
      expect(JSON.parse(run.stdout)).toMatchObject({ error: { code: "UsageError", message: `--json and --format ${format} ask for two different outputs on stdout: give one (--json is --format json)` } });
    }
  });

  it("--json with --format json is one output and fine; build's --format picks artifacts, not the output", () => {
    const run = azpol(["validate", "--json", "--format", "json"], { cwd: fromTemplate });
    expect(run.status).toBe(0);
    expect(matchesCliSchema("validate", JSON.parse(run.stdout))).toBe(true);
    const build = azpol(["build", "--json", "--format", "arm", "--out", "out", "--param", "repos=myacr.azurecr.io"], { cwd: fromTemplate });
    expect(build.status, build.stderr).toBe(0);
    expect(matchesCliSchema("build", JSON.parse(build.stdout))).toBe(true);
  });
});

// a project made as the README says, with its manifests in a subfolder
const shop = project("shop");
cpSync(join(root, "definitions", "k8s-gcr-deprecation"), join(shop, "definitions", "k8s-gcr-deprecation"), { recursive: true, filter: (f) => !f.includes("golden") });
cpSync(join(root, "constraint-templates"), join(shop, "constraint-templates"), { recursive: true });
mkdirSync(join(shop, "manifests"));
const pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec: {containers: [{name: c, image: k8s.gcr.io/pause:3.9}]}\n";
writeFileSync(join(shop, "manifests", "app.yaml"), `${pod}---\n${pod.replace("name: p", "name: q")}`);

describe("where azpol looks for definitions, and what to do next", () => {
  it.each([
    ["test app.yaml", ["test", "app.yaml"], ""],
    ["test - (helm template . | azpol test - in a chart folder)", ["test", "-"], pod],
    ["validate", ["validate"], ""],
  ])("run from a subfolder of the project, %s points at the project root and --definitions, not at azpol new", (_, args, input) => {
    const run = azpol(args, { cwd: join(shop, "manifests"), input });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`no definitions/ folder in ${join(shop, "manifests")}: azpol looks for definitions/ in the current folder; the project looks like .. (its definitions/ holds definition sources): run azpol there, or pass --definitions ../definitions`);
    expect(run.stderr).not.toMatch(/azpol new/);
  });

  it("outside any project it names the three ways on", () => {
    const run = azpol(["test", "-"], { cwd: project("nowhere"), input: pod });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/azpol looks for definitions\/ in the current folder; run azpol from your project's root .*, pass --definitions <folder> .*, or start a project here with 'azpol new --preset k8s-gcr-deprecation'/);
  });

  it("a path that does not exist is said to not exist", () => {
    for (const args of [["validate", "nosuch"], ["build", "nosuch"], ["test", "--definitions", "nosuch", "manifests"]]) {
      const run = azpol([...args, "--json"], { cwd: shop });
      expect(run.status).toBe(2);
      expect((JSON.parse(run.stdout) as { error: { message: string } }).error.message).toMatch(/^"nosuch" does not exist/);
    }
  });
});

describe("how a definition source is read", () => {
  it("a file with several YAML documents is one a definition source cannot be, said in the user's words", () => {
    const run = azpol(["validate", "manifests/app.yaml"], { cwd: shop });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("manifests/app.yaml:5:1 error AZP1001 a definition source is one YAML document (found 2)");
    expect(run.stderr).not.toMatch(/parseAllDocuments/);
  });

  it.each([
    ["a trailing comma", '{\n  "name": "x",\n}\n', 3, 1],
    ["a // comment", '{\n  // the name\n  "name": "x"\n}\n', 2, 3],
  ])("a .json source is strict JSON: %s is an error at its line and column", (_, text, line, col) => {
    const dir = project(`json-${line}-${col}`);
    mkdirSync(join(dir, "definitions", "x"), { recursive: true });
    writeFileSync(join(dir, "definitions", "x", "definition.json"), text);
    const run = azpol(["validate"], { cwd: dir });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`definitions/x/definition.json:${line}:${col} error AZP1001 not valid JSON (a .json source is strict JSON: no comments, no trailing commas`);
  });
});

describe("the README's fix example works as written", () => {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const example = /`(azpol fix --dry-run > fix\.diff[^`]*)`/.exec(readme)?.[1] ?? "";
  const bin = project("bin");
  writeFileSync(join(bin, "azpol"), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
  chmodSync(join(bin, "azpol"), 0o755);
  const sh = (cwd: string, command: string) => spawnSync("sh", ["-c", command], { cwd, encoding: "utf8", env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ""}` } });

  it.each([
    ["with images to move", "k8s.gcr.io/pause:3.9", "registry.k8s.io/pause:3.9"],
    ["with nothing to move", "registry.k8s.io/pause:3.9", "registry.k8s.io/pause:3.9"],
  ])("%s: it exits 0 and leaves the manifests moved", (name, image, after) => {
    expect(example).toMatch(/git apply fix\.diff/);
    const dir = project(`fix-example-${name.replace(/ /g, "-")}`);
    cpSync(join(shop, "definitions"), join(dir, "definitions"), { recursive: true });
    cpSync(join(shop, "constraint-templates"), join(dir, "constraint-templates"), { recursive: true });
    mkdirSync(join(dir, "manifests"));
    writeFileSync(join(dir, "manifests", "app.yaml"), pod.replace("k8s.gcr.io/pause:3.9", image));
    expect(sh(dir, "git init -q").status).toBe(0);
    const run = sh(dir, example);
    expect(run.status, run.stderr).toBe(0);
    expect(readFileSync(join(dir, "manifests", "app.yaml"), "utf8")).toContain(`image: ${after}`);
  });
});

describe("new --from-template --kinds is checked before it is written", () => {
  it.each([
    ["Pdo", /warning AZP2017 \/kinds: --kinds Pdo: Pdo is not a built-in Kubernetes kind and has no API group/],
    ["apps/Pod", /warning AZP2017 \/kinds\/0: kind Pod is in API group "", which apiGroups does not list/],
  ])("--kinds %s: a warning at new time, in text and --json", (kinds, warning) => {
    const text = azpol(["new", "--from-template", classic, "--kinds", kinds], { cwd: project(`kinds-${kinds.replace("/", "-")}`) });
    expect(text.status).toBe(0);
    expect(text.stderr).toMatch(warning);
    const json = azpol(["new", "--json", "--from-template", classic, "--kinds", kinds], { cwd: project(`kinds-json-${kinds.replace("/", "-")}`) });
    const doc = JSON.parse(json.stdout) as { diagnostics?: { code: string; severity: string }[] };
    expect(matchesCliSchema("new", doc)).toBe(true);
    expect(doc.diagnostics?.[0]).toMatchObject({ code: "AZP2017", severity: "warning" });
  });

  it("--kinds Pod,apps/Deployment,example.com/Widget: nothing to say", () => {
    const run = azpol(["new", "--from-template", classic, "--kinds", "Pod,apps/Deployment,example.com/Widget"], { cwd: project("kinds-fine") });
    expect(run.status).toBe(0);
    expect(run.stderr).not.toMatch(/warning/);
  });
});

describe("small contract points", () => {
  it("azpol with no command prints the help on stdout and exits 0, as azpol --help does", () => {
    const bare = azpol([], { cwd: scratch });
    expect(bare.status).toBe(0);
    expect(bare.stderr).toBe("");
    expect(bare.stdout).toBe(azpol(["--help"], { cwd: scratch }).stdout);
    expect(bare.stdout).toMatch(/^Usage: azpol /);
  });

  it('"-" given twice is a usage error: standard input is read once', () => {
    const run = azpol(["test", "-", "-", "--json"], { cwd: shop, input: pod });
    expect(run.status).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({ error: { code: "UsageError", message: expect.stringMatching(/standard input\) is given 2 times/) as unknown } });
  });
});
