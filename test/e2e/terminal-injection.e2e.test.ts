// What azpol prints cannot take over the terminal (audit S5): a template's violation message, a
// suite's test and case names, file and object names, image strings, property names and a
// template.path all come from input, and every command prints them through one boundary
// (src/cli/output-boundary.ts) that shows ESC, CR, BEL, NUL, C1 and the Unicode
// direction and invisible characters as escapes. azpol's own colour still works, on a real
// terminal too (script(1) gives the run a pseudo-terminal); --json keeps the exact data; JUnit stays
// valid XML and SARIF valid JSON.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { XMLValidator } from "fast-xml-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { azpol, CLI } from "../support/cli.js";

const dir = mkdtempSync(join(tmpdir(), "azpol-terminal-injection-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// what acts on a terminal once azpol's own colour (SGR 1, 2, 22, 31, 32, 33, 36, 39) is set aside
// eslint-disable-next-line no-control-regex -- azpol's own colour sequences
const OWN_COLOUR = /\u001b\[(?:1|2|22|31|32|33|36|39)m/g;
// eslint-disable-next-line no-control-regex -- the characters under test
const ACTS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069]|\r(?!\n)/;
const acting = (text: string) => ACTS.exec(text.replace(OWN_COLOUR, ""))?.[0];
// an OSC 8 hyperlink, an erase-line after a carriage return, a forged green, a right-to-left override
const HOSTILE = "\u001b]8;;http://evil/\u0007link\u001b]8;;\u0007 \r\u001b[2K\u001b[32mall good\u001b[39m \u202eabc";
// as an escape: \x1b by the boundary, or \u001b where a message already quotes the value as JSON
const SHOWN = /\\(?:x1b|u001b)\]8;;http:\/\/evil\/\\(?:x07|u0007)link/;

const template = (kind: string, msg: string) => `apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata: {name: ${kind.toLowerCase()}}
spec:
  crd: {spec: {names: {kind: ${kind}}}}
  targets:
    - target: admission.k8s.gatekeeper.sh
      rego: |
        package ${kind.toLowerCase()}
        violation[{"msg": msg}] {
          msg := sprintf("%s %v", [${JSON.stringify(msg)}, input.review.object.metadata.name])
        }
`;
const pod = (name: string, image: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: default}\nspec: {containers: [{name: c, image: ${image}}]}\n`;

beforeAll(() => {
  const ok = (args: string[]) => {
    const run = azpol(args, { cwd: dir });
    expect(run.status, run.stderr).toBe(0);
  };
  ok(["new", "--preset", "k8s-gcr-deprecation", "-n", "gcr"]);
  writeFileSync(join(dir, "tpl.yaml"), template("K8sPrint", HOSTILE));
  ok(["new", "--from-template", "tpl.yaml"]);
  mkdirSync(join(dir, "m"));
  // the image string is accepted by the API server as it is, so a live cluster can hold it too
  writeFileSync(join(dir, "m", "img.yaml"), pod("p", JSON.stringify(`k8s.gcr.io/pause:3.1${HOSTILE}`)));
  writeFileSync(join(dir, "m", `evil\u001b[31mRED\r\u001b[2Kfine\u202e.yaml`), pod(JSON.stringify(`p${HOSTILE}`), "k8s.gcr.io/pause:3.1"));
  // a gator suite whose test and case names would erase the FAIL marker of a failing case
  mkdirSync(join(dir, "s"));
  writeFileSync(join(dir, "s", "template.yaml"), template("K8sSuite", "no"));
  writeFileSync(join(dir, "s", "constraint.yaml"), "apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: K8sSuite\nmetadata: {name: c}\nspec: {match: {kinds: [{apiGroups: [''], kinds: [Pod]}]}}\n");
  writeFileSync(join(dir, "s", "pod.yaml"), pod("p", "a.io/b:1"));
  writeFileSync(
    join(dir, "s", "suite.yaml"),
    `kind: Suite\napiVersion: test.gatekeeper.sh/v1alpha1\nmetadata: {name: s}\ntests:\n  - name: ${JSON.stringify(`t${HOSTILE}`)}\n    template: template.yaml\n    constraint: constraint.yaml\n    cases:\n      - name: ${JSON.stringify(`c${HOSTILE}`)}\n        object: pod.yaml\n        assertions: [{violations: no}]\n`,
  );
});

describe("every command shows input's control characters as escapes and keeps its own colour", () => {
  const env = { FORCE_COLOR: "1" };
  it.each([
    ["test: a template's violation message, an object's and a file's name, an image", ["test", "m"]],
    ["test: a suite's test and case names", ["test", "s"]],
    ["fix --dry-run: the image that needs a human", ["fix", "--dry-run", "m"]],
    ["fix", ["fix", "m"]],
    ["mirror", ["mirror", "--registry", "a.azurecr.io", "m"]],
  ])("%s", (_what, args) => {
    const run = azpol(args, { cwd: dir, env });
    expect(run.status, run.stderr).toBeLessThanOrEqual(4);
    const printed = run.stdout + run.stderr;
    expect(acting(printed)).toBeUndefined();
    expect(printed).toMatch(SHOWN);
    expect(printed).toContain("\\u202eabc");
    expect(printed).toMatch(/\\(?:x1b|u001b)\[32mall good/);
  });
  it("impact - (objects read from stdin, as from a cluster)", () => {
    const run = azpol(["impact", "-"], { cwd: dir, env, input: pod("p", JSON.stringify(`k8s.gcr.io/pause:3.1${HOSTILE}`)) });
    expect(acting(run.stdout + run.stderr)).toBeUndefined();
    expect(run.stdout + run.stderr).toMatch(SHOWN);
  });
  it("the suite's FAIL marker stays on its line, coloured", () => {
    const run = azpol(["test", "s"], { cwd: dir, env });
    expect(run.status).toBe(1);
    const line = run.stdout.split("\n").find((l) => l.includes("all good"));
    expect(line).toMatch(/FAIL/);
    expect(run.stdout).toContain("\u001b[31m");
  });
  it("on a real terminal (script gives the run a pseudo-terminal): colour on, the input inert", () => {
    const run = spawnSync("script", ["-q", "-e", "-c", `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} test m`, "/dev/null"], { cwd: dir, encoding: "utf8", env: { ...process.env, FORCE_COLOR: "", NO_COLOR: "" } });
    expect(run.stdout).toContain("\u001b[31m");
    expect(acting(run.stdout)).toBeUndefined();
    expect(run.stdout).toMatch(SHOWN);
  });
  it("validate: a property name and a template.path from the definition", () => {
    const evil = join(dir, "v");
    mkdirSync(join(evil, "definitions"), { recursive: true });
    cpSync(join(dir, "definitions", "gcr"), join(evil, "definitions", "a"), { recursive: true });
    cpSync(join(dir, "definitions", "gcr"), join(evil, "definitions", "b"), { recursive: true });
    cpSync(join(dir, "constraint-templates"), join(evil, "constraint-templates"), { recursive: true });
    const source = (name: string) => join(evil, "definitions", name, "definition.yaml");
    const edit = (name: string, change: (text: string) => string) => writeFileSync(source(name), change(readFileSync(source(name), "utf8")));
    edit("a", (t) => t.replace(/^name: gcr$/m, `name: a\n${JSON.stringify(`k${HOSTILE}`)}: 2`));
    edit("b", (t) => t.replace(/^name: gcr$/m, "name: b").replace(/^( {2}path: ).*$/m, `$1${JSON.stringify(`../nope${HOSTILE}\u0000/template.yaml`)}`));
    for (const args of [["validate"], ["build", "--out", "out"]]) {
      const run = azpol(args, { cwd: evil, env });
      expect(run.status).toBe(1);
      expect(acting(run.stdout + run.stderr)).toBeUndefined();
      expect(run.stdout + run.stderr).toMatch(/unknown property 'k\\x1b\]8;;http:\/\/evil\//);
      expect(run.stdout + run.stderr).toContain("\\x00");
    }
  });
});

describe("machine formats keep the data, valid", () => {
  it("--json: the message, file and object names are the exact strings", () => {
    const run = azpol(["test", "m", "--json"], { cwd: dir, env: { FORCE_COLOR: "1" } });
    expect(acting(run.stdout)).toBeUndefined();
    const doc = JSON.parse(run.stdout) as { objects: { file: string; object: string; violations: { msg: string }[] }[] };
    expect(doc.objects.flatMap((o) => o.violations.map((v) => v.msg))).toContain(`${HOSTILE} p`);
    expect(doc.objects.map((o) => o.file)).toContain(join("m", `evil\u001b[31mRED\r\u001b[2Kfine\u202e.yaml`));
  });
  it("JUnit is valid XML and SARIF valid JSON, neither with a raw control character", () => {
    const junit = azpol(["test", "m", "--format", "junit"], { cwd: dir }).stdout;
    expect(XMLValidator.validate(junit)).toBe(true);
    expect(acting(junit)).toBeUndefined();
    expect(junit).toMatch(SHOWN);
    const sarif = azpol(["test", "m", "--format", "sarif"], { cwd: dir }).stdout;
    expect(acting(sarif)).toBeUndefined();
    expect(JSON.stringify(JSON.parse(sarif))).toContain(JSON.stringify(HOSTILE).slice(1, -1));
  });
});
