// validate on initiatives and exemptions: each wiring mistake is an error naming the file, the
// line and the JSON path; expired exemptions warn. Built with the shipped definitions as members.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildProject } from "../src/pipeline/build-project.js";
import type { ParsedFile } from "../src/core/compile-definition.js";
import { findDefinitionFiles, loadDefinitionInput } from "../src/io/load-definitions.js";
import { readAnywhere } from "../src/io/project-boundary.js";
import { parseSourceText } from "../src/io/source-file.js";

const root = join(import.meta.dirname, "..");
const members = findDefinitionFiles(join(root, "definitions")).map((f) => loadDefinitionInput(f, readAnywhere(root)));
const NOW = new Date("2026-11-24T00:00:00Z");

function initiative(text: string): ParsedFile {
  const parsed = parseSourceText("initiative.yaml", text);
  return { file: parsed.file, data: parsed.data, text, locate: parsed.locate, syntaxErrors: parsed.syntaxErrors };
}

function reparse(text: string, file: string): Omit<ParsedFile, "file"> {
  const parsed = parseSourceText(file, text);
  return { data: parsed.data, text, locate: parsed.locate, syntaxErrors: parsed.syntaxErrors };
}

function build(text: string) {
  const result = buildProject(members, [initiative(text)], ["arm"], [], NOW);
  return { result, found: result.diagnostics.map((d) => ({ code: d.code, severity: d.severity, pointer: d.pointer, line: d.line })) };
}

const head = "name: set\ndisplayName: Set\n";

describe("initiative wiring", () => {
  it("passes every member parameter through by name when the source sets none", () => {
    const { result } = build(`${head}definitions:\n  - definition: allowed-registries\n`);
    expect(result.diagnostics).toEqual([]);
    const model = result.initiatives[0];
    expect(Object.keys(model?.parameters ?? {})).toEqual(["effect", "excludedNamespaces", "namespaces", "labelSelector", "allowedRegistries", "message"]);
    expect(model?.members[0]?.parameters.allowedRegistries).toBe("[parameters('allowedRegistries')]");
    expect(model?.registryParameters).toEqual(["allowedRegistries"]);
  });

  it("takes one definition twice under two reference ids (two allow-lists), each wired to its own parameter", () => {
    const { result } = build(`${head}parameters:\n  teamA: { type: Array, default: [a.azurecr.io] }\n  teamB: { type: Array, default: [b.azurecr.io] }\ndefinitions:\n  - definition: allowed-registries\n    referenceId: teamA\n    parameters: { allowedRegistries: "[parameters('teamA')]" }\n  - definition: allowed-registries\n    referenceId: teamB\n    parameters: { allowedRegistries: "[parameters('teamB')]" }\n`);
    expect(result.diagnostics).toEqual([]);
    expect(result.initiatives[0]?.members.map((m) => [m.referenceId, m.parameters.allowedRegistries])).toEqual([
      ["teamA", "[parameters('teamA')]"],
      ["teamB", "[parameters('teamB')]"],
    ]);
    expect(result.initiatives[0]?.registryParameters.sort()).toEqual(["teamA", "teamB"]);
  });

  it("checks a registry-list initiative parameter's default as registries", () => {
    const { result, found } = build(`${head}parameters:\n  teamA: { type: Array, default: ["https://a.io"] }\ndefinitions:\n  - definition: allowed-registries\n    parameters: { allowedRegistries: "[parameters('teamA')]" }\n`);
    expect(result.ok).toBe(false);
    expect(found).toContainEqual({ code: "AZP2032", severity: "error", pointer: "/parameters/teamA/default/0", line: 4 });
  });

  it.each([
    ["a member that is not built", "definitions:\n  - definition: nope\n", "AZP2027", "/definitions/0/definition", 4],
    ["two members with one referenceId", "definitions:\n  - definition: allowed-registries\n    referenceId: r\n    parameters: { message: a }\n  - definition: k8s-gcr-deprecation\n    referenceId: R\n    parameters: { message: b }\n", "AZP2028", "/definitions/1/referenceId", 8],
    ["a parameter the definition lacks", "definitions:\n  - definition: allowed-registries\n    parameters: { nope: 1 }\n", "AZP2029", "/definitions/0/parameters/nope", 5],
    ["a reference to an undeclared initiative parameter", "definitions:\n  - definition: allowed-registries\n    parameters: { message: \"[parameters('hint')]\" }\n", "AZP2030", "/definitions/0/parameters/message", 5],
    ["an initiative parameter of another type", "parameters:\n  hint: { type: Array }\ndefinitions:\n  - definition: allowed-registries\n    parameters: { message: \"[parameters('hint')]\" }\n", "AZP2031", "/definitions/0/parameters/message", 7],
    ["an effect parameter that allows more than the member", "parameters:\n  effect: { type: String, default: Deny }\ndefinitions:\n  - definition: allowed-registries\n", "AZP2031", "/definitions/0/definition", 6],
    ["a literal of the wrong type", "definitions:\n  - definition: allowed-registries\n    parameters: { message: 3 }\n", "AZP2032", "/definitions/0/parameters/message", 5],
    ["a literal effect in the wrong case", "definitions:\n  - definition: allowed-registries\n    parameters: { effect: deny }\n", "AZP2032", "/definitions/0/parameters/effect", 5],
    ["a literal registry list with a non-registry", "definitions:\n  - definition: allowed-registries\n    parameters:\n      allowedRegistries: ['https://evil.io/x']\n", "AZP2032", "/definitions/0/parameters/allowedRegistries/0", 6],
    ["an ARM expression other than parameters()", "definitions:\n  - definition: allowed-registries\n    parameters: { message: \"[concat('a')]\" }\n", "AZP2032", "/definitions/0/parameters/message", 5],
    ["two members passing one name through differently", "definitions:\n  - definition: allowed-registries\n  - definition: k8s-gcr-deprecation\n", "AZP2033", "/definitions/1/definition", 5],
    ["a name a definition already has", "definitions:\n  - definition: allowed-registries\n", "AZP2038", "/name", 1],
  ])("%s is an error at its line", (_, body, code, pointer, line) => {
    const text = code === "AZP2038" ? `name: allowed-registries\ndisplayName: Set\n${body}` : `${head}${body}`;
    const { result, found } = build(text);
    expect(result.ok).toBe(false);
    expect(result.artifacts).toEqual([]);
    expect(found).toContainEqual({ code, severity: "error", pointer, line });
  });

  it.each([
    ["a default of the wrong type", "parameters:\n  hint: { type: String, default: 3 }\n", "AZP2015"],
    ["a default outside allowedValues", "parameters:\n  hint: { type: String, allowedValues: [a], default: b }\n", "AZP2023"],
  ])("%s is the same error as in a definition", (_, params, code) => {
    const { found } = build(`${head}${params}definitions:\n  - definition: allowed-registries\n    parameters: { message: "[parameters('hint')]" }\n`);
    expect(found).toContainEqual({ code, severity: "error", pointer: "/parameters/hint/default", line: 4 });
  });

  it("warns about an initiative parameter that feeds nothing", () => {
    const { result, found } = build(`${head}parameters:\n  unused: { type: String, default: x }\ndefinitions:\n  - definition: allowed-registries\n`);
    expect(result.ok).toBe(true);
    expect(found).toEqual([{ code: "AZP2018", severity: "warning", pointer: "/parameters/unused", line: 4 }]);
  });
});

describe("initiative texts follow the one rule for text people read (AZP2024), as a definition's do", () => {
  it.each([
    ["the display name", 'name: set\ndisplayName: "Set \u202egnp.exe"\n', "/displayName"],
    ["the description", 'name: set\ndisplayName: Set\ndescription: "fine\u200b"\n', "/description"],
    ["a parameter's name", 'name: set\ndisplayName: Set\nparameters:\n  "team\u2066A": { type: String, default: x }\n', "/parameters/team\u2066A"],
    ["a parameter's display name", 'name: set\ndisplayName: Set\nparameters:\n  teamA: { type: String, default: x, displayName: "A\u202d" }\n', "/parameters/teamA/displayName"],
  ])("a hidden character in %s is an error", (_, top, pointer) => {
    const { result, found } = build(`${top}definitions:\n  - definition: allowed-registries\n`);
    expect(result.ok).toBe(false);
    expect(found.map((f) => [f.code, f.pointer])).toContainEqual(["AZP2024", pointer]);
  });
  it("a multi-line description is text, not a hidden character", () => {
    const { found } = build(`name: set\ndisplayName: Set\ndescription: "line one\\nline two"\ndefinitions:\n  - definition: allowed-registries\n`);
    expect(found.filter((f) => f.code === "AZP2024")).toEqual([]);
  });
});

describe("exemptions", () => {
  it("on a definition an initiative assigns are an error at the definition's exemptions", () => {
    const withExemption = members.map((m) => (m.source.file.includes("allowed-registries") ? { ...m, source: { ...m.source, ...reparse(`${m.source.text}exemptions:\n  - name: x\n    category: Waiver\n`, m.source.file) } } : m));
    const result = buildProject(withExemption, [initiative(`${head}definitions:\n  - definition: allowed-registries\n`)], ["arm"], [], NOW);
    expect(result.ok).toBe(false);
    expect(result.diagnostics.map((d) => [d.code, d.file, d.pointer])).toContainEqual(["AZP2035", members.find((m) => m.source.file.includes("allowed-registries"))?.source.file, "/exemptions"]);
  });

  const member = "definitions:\n  - definition: allowed-registries\n    referenceId: allowed\n";
  it("warns about an expired exemption and keeps it out of what deploy creates", () => {
    const { result, found } = build(`${head}${member}exemptions:\n  - name: old\n    category: Waiver\n    expiresOn: 2026-01-01T00:00:00Z\n  - name: current\n    category: Mitigated\n    expiresOn: 2027-01-01\n    referenceIds: [allowed]\n`);
    expect(result.ok).toBe(true);
    expect(found).toEqual([{ code: "AZP2037", severity: "warning", pointer: "/exemptions/0/expiresOn", line: 9 }]);
    expect(result.initiatives[0]?.exemptions.map((e) => [e.name, e.expired, e.expiresOn])).toEqual([
      ["old", true, "2026-01-01T00:00:00.000Z"],
      ["current", false, "2027-01-01T00:00:00.000Z"],
    ]);
  });

  it.each([
    ["an expiry that is not a date", "  - name: x\n    category: Waiver\n    expiresOn: next tuesday\n", "AZP2036", "/exemptions/0/expiresOn"],
    ["an unknown referenceId", "  - name: x\n    category: Waiver\n    referenceIds: [nope]\n", "AZP2035", "/exemptions/0/referenceIds/0"],
    ["a namespace as scope", "  - name: x\n    category: Waiver\n    scope: kube-system/web\n", "AZP2035", "/exemptions/0/scope"],
    ["two exemptions with one name", "  - name: x\n    category: Waiver\n  - name: X\n    category: Waiver\n", "AZP2035", "/exemptions/1/name"],
    ["a category Azure does not have", "  - name: x\n    category: Forever\n", "AZP1002", "/exemptions/0/category"],
    ["a right-to-left override in an exemption's display name", '  - name: x\n    category: Waiver\n    displayName: "ok \u202egnp.exe"\n', "AZP2024", "/exemptions/0/displayName"],
    ["a zero-width space in an exemption's name", '  - name: "x\u200b"\n    category: Waiver\n', "AZP2035", "/exemptions/0/name"],
  ])("%s is an error", (_, body, code, pointer) => {
    const { result, found } = build(`${head}${member}exemptions:\n${body}`);
    expect(result.ok).toBe(false);
    expect(found.map((f) => [f.code, f.pointer])).toContainEqual([code, pointer]);
  });
});

describe("definitionVersion on members", () => {
  const versioned = loadDefinitionInput(join(root, "test", "fixtures", "definitions", "builtin-shapes", "definition.yaml"), readAnywhere(root));
  const buildWith = (member: string) => buildProject([...members, versioned], [initiative(`${head}definitions:\n${member}`)], ["arm"], [], NOW);

  it("is emitted as the member's definitionVersion when it selects the definition's version", () => {
    const result = buildWith("  - definition: builtin-shapes\n    definitionVersion: 1.*.*-preview\n");
    expect(result.diagnostics).toEqual([]);
    const set = JSON.parse(result.artifacts.find((a) => a.path === "set/policyset.json")?.content ?? "{}") as { properties: { policyDefinitions: Record<string, unknown>[] } };
    expect(set.properties.policyDefinitions[0]).toMatchObject({ policyDefinitionReferenceId: "builtin-shapes", definitionVersion: "1.*.*-preview" });
  });

  it.each([
    ["  - definition: builtin-shapes\n    definitionVersion: 2.*.*\n", /does not select 'builtin-shapes' version 1\.2\.0-preview/],
    ["  - definition: builtin-shapes\n    definitionVersion: latest\n", /is not #\.#\.# with optional '\*'/],
    ["  - definition: allowed-registries\n    definitionVersion: 1.*.*\n", /set versioned: true in its definition\.yaml/],
  ])("refuses %j", (member, message) => {
    const errors = buildWith(member).diagnostics.filter((d) => d.severity === "error");
    expect(errors.map((d) => `${d.code} ${d.pointer} ${d.message}`).join("\n")).toMatch(message);
    expect(errors[0]?.pointer).toBe("/definitions/0/definitionVersion");
  });
});
