// The ARM template, Bicep and az/PowerShell outputs, read the way their clients read them:
//  - ARM templates: every string ARM would evaluate is escaped, and undoing ARM's escape gives
//    exactly policy.json's properties;
//  - Bicep: a real Bicep grammar parses it without error, and its literals are exactly
//    policy.json's properties (Bicep escapes '[' itself, so azpol must not pre-escape);
//  - create.sh passes `sh -n`; rules.json and params.json are policy.json's parts.
// The az scripts also run against the fake ARM with the real az (test/e2e/az-cli.e2e.test.ts).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Parser } from "web-tree-sitter";
import { buildDefinitions } from "../src/pipeline/build-definitions.js";
import { FORMATS } from "../src/emit/artifacts.js";
import { findDefinitionFiles, loadDefinitionInput } from "../src/io/load-definitions.js";
import { readAnywhere } from "../src/io/project-boundary.js";
import { armUnescape, evaluatedStrings } from "./support/arm-template-reader.js";
import { bicepParser, literalValue, syntaxProblems } from "./support/bicep-reader.js";
import { AZ_ARG_JS, azArg } from "./support/az-args.js";

const root = join(import.meta.dirname, "..");
const scratch = mkdtempSync(join(tmpdir(), "azpol-clients-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let parser: Parser;
beforeAll(async () => {
  parser = await bicepParser();
});


// The shipped presets, the PublicURL fixture, and a hostile source: quotes, $, backticks,
// newlines, '[...]' text and a name with a quote in every field a script or template carries.
const hostile = join(scratch, "hostile");
spawnSync("mkdir", ["-p", hostile]);
writeFileSync(
  join(hostile, "definition.yaml"),
  `name: "it's-[x]"
displayName: "[Preview] it's $(rm -rf /) \`x\` \\"q\\""
description: "[literal]\\nline two with \${x} and \\\\ and ' and \\u2019"
template:
  path: ${join(root, "constraint-templates", "disallowed-registries", "template.yaml")}
  source: Base64Encoded
effect: Deny
parameters:
  blockedRegistries:
    type: Array
    default: ["k8s.gcr.io"]
    templateParameter: registries
    displayName: "[Blocked]"
    description: "[parameters('x')]"
`,
);
const sources = [...findDefinitionFiles(join(root, "definitions")), ...findDefinitionFiles(join(root, "test", "fixtures", "definitions")), join(hostile, "definition.yaml")];

for (const source of sources) {
  describe(relative(root, source).startsWith("..") ? "a hostile source" : relative(root, source), () => {
    const result = buildDefinitions([loadDefinitionInput(source, readAnywhere(root))], FORMATS);
    const file = (name: string) => result.artifacts.find((a) => a.path.endsWith(`/${name}`))?.content ?? "";
    const policy = () => (JSON.parse(file("policy.json")) as { properties: Record<string, unknown> }).properties;

    it("builds", () => {
      expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    });

    for (const [name, schema, scopeOutput] of [
      ["template.subscription.json", "subscriptionDeploymentTemplate", "subscriptionResourceId("],
      ["template.managementgroup.json", "managementGroupDeploymentTemplate", "extensionResourceId(managementGroup().id"],
    ] as const) {
      it(`${name}: ARM evaluates nothing of the policy, and unescaping gives policy.json's properties`, () => {
        const template = JSON.parse(file(name)) as { $schema: string; resources: { type: string; name: string; properties: unknown }[]; outputs: { policyDefinitionId: { value: string } } };
        expect(template.$schema).toContain(schema);
        expect(template.resources).toHaveLength(1);
        expect(template.resources[0]?.type).toBe("Microsoft.Authorization/policyDefinitions");
        expect(evaluatedStrings(template.resources)).toEqual([]);
        expect(armUnescape(template.resources[0]?.properties)).toEqual(policy());
        expect(armUnescape(template.resources[0]?.name)).toBe(policy() && JSON.parse(file("rules.json")) ? (result.models[0] ?? result.mutations[0])?.name : undefined);
        expect(template.outputs.policyDefinitionId.value).toContain(scopeOutput);
      });
    }

    for (const [name, scope] of [
      ["main.subscription.bicep", "subscription"],
      ["main.managementgroup.bicep", "managementGroup"],
    ] as const) {
      it(`${name}: parses with the Bicep grammar, and its literals are policy.json's properties`, () => {
        const tree = parser.parse(file(name));
        if (!tree) throw new Error("no parse tree");
        expect(syntaxProblems(tree.rootNode)).toEqual([]);
        const top = tree.rootNode.namedChildren.filter((n): n is NonNullable<typeof n> => n !== null && n.type !== "comment");
        expect(top.map((n) => n.type)).toEqual(["target_scope_assignment", "resource_declaration", "output_declaration"]);
        expect(literalValue(top[0]?.namedChildren[0] as never)).toBe(scope);
        const resource = top[1];
        const body = resource?.namedChildren.find((c) => c?.type === "object");
        const value = literalValue(body as never) as { name: string; properties: unknown };
        expect(value.name).toBe((result.models[0] ?? result.mutations[0])?.name);
        expect(value.properties).toEqual(policy());
        expect(resource?.namedChildren.find((c) => c?.type === "string")?.text).toBe("'Microsoft.Authorization/policyDefinitions@2025-03-01'");
      });
    }

    it("rules.json and params.json are policy.json's policyRule and parameters; create.sh passes sh -n", () => {
      expect(JSON.parse(file("rules.json"))).toEqual(policy().policyRule);
      expect(JSON.parse(file("params.json"))).toEqual(policy().parameters);
      const sh = join(scratch, `${(result.models[0] ?? result.mutations[0])?.name.length}-create.sh`);
      writeFileSync(sh, file("create.sh"));
      const check = spawnSync("sh", ["-n", sh], { encoding: "utf8" });
      expect(check.stderr).toBe("");
      expect(check.status).toBe(0);
      expect(file("create.ps1")).toContain("New-AzPolicyDefinition @definitionArgs");
    });

    it("create.sh hands az exactly the source's values, whatever they contain", () => {
      // a stand-in az on PATH that records its arguments (the real az runs in test/e2e/az-cli.e2e.test.ts)
      const dir = mkdtempSync(join(scratch, "sh-"));
      const log = join(dir, "calls.jsonl");
      writeFileSync(join(dir, "az"), `#!${process.execPath}\nrequire("fs").appendFileSync(${JSON.stringify(log)}, JSON.stringify(process.argv.slice(2)) + "\\n"); const a = process.argv.slice(2); ${AZ_ARG_JS} console.log("/id/" + arg("--name"));\n`, { mode: 0o755 });
      for (const name of ["create.sh", "rules.json", "params.json", "metadata.json"]) writeFileSync(join(dir, name), file(name));
      const run = spawnSync("sh", [join(dir, "create.sh")], { encoding: "utf8", env: { ...process.env, PATH: `${dir}:${process.env.PATH}`, SCOPE: "/subscriptions/0000/resourceGroups/rg", MANAGEMENT_GROUP: "" } });
      expect(run.stderr).toBe("");
      const calls = readFileSync(log, "utf8").trim().split("\n").map((l) => JSON.parse(l) as string[]);
      const model = (result.models[0] ?? result.mutations[0]);
      const arg = azArg;
      expect(calls[0]?.slice(0, 3)).toEqual(["policy", "definition", "create"]);
      expect(arg(calls[0], "--name")).toBe(model?.name);
      expect(arg(calls[0], "--display-name")).toBe(model?.displayName);
      expect(arg(calls[0], "--description")).toBe(model?.description);
      expect(arg(calls[0], "--mode")).toBe("Microsoft.Kubernetes.Data");
      expect(calls[1]?.slice(0, 3)).toEqual(["policy", "assignment", "create"]);
      expect(arg(calls[1], "--policy")).toBe(`/id/${model?.name}`);
      expect(arg(calls[1], "--scope")).toBe("/subscriptions/0000/resourceGroups/rg");
    });
  });
}
