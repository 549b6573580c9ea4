// `--json` prints exactly one JSON document on stdout in every outcome (success, findings,
// usage errors, failures), and it matches the command's committed schema (schemas/cli/).
// Deploy and status outcomes that need Azure are checked against the fake ARM in deploy.e2e.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { matchesCliSchema } from "../support/cli-schemas.js";
import { azpol } from "../support/cli.js";
import { createProgram } from "../../src/cli/program.js";

const root = join(import.meta.dirname, "..", "..");
const scratch = mkdtempSync(join(tmpdir(), "azpol-json-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));


function project(name: string): string {
  const dir = join(scratch, name);
  cpSync(join(root, "definitions"), join(dir, "definitions"), { recursive: true, filter: (s) => !s.includes("golden") });
  cpSync(join(root, "constraint-templates"), join(dir, "constraint-templates"), { recursive: true });
  return dir;
}

const ok = project("ok");
const broken = project("broken");
const brokenDef = join(broken, "definitions", "allowed-registries", "definition.yaml");
writeFileSync(brokenDef, readFileSync(brokenDef, "utf8").replace("- myacr.azurecr.io", "- MyACR.azurecr.io/*"));
mkdirSync(join(ok, "manifests"));
writeFileSync(join(ok, "manifests", "pod.yaml"), "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec: {containers: [{name: c, image: k8s.gcr.io/pause:3.9}]}\n");
const empty = join(scratch, "empty");
mkdirSync(empty);

const pods = readFileSync(join(ok, "manifests", "pod.yaml"), "utf8");
const cases: [string, string, string[], number, string?][] = [
  ["validate", ok, ["validate", "--json"], 0],
  ["validate", broken, ["validate", "--json"], 1],
  ["validate", ok, ["validate", "--json", "--bogus"], 2],
  ["build", ok, ["build", "--json", "--out", "out"], 0],
  ["build", broken, ["build", "--json"], 1],
  ["build", ok, ["build", "--json", "--format", "bogus"], 2],
  ["build", ok, ["build", "--json", "--out", "definitions"], 2],
  ["test", ok, ["test", "--json"], 0],
  ["test", ok, ["test", "--json", "manifests"], 1],
  ["test", ok, ["test", "--json", "missing"], 2],
  ["new", empty, ["new", "--json", "--list"], 0],
  ["new", empty, ["new", "--json", "--preset", "k8s-gcr-deprecation"], 0],
  ["new", empty, ["new", "--json", "--preset", "bogus"], 2],
  ["deploy", broken, ["deploy", "--json", "--scope", "rg-demo"], 1],
  ["deploy", ok, ["deploy", "--json"], 2],
  ["status", ok, ["status", "--json"], 2],
  ["status", ok, ["status", "--json", "--scope", "rg-demo", "--max-retries", "99"], 2],
  ["fix", ok, ["fix", "--json", "--dry-run", "manifests"], 1],
  ["fix", ok, ["fix", "--json", "--dry-run", "--bogus"], 2],
  ["impact", ok, ["impact", "--json", "-"], 1, pods],
  ["impact", ok, ["impact", "--json", "-", "-k", "manifests"], 2],
  ["mirror", ok, ["mirror", "--json", "--registry", "myacr.azurecr.io", "manifests"], 1],
  ["mirror", ok, ["mirror", "--json", "--registry", "https://myacr.azurecr.io", "manifests"], 2],
  ["explain", empty, ["explain", "--json", "azp2004"], 0],
  ["explain", empty, ["explain", "--json", "--list"], 0],
  ["explain", empty, ["explain", "--json", "AZP9999"], 2],
];

describe("--json: one document on stdout, valid against schemas/cli/<command>.schema.json", () => {
  it.each(cases)("%s in %s: %j exits %i", (command, cwd, args, exit, input) => {
    const run = azpol(args, { cwd, env: { AZURE_SUBSCRIPTION_ID: "00000000-0000-0000-0000-000000000000" }, ...(input !== undefined ? { input } : {}) });
    expect(run.status).toBe(exit);
    const doc = JSON.parse(run.stdout) as unknown;
    expect(matchesCliSchema(command, doc)).toBe(true);
    if (exit === 2) expect(doc).toMatchObject({ error: { code: "UsageError" } });
  });
});

describe("every command with --json has its schema", () => {
  it("schemas/cli/<command>.schema.json exists for each command that takes --json, and each schema names a command", async () => {
    const program = await createProgram({ out: () => undefined, err: () => undefined, interactive: false }, () => undefined, "all");
    const withJson = program.commands.filter((c) => c.options.some((o) => o.long === "--json")).map((c) => c.name()).sort();
    expect(withJson).toEqual(expect.arrayContaining(["build", "deploy", "explain", "fix", "impact", "mirror", "test", "validate"]));
    const schemas = readdirSync(join(root, "schemas", "cli")).map((f) => f.replace(/\.schema\.json$/, ""));
    for (const name of withJson) expect(schemas, `azpol ${name} --json has no schema`).toContain(name);
    expect(schemas.filter((s) => s !== "error" && !withJson.includes(s))).toEqual([]);
    // each is checked against its schema by a case here, or by the e2e test of its command (bench, import, publish)
    const e2e = readdirSync(import.meta.dirname).map((f) => readFileSync(join(import.meta.dirname, f), "utf8")).join("\n");
    for (const name of withJson) expect(cases.some(([command]) => command === name) || e2e.includes(`matchesCliSchema("${name}"`), `no test checks azpol ${name} --json against its schema`).toBe(true);
  });
});

describe("test --param", () => {
  it.each([["effect=Sometimes", /--param effect: effect "Sometimes" is not allowed/], ["nosuch=1", /--param nosuch: no definition declares a parameter 'nosuch'/]])("a bad --param %s is a usage error (exit 2) that names the flag, not the definitions", (param, message) => {
    const run = azpol(["test", "manifests", "--param", param], { cwd: ok });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/the definitions in/);
  });
});

describe("test's evaluation bounds are flags", () => {
  it.each([["--eval-timeout", "0", /--eval-timeout must be a number of seconds/], ["--eval-memory", "10", /--eval-memory must be a whole number of MiB, at least 64/]])("%s %s is a usage error", (flag, value, message) => {
    const run = azpol(["test", flag, value], { cwd: ok });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
  });
});
