// Assignment sources are validated like definitions: every problem at file:line:col, for the
// picked environment and every other one, before anything reaches Azure.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildAssignments } from "../../src/assignment/build-assignments.js";
import { buildProject } from "../../src/pipeline/build-project.js";
import type { ParsedFile } from "../../src/core/compile-definition.js";
import { parseSourceText } from "../../src/io/source-file.js";
import { findDefinitionFiles, findInitiativeFiles, loadDefinitionInput, readParsedFile } from "../../src/io/load-definitions.js";
import { readAnywhere } from "../../src/io/project-boundary.js";

const root = join(import.meta.dirname, "..", "..");
const built = buildProject(
  findDefinitionFiles(join(root, "definitions")).map((f) => loadDefinitionInput(f, readAnywhere(root))),
  findInitiativeFiles(join(root, "initiatives")).map((f) => readParsedFile(f, root)),
  [],
);
const SUB = "11111111-1111-1111-1111-111111111111";
const OTHER = "22222222-2222-2222-2222-222222222222";

const file = (text: string, name = "assignments/a.yaml"): ParsedFile => ({ ...parseSourceText(name, text), text });
const build = (texts: string[], env?: string, location: { subscriptionId: string } | { managementGroupId: string } | undefined = { subscriptionId: SUB }) =>
  buildAssignments(texts.map((t, i) => file(t, `assignments/a${i}.yaml`)), built.models, built.initiatives, { location, env });
const where = (r: ReturnType<typeof build>) => r.diagnostics.map((d) => `${d.file}:${d.line}:${d.col} ${d.code} ${d.severity}`);

describe("assignment sources", () => {
  it("the definitions built", () => expect(built.ok).toBe(true));

  it("a valid one: scopes of every kind, notScopes, values, messages, a definitionVersion pin", () => {
    const r = build([
      `name: registries
definition: allowed-registries
definitionVersion: "1.*.*"
scopes:
  - /subscriptions/${SUB}
  - /subscriptions/${SUB}/resourceGroups/rg-demo
notScopes: [/subscriptions/${SUB}/resourceGroups/rg-sandbox]
enforcementMode: DoNotEnforce
parameters:
  effect: deny
  allowedRegistries: [myacr.azurecr.io]
nonComplianceMessages:
  - message: pull from myacr.azurecr.io
`,
    ]);
    expect(r.diagnostics).toEqual([]);
    expect(r.assignments[0]).toMatchObject({ name: "registries", target: { kind: "definition", name: "allowed-registries" }, enforcementMode: "DoNotEnforce", definitionVersion: "1.*.*", parameters: { effect: "Deny" } });
    expect(r.assignments[0]?.scopes.map((s) => s.kind)).toEqual(["subscription", "resourceGroup"]);
  });

  it("each problem at its line and column: unknown definition, undeclared parameter, value outside allowedValues, malformed scope, scope outside the location", () => {
    const r = build([
      `name: a
definition: no-such-definition
scopes: [/subscriptions/${SUB}]
`,
      `name: b
initiative: trusted-images
scopes:
  - /subscriptions/${SUB}/resourceGroups/rg-demo
  - /subscriptions/not-a-guid
  - rg-only
  - /subscriptions/${OTHER}
parameters:
  effect: Block
  nosuch: 1
`,
    ]);
    expect(where(r)).toEqual([
      "assignments/a0.yaml:2:13 AZP2401 error",
      "assignments/a1.yaml:5:5 AZP2403 error",
      "assignments/a1.yaml:6:5 AZP2403 error",
      "assignments/a1.yaml:7:5 AZP2404 error",
      "assignments/a1.yaml:9:11 AZP2402 error",
      "assignments/a1.yaml:10:11 AZP2402 error",
    ]);
    const messages = r.diagnostics.map((d) => d.message).join("\n");
    expect(messages).toMatch(/no definition named 'no-such-definition'.*built: allowed-registries, k8s-gcr-deprecation/);
    expect(messages).toMatch(/"Block" is not allowed for 'effect' in initiative trusted-images; use one of: /);
    expect(messages).toMatch(/declares no parameter 'nosuch'/);
    expect(messages).toMatch(/outside the definitions' location \(subscription 1111/);
    expect(r.ok).toBe(false);
  });

  it("--env picks an environment's values (parameters merge by name); an assignment without that environment is excluded; every environment is checked", () => {
    const source = `name: registries
definition: allowed-registries
scopes: [/subscriptions/${SUB}/resourceGroups/rg-dev]
parameters:
  effect: Audit
  allowedRegistries: [dev.azurecr.io]
environments:
  prod:
    scopes: [/subscriptions/${SUB}/resourceGroups/rg-prod]
    parameters:
      effect: Deny
  test:
    enforcementMode: DoNotEnforce
`;
    const prod = build([source], "prod");
    expect(prod.diagnostics).toEqual([]);
    expect(prod.assignments[0]?.parameters).toEqual({ effect: "Deny", allowedRegistries: ["dev.azurecr.io"] });
    expect(prod.assignments[0]?.scopes.map((s) => s.id)).toEqual([`/subscriptions/${SUB}/resourceGroups/rg-prod`]);
    expect(build([source]).assignments[0]?.parameters.effect).toBe("Audit");
    const staging = build([source], "staging");
    expect(staging.assignments).toEqual([]);
    expect(staging.excluded).toEqual(["assignments/a0.yaml"]);
    const broken = build([source.replace("      effect: Deny", "      effect: Sometimes")], "test");
    expect(where(broken)).toEqual(["assignments/a0.yaml:11:15 AZP2402 error"]);
  });

  it("a management group location: its own group is fine, another group or a subscription cannot be checked offline (a warning)", () => {
    const r = build([`name: registries
definition: allowed-registries
scopes: [mg:platform, mg:landing-zones]
`], undefined, { managementGroupId: "platform" });
    expect(where(r)).toEqual(["assignments/a0.yaml:3:23 AZP2404 warning"]);
    expect(r.ok).toBe(true);
  });

  it("names: 24 characters at a management group, no forbidden characters; one name at one scope only once", () => {
    const long = build([`name: a-name-longer-than-24-chars
definition: allowed-registries
scopes: [mg:platform]
`], undefined, { managementGroupId: "platform" });
    expect(long.diagnostics.map((d) => d.message)).toEqual([expect.stringMatching(/at most 24 at a management group/)]);
    const twice = build([0, 1].map(() => `name: same\ndefinition: allowed-registries\nscopes: [/subscriptions/${SUB}]\n`));
    expect(where(twice)).toEqual(["assignments/a1.yaml:1:7 AZP2406 error"]);
  });

  it("names follow the one name rule for input names (a bidi override, a zero-width space, '..'), display names the one text rule", () => {
    for (const [name, why] of [["reg\u202eistries", /U\+202E/], ["reg\u200bistries", /U\+200B/], ["a..b", /contains '\.'/], ["reg|istries", /contains '\|'/]] as const) {
      const r = build([`name: "${name}"\ndefinition: allowed-registries\nscopes: [/subscriptions/${SUB}]\n`]);
      expect(r.diagnostics.map((d) => `${d.code} ${d.message}`), name).toEqual([expect.stringMatching(new RegExp(`^AZP2405 assignment name .*${why.source}`))]);
    }
    const shown = build([`name: registries\ndisplayName: "Registries \u202egnp.exe"\ndefinition: allowed-registries\nscopes: [/subscriptions/${SUB}]\n`]);
    expect(shown.diagnostics.map((d) => [d.code, d.pointer])).toEqual([["AZP2024", "/displayName"]]);
  });

  it("schema errors: both definition and initiative, an unknown key, a bad definitionVersion", () => {
    const r = build([`name: x
definition: allowed-registries
initiative: trusted-images
scope: /subscriptions/${SUB}
definitionVersion: "1.0.0"
`]);
    expect(where(r)).toEqual(["assignments/a0.yaml:4:1 AZP1002 error", "assignments/a0.yaml:5:20 AZP1002 error"]);
  });
});
