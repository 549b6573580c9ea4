// Rules as data: one catalogue (src/model/rule-catalogue.ts) behind `azpol explain` and
// `validate --format sarif|json`. Every AZP code the source code can report has an entry, the
// SARIF passes Microsoft's SARIF Multitool, and its rules are the catalogue's.
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { RULE_CATALOGUE } from "../../src/model/rule-catalogue.js";
import { azpol } from "../support/cli.js";
import { expectValidSarif } from "../support/sarif-multitool.js";

const root = join(import.meta.dirname, "..", "..");
const dir = mkdtempSync(join(tmpdir(), "azpol-explain-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
cpSync(join(root, "definitions"), join(dir, "definitions"), { recursive: true, filter: (s) => !s.includes("golden") });
cpSync(join(root, "constraint-templates"), join(dir, "constraint-templates"), { recursive: true });
// two findings of two rules: a registry that is a pattern (AZP2004) and a parameter never used (AZP2018)
const file = join(dir, "definitions", "allowed-registries", "definition.yaml");
writeFileSync(file, readFileSync(file, "utf8").replace("- myacr.azurecr.io", "- MyACR.azurecr.io/*").replace(/^parameters:\n/m, "parameters:\n  unused:\n    type: String\n    default: x\n"));

function codesInSource(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts"))
    .flatMap((f) => [...readFileSync(join(folder, f), "utf8").matchAll(/"(AZP\d{4})"/g)].map((m) => m[1] ?? ""));
}

describe("the rule catalogue", () => {
  it("has an entry, with a title, severity and explanation, for every code the source can report", () => {
    const catalogued = new Set(RULE_CATALOGUE.map((r) => r.code));
    expect([...new Set(codesInSource(join(root, "src")))].filter((c) => !catalogued.has(c as never))).toEqual([]);
    for (const r of RULE_CATALOGUE) {
      expect(r.title.length, r.code).toBeGreaterThan(5);
      expect(r.explanation.length, r.code).toBeGreaterThan(r.title.length);
      expect(["error", "warning", "error or warning"]).toContain(r.severity);
    }
  });
});

describe("azpol explain", () => {
  it("explains a code, in text and as JSON", () => {
    const text = azpol(["explain", "AZP2004"], { cwd: dir });
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^AZP2004 \(error\): registry is not a plain registry host\n\n\S/);
    const json = azpol(["explain", "azp3013", "--json"], { cwd: dir });
    expect(json.status).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(RULE_CATALOGUE.find((r) => r.code === "AZP3013"));
  });

  it("lists every code; an unknown code is a usage error", () => {
    const list = azpol(["explain", "--list", "--json"], { cwd: dir });
    expect((JSON.parse(list.stdout) as unknown[]).length).toBe(RULE_CATALOGUE.length);
    const unknown = azpol(["explain", "AZP9999", "--json"], { cwd: dir });
    expect(unknown.status).toBe(2);
    expect((JSON.parse(unknown.stdout) as { error: { code: string } }).error.code).toBe("UsageError");
  });
});

describe("validate --format", () => {
  it("json is --json", () => {
    const a = azpol(["validate", "--format", "json"], { cwd: dir });
    const b = azpol(["validate", "--json"], { cwd: dir });
    expect(a.status).toBe(1);
    expect(a.stdout).toBe(b.stdout);
  });

  it("sarif: one result per diagnostic at its line and column, rules from the catalogue, valid for the SARIF Multitool", () => {
    const json = JSON.parse(azpol(["validate", "--json"], { cwd: dir }).stdout) as { diagnostics: { code: string; severity: string; line: number; col: number }[] };
    const run = azpol(["validate", "--format", "sarif"], { cwd: dir });
    expect(run.status).toBe(1);
    const sarif = JSON.parse(run.stdout) as { version: string; runs: { tool: { driver: { rules: { id: string; shortDescription: { text: string }; fullDescription: { text: string } }[] } }; results: { ruleId: string; level: string; locations: { physicalLocation: { region: { startLine: number; startColumn: number } } }[] }[] }[] };
    expect(sarif.version).toBe("2.1.0");
    const [only] = sarif.runs;
    expect(only?.results.map((r) => [r.ruleId, r.level, r.locations[0]?.physicalLocation.region.startLine, r.locations[0]?.physicalLocation.region.startColumn])).toEqual(json.diagnostics.map((d) => [d.code, d.severity, d.line, d.col]));
    expect(new Set(json.diagnostics.map((d) => d.code))).toEqual(new Set(["AZP2004", "AZP2018"]));
    for (const rule of only?.tool.driver.rules ?? []) {
      const entry = RULE_CATALOGUE.find((r) => r.code === rule.id);
      expect([rule.shortDescription.text, rule.fullDescription.text]).toEqual([entry?.title, entry?.explanation]);
    }
    expectValidSarif(dir, run.stdout);
  });
});
