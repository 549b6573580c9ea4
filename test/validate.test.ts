// One table row per validation error: the source text, and the exact diagnostic it must
// produce (code, file:line:col, JSON path, and the advice in the message).
import { formatDiagnostic } from "../src/cli/render/diagnostics.js";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildDefinitions } from "../src/pipeline/build-definitions.js";
import type { Diagnostic } from "../src/model/diagnostics.js";
import { loadDefinitionInput } from "../src/io/load-definitions.js";
import { readAnywhere } from "../src/io/project-boundary.js";
import { gatekeeperYamlDigest } from "../src/core/gatekeeper-yaml-digest.js";

const root = join(import.meta.dirname, "..");
const scratch = mkdtempSync(join(tmpdir(), "azpol-validate-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const TEMPLATE = join(root, "constraint-templates", "disallowed-registries", "template.yaml");

/** A valid source; rows replace parts of it. Line numbers below refer to this text. */
const BASE = `name: no-old-registries
displayName: No old registries
description: Blocks old registries.
template:
  path: ${TEMPLATE}
  source: Base64Encoded
effect: Deny
excludedNamespaces: [kube-system, gatekeeper-system]
parameters:
  blockedRegistries:
    type: Array
    default: [k8s.gcr.io]
    templateParameter: registries
`;

let n = 0;
function build(text: string, files: Record<string, string> = {}, overrides: { name: string; raw: string }[] = []) {
  const dir = join(scratch, `case-${n++}`);
  mkdirSync(dir, { recursive: true });
  for (const [f, t] of Object.entries(files)) writeFileSync(join(dir, f), t);
  const file = join(dir, "definition.yaml");
  writeFileSync(file, text);
  return buildDefinitions([loadDefinitionInput(file, readAnywhere(dir))], ["arm"], overrides);
}

function only(diagnostics: Diagnostic[], severity: "error" | "warning" = "error"): Diagnostic {
  const matching = diagnostics.filter((d) => d.severity === severity);
  expect(matching, JSON.stringify(diagnostics, null, 2)).toHaveLength(1);
  return matching[0] as Diagnostic;
}

it("the base source is valid", () => {
  const result = build(BASE);
  expect(result.diagnostics).toEqual([]);
  expect(result.ok).toBe(true);
});

interface Row {
  name: string;
  text: string;
  files?: Record<string, string>;
  expected: Partial<Omit<Diagnostic, "message">> & { message?: RegExp };
}

const rows: Row[] = [
  {
    name: "YAML syntax error",
    text: BASE.replace("effect: Deny", "effect: [Deny"),
    expected: { code: "AZP1001", file: "definition.yaml", line: 8 },
  },
  {
    name: "unknown top-level property",
    text: `${BASE}efect: Deny\n`,
    expected: { code: "AZP1002", pointer: "/efect", line: 14, col: 1, message: /unknown property 'efect'; remove it or use one of: name, displayName/ },
  },
  {
    name: "missing required property",
    text: BASE.replace("displayName: No old registries\n", ""),
    expected: { code: "AZP1002", pointer: "", line: 1, col: 1, message: /missing required property 'displayName'/ },
  },
  {
    name: "template source not an allowed value",
    text: BASE.replace("source: Base64Encoded", "source: Inline"),
    expected: { code: "AZP1002", pointer: "/template/source", line: 6, col: 11, message: /"Inline" is not allowed; use one of: PublicURL, Base64Encoded/ },
  },
  {
    name: "PublicURL without url",
    text: BASE.replace("source: Base64Encoded", "source: PublicURL"),
    expected: { code: "AZP1002", pointer: "/template", message: /missing required property 'url'/ },
  },
  {
    name: "wrong type",
    text: BASE.replace("excludedNamespaces: [kube-system, gatekeeper-system]", "excludedNamespaces: kube-system"),
    expected: { code: "AZP1002", pointer: "/excludedNamespaces", line: 8, col: 21, message: /must be an array, got a string/ },
  },
  {
    name: "effect not allowed",
    text: BASE.replace("effect: Deny", "effect: Block"),
    expected: { code: "AZP2001", pointer: "/effect", line: 7, col: 9, message: /effect "Block" is not allowed .*; use one of: Audit, Deny, Disabled/ },
  },
  {
    name: "namespace not a DNS-1123 label",
    text: BASE.replace("[kube-system, gatekeeper-system]", "[kube-system, Gatekeeper_System]"),
    expected: { code: "AZP2002", pointer: "/excludedNamespaces/1", line: 8, col: 35, message: /"Gatekeeper_System" is not a DNS-1123 label; did you mean 'gatekeeper-system'\?/ },
  },
  {
    name: "namespace wildcard",
    text: BASE.replace("[kube-system, gatekeeper-system]", "[kube-*]"),
    expected: { code: "AZP2002", pointer: "/excludedNamespaces/0", message: /has a wildcard/ },
  },
  {
    name: "duplicate namespace",
    text: BASE.replace("[kube-system, gatekeeper-system]", "[kube-system, kube-system]"),
    expected: { code: "AZP2003", pointer: "/excludedNamespaces/1", line: 8, col: 35, message: /already listed at excludedNamespaces\[0\]/ },
  },
  ...(
    [
      ["https://k8s.gcr.io", /has a scheme; write the host only, e.g. 'k8s.gcr.io'/],
      ["k8s.gcr.io/*", /has a wildcard/],
      ["K8s.gcr.io", /must be lowercase; use 'k8s.gcr.io'/],
      ["k8s.gcr.io pause", /contains whitespace/],
      ["nginx", /does not start with a registry host .* 'docker.io\/library\/nginx'/],
      ["k8s.gcr.io:99999", /invalid port '99999'/],
      ["k8s.gcr.io/pause:3.9", /has a tag/],
      ["k8s.gcr.io/", /ends with '\/'/],
      ["k8s..gcr.io", /invalid host/],
      ["", /is empty/],
    ] as const
  ).map(([value, message]): Row => ({
    name: `registry ${JSON.stringify(value)}`,
    text: BASE.replace("default: [k8s.gcr.io]", `default: [${JSON.stringify(value)}]`),
    expected: { code: "AZP2004", pointer: "/parameters/blockedRegistries/default/0", line: 12, col: 15, message },
  })),
  {
    name: "duplicate registry",
    text: BASE.replace("default: [k8s.gcr.io]", "default: [k8s.gcr.io, k8s.gcr.io]"),
    expected: { code: "AZP2005", pointer: "/parameters/blockedRegistries/default/1", line: 12, col: 27, message: /already listed at index 0/ },
  },
  {
    name: "empty registry list",
    text: BASE.replace("default: [k8s.gcr.io]", "default: []"),
    expected: { code: "AZP2006", pointer: "/parameters/blockedRegistries/default", message: /lists no registries/ },
  },
  {
    name: "registry list that is not an Array",
    text: BASE.replace("type: Array", "type: String").replace("default: [k8s.gcr.io]", "default: k8s.gcr.io").replace("templateParameter: registries", "templateParameter: message"),
    expected: { code: "AZP2004", pointer: "/parameters/blockedRegistries/type", message: /its type must be Array/ },
  },
  {
    name: "values key not in the template schema",
    text: BASE.replace("templateParameter: registries", "templateParameter: registry"),
    expected: { code: "AZP2007", pointer: "/parameters/blockedRegistries/templateParameter", line: 13, col: 24, message: /'registry' is not a parameter of the template; the template 'k8sazpoldisallowedregistries' takes: registries, message/ },
  },
  {
    name: "values type does not match the template",
    text: `${BASE}values:\n  message: [not, a, string]\n`,
    expected: { code: "AZP2008", pointer: "/values/message", line: 15, col: 12, message: /passes array to template parameter 'message', which is string/ },
  },
  {
    name: "array items type does not match the template",
    text: BASE.replace("default: [k8s.gcr.io]", "default: [k8s.gcr.io]").replace("templateParameter: registries", "templateParameter: registries") + "values:\n  registries: [1, 2]\n",
    expected: { code: "AZP2021", pointer: "/values/registries", message: /already set by parameter 'blockedRegistries'/ },
  },
  {
    name: "undeclared parameter reference",
    text: `${BASE}values:\n  message: "[parameters('hint')]"\n`,
    expected: { code: "AZP2009", pointer: "/values/message", line: 15, col: 12, message: /uses parameter 'hint', which is not declared/ },
  },
  {
    name: "name with a dot",
    text: BASE.replace("name: no-old-registries", "name: no.old.registries"),
    expected: { code: "AZP2010", pointer: "/name", line: 1, col: 7, message: /contains '\.'; Azure resource names cannot contain/ },
  },
  {
    name: "name longer than 64",
    text: BASE.replace("name: no-old-registries", `name: ${"x".repeat(65)}`),
    expected: { code: "AZP2010", pointer: "/name", message: /is 65 characters; Azure allows at most 64/ },
  },
  {
    name: "displayName longer than 128",
    text: BASE.replace("displayName: No old registries", `displayName: ${"d".repeat(129)}`),
    expected: { code: "AZP2011", pointer: "/displayName", line: 2, col: 14, message: /129 characters; Azure allows at most 128/ },
  },
  {
    name: "description longer than 512",
    text: BASE.replace("description: Blocks old registries.", `description: ${"d".repeat(513)}`),
    expected: { code: "AZP2012", pointer: "/description", message: /513 characters; Azure allows at most 512/ },
  },
  {
    name: "more than 20 parameters",
    text: BASE + Array.from({ length: 16 }, (_, i) => `  extra${i}:\n    type: String\n`).join(""),
    expected: { code: "AZP2013", pointer: "/parameters", message: /has 21 parameters \(4 standard \+ 17 own\); Azure allows at most 20/ },
  },
  {
    name: "default does not match the type",
    text: BASE.replace("default: [k8s.gcr.io]", "default: k8s.gcr.io"),
    expected: { code: "AZP2015", pointer: "/parameters/blockedRegistries/default", line: 12, col: 14, message: /is string "k8s.gcr.io", but the parameter type is Array/ },
  },
  {
    name: "standard parameter redeclared",
    text: `${BASE}  effect:\n    type: String\n`,
    expected: { code: "AZP2022", pointer: "/parameters/effect", message: /set it with the top-level 'effect' key/ },
  },
  {
    name: "wildcard kind",
    text: `${BASE}kinds: ["*"]\n`,
    expected: { code: "AZP2017", pointer: "/kinds/0", line: 14, col: 9, message: /kinds may not be "\*"/ },
  },
  {
    name: "version not #.#.#",
    text: `${BASE}version: "1.0"\n`,
    expected: { code: "AZP2020", pointer: "/version", message: /is not #\.#\.#/ },
  },
  {
    name: "template file missing",
    text: BASE.replace(TEMPLATE, "./missing.yaml"),
    expected: { code: "AZP3001", pointer: "/template/path", line: 5, col: 9, message: /does not exist .*; fix template.path/ },
  },
  {
    name: "template name is not lower(kind)",
    text: BASE.replace(TEMPLATE, "./template.yaml"),
    files: {
      "template.yaml": `apiVersion: templates.gatekeeper.sh/v1beta1\nkind: ConstraintTemplate\nmetadata:\n  name: wrongname\nspec:\n  crd:\n    spec:\n      names:\n        kind: K8sRight\n      validation:\n        openAPIV3Schema:\n          properties:\n            registries: {type: array, items: {type: string}}\n  targets:\n    - target: admission.k8s.gatekeeper.sh\n      rego: |\n        package x\n        violation[{"msg": "m"}] { false }\n`,
    },
    expected: { code: "AZP3002", file: "template.yaml", pointer: "/metadata/name", line: 4, col: 9, message: /must equal the lowercase of spec.crd.spec.names.kind "K8sRight"; use 'k8sright'/ },
  },
  {
    name: "templateInfo URL not https",
    text: BASE.replace("source: Base64Encoded", "source: PublicURL\n  url: http://example.com/template.yaml"),
    expected: { code: "AZP3003", pointer: "/template/url", line: 7, col: 8, message: /must use https, got "http"/ },
  },
  {
    name: "template that needs synced data",
    text: BASE.replace(TEMPLATE, "./template.yaml"),
    files: {
      "template.yaml": `apiVersion: templates.gatekeeper.sh/v1beta1\nkind: ConstraintTemplate\nmetadata:\n  name: k8sx\n  annotations:\n    metadata.gatekeeper.sh/requires-sync-data: "[]"\nspec:\n  crd:\n    spec:\n      names:\n        kind: K8sX\n      validation:\n        openAPIV3Schema:\n          properties:\n            registries: {type: array, items: {type: string}}\n  targets:\n    - target: admission.k8s.gatekeeper.sh\n      rego: |\n        package x\n        violation[{"msg": "m"}] { false }\n`,
    },
    expected: { code: "AZP3004", file: "template.yaml", pointer: "/metadata/annotations", message: /requires synced data/ },
  },
];

describe("validation errors", () => {
  it.each(rows)("$name", ({ text, files, expected }) => {
    const result = build(text, files);
    expect(result.ok).toBe(false);
    expect(result.artifacts).toEqual([]);
    const { message, ...rest } = expected;
    const d = only(result.diagnostics);
    expect(d).toMatchObject({ file: "definition.yaml", severity: "error", ...rest });
    expect(d.message).toMatch(message ?? /./);
  });
});

// Azure accepts it and Microsoft ships it (ContainerEnforcePreStopHook: ReplicationController
// under ["apps"]), so it warns instead of blocking the build or an import of such a built-in
it("warns (does not refuse) a workload kind listed without its API group", () => {
  const result = build(`${BASE}apiGroups: [""]\nkinds: [Pod, Deployment]\n`);
  expect(result.ok).toBe(true);
  const d = only(result.diagnostics, "warning");
  expect(d).toMatchObject({ code: "AZP2017", pointer: "/kinds/1" });
  expect(d.message).toMatch(/kind Deployment is in API group "apps", which apiGroups does not list.*Azure accepts/);
});

it("accepts any effect case and emits the canonical form", () => {
  const result = build(BASE.replace("effect: Deny", "effect: dEnY"));
  expect(result.ok).toBe(true);
  expect(result.models[0]?.parameters.effect?.defaultValue).toBe("Deny");
});

it("warns about a parameter that never reaches the template", () => {
  const result = build(`${BASE}  unused:\n    type: String\n`);
  expect(result.ok).toBe(true);
  expect(only(result.diagnostics, "warning")).toMatchObject({ code: "AZP2018", pointer: "/parameters/unused", line: 14, col: 3 });
});

it("warns about a template name in the add-on's k8sazure namespace", () => {
  const template = `apiVersion: templates.gatekeeper.sh/v1beta1\nkind: ConstraintTemplate\nmetadata:\n  name: k8sazureregistries\nspec:\n  crd:\n    spec:\n      names:\n        kind: K8sAzureRegistries\n      validation:\n        openAPIV3Schema:\n          properties:\n            registries: {type: array, items: {type: string}}\n  targets:\n    - target: admission.k8s.gatekeeper.sh\n      rego: |\n        package x\n        violation[{"msg": "m"}] { false }\n`;
  const result = build(BASE.replace(TEMPLATE, "./template.yaml"), { "template.yaml": template });
  expect(result.ok).toBe(true);
  expect(only(result.diagnostics, "warning")).toMatchObject({ code: "AZP3008", file: "template.yaml", pointer: "/metadata/name", line: 4, col: 9 });
  // Microsoft's own template, referenced where the built-ins reference it, is no collision
  const microsoft = build(
    BASE.replace(TEMPLATE, "./template.yaml").replace("source: Base64Encoded", `source: PublicURL\n  url: https://store.policy.core.windows.net/kubernetes/registries/v1/template.yaml\n  sha256: ${gatekeeperYamlDigest(template)}`),
    { "template.yaml": template },
  );
  expect(microsoft.diagnostics).toEqual([]);
});

it("warns about a templateInfo URL that looks like it carries a SAS token", () => {
  const result = build(BASE.replace("source: Base64Encoded", "source: PublicURL\n  url: https://x.blob.core.windows.net/t/template.yaml?sv=2022&sig=abc"));
  expect(result.diagnostics.filter((d) => d.severity === "warning").map((d) => d.code).sort()).toEqual(["AZP3005", "AZP3011"]);
});

it("records the hosted template's sha256: none is a warning (AZP3011), a stale one an error (AZP3010)", () => {
  const hosted = (extra: string) => build(BASE.replace("source: Base64Encoded", `source: PublicURL\n  url: https://example.com/template.yaml${extra}`));
  const none = hosted("");
  expect(only(none.diagnostics, "warning")).toMatchObject({ code: "AZP3011", pointer: "/template" });
  const digest = /sha256: ([0-9a-f]{64})/.exec(only(none.diagnostics, "warning").message)?.[1];
  expect(digest).toMatch(/^[0-9a-f]{64}$/);
  expect(hosted(`\n  sha256: ${digest}`).diagnostics).toEqual([]);
  expect(only(hosted(`\n  sha256: "${"0".repeat(64)}"`).diagnostics)).toMatchObject({ code: "AZP3010", pointer: "/template/sha256" });
  expect(only(hosted("\n  sha256: ABC").diagnostics)).toMatchObject({ code: "AZP1002", pointer: "/template/sha256" });
});

it("checks --param overrides like the source and names the flag", () => {
  const bad = build(BASE, {}, [{ name: "blockedRegistries", raw: "k8s.gcr.io,HTTPS://gcr.io" }]);
  expect(only(bad.diagnostics)).toMatchObject({ code: "AZP2004", file: "--param blockedRegistries", pointer: "/1" });
  const unknown = build(BASE, {}, [{ name: "blockedRegistry", raw: "x.io" }]);
  expect(only(unknown.diagnostics)).toMatchObject({ code: "AZP1003" });
  expect(only(unknown.diagnostics).message).toMatch(/no definition declares a parameter 'blockedRegistry'/);
  const good = build(BASE, {}, [{ name: "blockedRegistries", raw: "k8s.gcr.io,gcr.io/google-containers" }, { name: "effect", raw: "audit" }]);
  expect(good.ok).toBe(true);
  expect(good.models[0]?.parameters.blockedRegistries?.defaultValue).toEqual(["k8s.gcr.io", "gcr.io/google-containers"]);
  expect(good.models[0]?.parameters.effect?.defaultValue).toBe("Audit");
});

// audit-builtins finding 3: --param source=<anything> skipped source's allowed values (the
// built default ended outside allowedValues, which Azure rejects) and added a source parameter
// to a definition without one
it("checks --param source and warn exactly like the file's value, and adds neither to a definition without them", () => {
  const withSource = `${BASE}source: All\nwarn: true\n`;
  for (const raw of ["Bogus", "all"]) {
    const bad = build(withSource, {}, [{ name: "source", raw }]);
    expect(bad.ok).toBe(false);
    expect(only(bad.diagnostics)).toMatchObject({ code: "AZP1002", file: "--param source", pointer: "" });
    expect(only(bad.diagnostics).message).toMatch(new RegExp(`"${raw}" is not allowed; use one of: Original, Generated, All`));
  }
  const good = build(withSource, {}, [{ name: "source", raw: "Generated" }, { name: "warn", raw: "false" }]);
  expect(good.ok).toBe(true);
  expect(good.models[0]?.parameters.source?.defaultValue).toBe("Generated");
  expect(good.models[0]?.parameters.warn?.defaultValue).toBe(false);
  const without = build(BASE, {}, [{ name: "source", raw: "All" }]);
  expect(without.ok).toBe(false);
  expect(only(without.diagnostics)).toMatchObject({ code: "AZP1003" });
  expect(only(without.diagnostics).message).toMatch(/no definition declares a parameter 'source'/);
});

// audit-builtins finding 2: 9007199254740993 was read as ...992 and built without a word
it("refuses an integer beyond 2^53 at its line and column instead of rounding it", () => {
  const text = BASE.replace("parameters:\n", "parameters:\n  big:\n    type: Integer\n    default: 9007199254740993\n");
  const result = build(text);
  expect(result.ok).toBe(false);
  const d = only(result.diagnostics);
  expect(d).toMatchObject({ code: "AZP1001", file: "definition.yaml", line: text.split("\n").findIndex((l) => l.includes("9007199254740993")) + 1, col: 14 });
  expect(d.message).toMatch(/the integer 9007199254740993 is beyond ±2\^53 .*reads it as 9007199254740992/);
  expect(build(BASE.replace("parameters:\n", "parameters:\n  big:\n    type: Integer\n    default: 9007199254740991\n")).diagnostics.filter((x) => x.code === "AZP1001")).toEqual([]);
});

it("rejects a definition body over 1 MiB, counting the Base64 template", () => {
  const big = `apiVersion: templates.gatekeeper.sh/v1beta1\nkind: ConstraintTemplate\nmetadata:\n  name: k8sbig\nspec:\n  crd:\n    spec:\n      names:\n        kind: K8sBig\n      validation:\n        openAPIV3Schema:\n          properties:\n            registries: {type: array, items: {type: string}}\n  targets:\n    - target: admission.k8s.gatekeeper.sh\n      rego: |\n        package x\n        violation[{"msg": "m"}] { false }\n        # ${"x".repeat(800_000)}\n`;
  const result = build(BASE.replace(TEMPLATE, "./template.yaml"), { "template.yaml": big });
  expect(only(result.diagnostics)).toMatchObject({ code: "AZP2014" });
  expect(only(result.diagnostics).message).toMatch(/Azure accepts at most 1048576 \(the Base64 template counts; host it and use source: PublicURL\)/);
});

it("rejects two definitions with the same name", () => {
  const a = join(scratch, "dup-a");
  const b = join(scratch, "dup-b");
  mkdirSync(a);
  mkdirSync(b);
  writeFileSync(join(a, "definition.yaml"), BASE);
  writeFileSync(join(b, "definition.yaml"), BASE);
  const result = buildDefinitions([loadDefinitionInput(join(a, "definition.yaml"), readAnywhere(scratch)), loadDefinitionInput(join(b, "definition.yaml"), readAnywhere(scratch))], ["arm"]);
  expect(only(result.diagnostics)).toMatchObject({ code: "AZP2016", file: "dup-b/definition.yaml", line: 1, col: 7 });
});

it("rejects two definitions whose names differ only in case (Azure names ignore case)", () => {
  const a = join(scratch, "case-a");
  const b = join(scratch, "case-b");
  mkdirSync(a);
  mkdirSync(b);
  const name = /^name: (\S+)$/m.exec(BASE)?.[1] ?? "";
  expect(name).not.toBe(name.toUpperCase());
  writeFileSync(join(a, "definition.yaml"), BASE);
  writeFileSync(join(b, "definition.yaml"), BASE.replace(`name: ${name}`, `name: ${name.toUpperCase()}`));
  const result = buildDefinitions([loadDefinitionInput(join(a, "definition.yaml"), readAnywhere(scratch)), loadDefinitionInput(join(b, "definition.yaml"), readAnywhere(scratch))], ["arm"]);
  expect(only(result.diagnostics)).toMatchObject({ code: "AZP2016", file: "case-b/definition.yaml" });
  expect(only(result.diagnostics).message).toContain("(Azure names ignore case)");
});

it("reports a YAML alias bomb as a syntax error instead of expanding it", () => {
  const bomb = ["a: &a [x, x, x, x, x, x, x, x, x]", "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]", "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]", "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]", "e: [*d, *d, *d, *d, *d, *d, *d, *d, *d]", ""].join("\n");
  const result = build(bomb + BASE);
  expect(only(result.diagnostics)).toMatchObject({ code: "AZP1001", line: 1, col: 1 });
  expect(only(result.diagnostics).message).toMatch(/expands aliases too much/);
});

it("never repeats the JSON pointer in a schema message", () => {
  const result = build(BASE.replace(/^displayName: .*\n/m, "").replace(/^name: .*$/m, "name: 7"));
  expect(result.diagnostics.length).toBeGreaterThan(0);
  for (const d of result.diagnostics) expect(formatDiagnostic(d)).not.toMatch(/ (\/\S*): \1:/);
});

it.each([
  ["a right-to-left override in the display name", (t: string) => t.replace(/^displayName: (.*)$/m, "displayName: \"$1 \u202egnp.exe\""), "/displayName", "U+202E"],
  ["a zero-width space in the name", (t: string) => t.replace(/^name: (\S+)$/m, "name: \"$1\u200b\""), "/name", "U+200B"],
  ["a control character in the description", (t: string) => t.replace(/^description: (.*)$/m, "description: \"$1\\u0007\""), "/description", "U+0007"],
])("rejects %s (AZP2024)", (_, edit, pointer, char) => {
  const result = build(edit(BASE));
  const d = result.diagnostics.find((x) => x.code === "AZP2024");
  expect(d).toMatchObject({ code: "AZP2024", pointer });
  expect(d?.message).toContain(char);
});

it.each([
  ["operator in lower case", "labelSelector:\n  matchExpressions:\n  - {key: tier, operator: in, values: [web]}\n", "/labelSelector/matchExpressions/0/operator", /did you mean 'In'\? \(operators are case-sensitive\)/],
  ["In without values", "labelSelector:\n  matchExpressions:\n  - {key: tier, operator: In}\n", "/labelSelector/matchExpressions/0/values", /operator In needs at least one value/],
  ["Exists with values", "labelSelector:\n  matchExpressions:\n  - {key: tier, operator: Exists, values: [x]}\n", "/labelSelector/matchExpressions/0/values", /takes no values/],
  ["a number as a label value", "labelSelector:\n  matchLabels: {tier: 1}\n", "/labelSelector/matchLabels/tier", /must be a string/],
  ["an unknown field", "labelSelector:\n  matchLabel: {tier: web}\n", "/labelSelector/matchLabel", /unknown field 'matchLabel'/],
])("rejects a labelSelector with %s (AZP2025), as the schema azpol emits would", (_, yaml, pointer, message) => {
  const result = build(BASE.replace(/^labelSelector:.*\n/m, "") + yaml);
  const d = result.diagnostics.find((x) => x.code === "AZP2025");
  expect(d).toMatchObject({ code: "AZP2025", pointer });
  expect(d?.message).toMatch(message);
});

it("checks a --param labelSelector the same way", () => {
  const result = build(BASE, {}, [{ name: "labelSelector", raw: '{"matchExpressions":[{"key":"a","operator":"in","values":["b"]}]}' }]);
  expect(result.diagnostics.find((x) => x.code === "AZP2025")).toMatchObject({ file: "--param labelSelector", pointer: "/matchExpressions/0/operator" });
});

it("warns that a template with CEL code beside its Rego is judged by its CEL, so the Rego decides nothing (AZP3009)", () => {
  const rego = readFileSync(join(import.meta.dirname, "..", "constraint-templates", "disallowed-registries", "template.yaml"), "utf8");
  const withCel = rego.replace("      rego: |", "      code:\n      - engine: K8sNativeValidation\n        source:\n          validations:\n          - expression: \"true\"\n            message: m\n      rego: |");
  const result = build(BASE.replace(TEMPLATE, "./template.yaml"), { "template.yaml": withCel });
  expect(only(result.diagnostics, "warning")).toMatchObject({ code: "AZP3009", file: "template.yaml" });
});
