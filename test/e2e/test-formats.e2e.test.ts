// `azpol test` for CI: manifests on standard input (`helm template . | azpol test -`), JUnit XML
// for test tabs and SARIF 2.1.0 for code-scanning annotations. The SARIF goes through
// Microsoft's SARIF Multitool validator (npm run setup:sarif; CI installs it), the JUnit through
// an XML parser and a structure check.
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { afterAll, describe, expect, it } from "vitest";
import { azpol } from "../support/cli.js";
import { expectValidSarif } from "../support/sarif-multitool.js";

const root = join(import.meta.dirname, "..", "..");
const dir = mkdtempSync(join(tmpdir(), "azpol-formats-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
cpSync(join(root, "definitions"), join(dir, "definitions"), { recursive: true, filter: (s) => !s.includes("golden") });
cpSync(join(root, "constraint-templates"), join(dir, "constraint-templates"), { recursive: true });

const pod = (name: string, image: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: shop}\nspec: {containers: [{name: c, image: ${image}}]}\n`;
const stream = [pod("old", "k8s.gcr.io/pause:3.9"), pod("hub", "nginx:1.27")].join("---\n");

describe("azpol test -", () => {
  it("reads manifests from standard input and names them <stdin>", () => {
    const run = azpol(["test", "-"], { cwd: dir, input: stream });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("<stdin>#0 v1 Pod shop/old\n");
    expect(run.stdout).toContain("<stdin>#1 v1 Pod shop/hub\n");
    expect(run.stdout).toMatch(/2 objects read: 2 checked against 2 policies \(2 with violations, 0 ok\)/);
  });

  it("says so when standard input holds nothing", () => {
    const run = azpol(["test", "-"], { cwd: dir, input: "" });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/<stdin>:1#0: cannot read: holds no Kubernetes objects/);
  });
});

describe("--format sarif", () => {
  it("is valid SARIF 2.1.0 for Microsoft's validator, with a result per violation at the object's line", () => {
    const run = azpol(["test", "-", "--format", "sarif"], { cwd: dir, input: stream });
    expect(run.status).toBe(1);
    const sarif = JSON.parse(run.stdout) as { version: string; runs: { results: { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[] }[] };
    expect(sarif.version).toBe("2.1.0");
    const results = sarif.runs[0]?.results ?? [];
    expect(results.length).toBeGreaterThanOrEqual(2);
    expect(results.map((r) => r.locations[0]?.physicalLocation.region.startLine)).toContain(6);
    expect(new Set(results.map((r) => r.level))).toEqual(new Set(["error"]));
    expectValidSarif(dir, run.stdout);
  });
});

describe("--format junit", () => {
  it("is well-formed JUnit XML with a testcase per object and suite case, failures for violations", () => {
    const run = azpol(["test", "-", "--format", "junit"], { cwd: dir, input: stream });
    expect(run.status).toBe(1);
    expect(XMLValidator.validate(run.stdout)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(run.stdout) as { testsuites: { tests: string; failures: string; testsuite: { name: string; testcase: { name: string; failure?: unknown }[] } } };
    expect(doc.testsuites).toMatchObject({ tests: "2", failures: "2" });
    expect(doc.testsuites.testsuite.name).toBe("<stdin>");
    expect(doc.testsuites.testsuite.testcase.every((t) => t.failure !== undefined)).toBe(true);

    const suites = azpol(["test", "--format", "junit"], { cwd: dir });
    expect(suites.status).toBe(0);
    expect(XMLValidator.validate(suites.stdout)).toBe(true);
    expect(suites.stdout).toMatch(/<testsuites name="azpol test" tests="\d+" failures="0" errors="0">/);
  });
});
