// An initiative's files, read the way their clients read them (as artifact-clients.test.ts does
// for definitions): ARM templates evaluate only the member ids and unescape to policyset.json;
// Bicep parses with the Bicep grammar and its literals are policyset.json, with each member id the
// member resource's .id; definitions.json and params.json are policyset.json's parts; create.sh
// passes sh -n and hands az the ids of where the definitions went. The shipped initiative and a
// hostile one (quotes, $, '[...]' in every field) are both checked. The real az runs them against
// the fake ARM in test/e2e/az-cli.e2e.test.ts.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Parser } from "web-tree-sitter";
import { buildProject } from "../src/pipeline/build-project.js";
import { FORMATS } from "../src/emit/artifacts.js";
import { DEFINITION_LOCATION } from "../src/emit/initiative/policy-set.js";
import { findDefinitionFiles, loadDefinitionInput, readParsedFile } from "../src/io/load-definitions.js";
import { readAnywhere } from "../src/io/project-boundary.js";
import { armUnescape, evaluatedStrings } from "./support/arm-template-reader.js";
import { bicepParser, literalValue, syntaxProblems } from "./support/bicep-reader.js";
import { azArg } from "./support/az-args.js";

const root = join(import.meta.dirname, "..");
const scratch = mkdtempSync(join(tmpdir(), "azpol-initiative-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let parser: Parser;
beforeAll(async () => {
  parser = await bicepParser();
});


const hostileDir = join(scratch, "hostile");
mkdirSync(join(hostileDir, "def"), { recursive: true });
writeFileSync(
  join(hostileDir, "def", "definition.yaml"),
  `name: "it's-[x]"
displayName: "[Preview] it's"
description: "d"
template:
  path: ${join(root, "constraint-templates", "disallowed-registries", "template.yaml")}
  source: Base64Encoded
parameters:
  blockedRegistries: { type: Array, default: ["k8s.gcr.io"], templateParameter: registries }
`,
);
writeFileSync(
  join(hostileDir, "initiative.yaml"),
  `name: "set-'$x"
displayName: "[Preview] $(rm -rf /) \`x\` \\"q\\""
description: "[literal]\\nline two with \${x}"
parameters:
  hint: { type: String, default: "[not an expression]]", description: "[parameters('x')]" }
definitions:
  - definition: "it's-[x]"
    referenceId: "ref '[0]'"
    parameters:
      blockedRegistries: ["k8s.gcr.io", "gcr.io/old"]
`,
);

const cases = [
  { label: "initiatives/trusted-images", definitions: findDefinitionFiles(join(root, "definitions")), initiative: join(root, "initiatives", "trusted-images", "initiative.yaml") },
  { label: "a hostile initiative", definitions: [join(hostileDir, "def", "definition.yaml")], initiative: join(hostileDir, "initiative.yaml") },
];

for (const c of cases) {
  describe(c.label, () => {
    const result = buildProject(
      c.definitions.map((d) => loadDefinitionInput(d, readAnywhere(root))),
      [readParsedFile(c.initiative, root)],
      FORMATS,
    );
    const model = result.initiatives[0];
    const file = (name: string) => result.artifacts.find((a) => a.path === `${model?.name}/${name}`)?.content ?? "";
    const policySet = () => (JSON.parse(file("policyset.json")) as { properties: { policyDefinitions: { policyDefinitionId: string }[] } & Record<string, unknown> }).properties;
    const memberPolicy = (name: string) => (JSON.parse(result.artifacts.find((a) => a.path === `${name}/policy.json`)?.content ?? "{}") as { properties: unknown }).properties;
    const withIds = (ids: (name: string) => unknown) => ({ ...policySet(), policyDefinitions: policySet().policyDefinitions.map((r, i) => ({ ...r, policyDefinitionId: ids(model?.members[i]?.definitionName ?? "") })) });

    it("builds", () => {
      expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      expect(model).toBeDefined();
      expect(policySet().policyDefinitions.every((r) => r.policyDefinitionId.startsWith(`${DEFINITION_LOCATION}/providers/Microsoft.Authorization/policyDefinitions/`))).toBe(true);
    });

    for (const [name, idFunction] of [
      ["template.subscription.json", "subscriptionResourceId("],
      ["template.managementgroup.json", "extensionResourceId(managementGroup().id, "],
    ] as const) {
      it(`${name}: ARM evaluates only the member ids; unescaped it is the members' policy.json and policyset.json`, () => {
        const template = JSON.parse(file(name)) as { resources: { type: string; name: string; dependsOn?: string[]; properties: Record<string, unknown> }[]; outputs: { policySetDefinitionId: { value: string } } };
        const members = template.resources.filter((r) => r.type === "Microsoft.Authorization/policyDefinitions");
        const set = template.resources.find((r) => r.type === "Microsoft.Authorization/policySetDefinitions");
        expect(members.map((m) => armUnescape(m.name))).toEqual([...new Set(model?.members.map((m) => m.definitionName))]);
        for (const m of members) expect(armUnescape(m.properties)).toEqual(memberPolicy(armUnescape(m.name) as string));
        const idOf = (n: string) => `[${idFunction}'Microsoft.Authorization/policyDefinitions', '${n.replace(/'/g, "''")}')]`;
        expect(set?.dependsOn).toEqual(members.map((m) => idOf(armUnescape(m.name) as string)));
        expect(armUnescape(set?.name)).toBe(model?.name);
        const evaluated = evaluatedStrings(template.resources);
        expect(evaluated.every((e) => e.includes(idFunction))).toBe(true);
        expect(evaluated).toHaveLength(members.length + (model?.members.length ?? 0));
        const { policyDefinitions, ...rest } = set?.properties as { policyDefinitions: { policyDefinitionId: string }[] };
        expect(armUnescape({ ...rest, policyDefinitions: policyDefinitions.map((r) => ({ ...r, policyDefinitionId: "X" })) })).toEqual(withIds(() => "X"));
        expect(policyDefinitions.map((r) => r.policyDefinitionId)).toEqual(model?.members.map((m) => idOf(m.definitionName)));
        expect(template.outputs.policySetDefinitionId.value).toContain(idFunction);
      });
    }

    for (const name of ["main.subscription.bicep", "main.managementgroup.bicep"]) {
      it(`${name}: parses with the Bicep grammar; its literals are policyset.json, member ids the member resources' .id`, () => {
        const tree = parser.parse(file(name));
        if (!tree) throw new Error("no parse tree");
        expect(syntaxProblems(tree.rootNode)).toEqual([]);
        const resources = tree.rootNode.namedChildren.filter((n): n is NonNullable<typeof n> => n?.type === "resource_declaration");
        const values = resources.map((r) => literalValue(r.namedChildren.find((c) => c?.type === "object") as never) as { name: string; properties: unknown });
        const symbols = resources.map((r) => r.namedChildren.find((c) => c?.type === "identifier")?.text ?? "");
        const set = values.at(-1);
        expect(set?.name).toBe(model?.name);
        for (const v of values.slice(0, -1)) expect(v.properties).toEqual(memberPolicy(v.name));
        const symbolOf = new Map(values.slice(0, -1).map((v, i) => [v.name, symbols[i]]));
        expect(set?.properties).toEqual(withIds((n) => ({ $expression: `${symbolOf.get(n)}.id` })));
      });
    }

    it("definitions.json and params.json are policyset.json's parts; create.sh passes sh -n and gives az absolute member ids", () => {
      expect(JSON.parse(file("definitions.json"))).toEqual(policySet().policyDefinitions);
      expect(JSON.parse(file("params.json"))).toEqual(policySet().parameters);
      const dir = mkdtempSync(join(scratch, "sh-"));
      const set = join(dir, "set");
      mkdirSync(set);
      for (const n of ["create.sh", "definitions.json", "params.json", "metadata.json"]) writeFileSync(join(set, n), file(n));
      expect(spawnSync("sh", ["-n", join(set, "create.sh")], { encoding: "utf8" }).status).toBe(0);
      // the members' own scripts are stand-ins here that record they ran
      const ran = join(dir, "members.log");
      for (const m of new Set(model?.members.map((x) => x.definitionName))) {
        mkdirSync(join(dir, m), { recursive: true });
        writeFileSync(join(dir, m, "create.sh"), `printf '%s|%s\\n' ${JSON.stringify(m).replace(/\$/g, "\\$")} "\${SCOPE:-}" >> ${JSON.stringify(ran)}\n`);
      }
      const log = join(dir, "calls.jsonl");
      writeFileSync(join(dir, "az"), `#!${process.execPath}\nconst fs = require("fs"); const a = process.argv.slice(2); const i = a.indexOf("--definitions"); fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify({ a, definitions: i < 0 ? null : JSON.parse(fs.readFileSync(a[i + 1], "utf8")) }) + "\\n"); console.log("/id/x");\n`, { mode: 0o755 });
      const run = spawnSync("sh", [join(set, "create.sh")], { encoding: "utf8", env: { ...process.env, PATH: `${dir}:${process.env.PATH}`, SUBSCRIPTION: "00000000-0000-0000-0000-000000000001", SCOPE: "/subscriptions/00000000-0000-0000-0000-000000000001" } });
      expect(run.stderr).toBe("");
      expect(run.status).toBe(0);
      expect(readFileSync(ran, "utf8").trim().split("\n")).toEqual([...new Set(model?.members.map((m) => `${m.definitionName}|`))]);
      const calls = readFileSync(log, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { a: string[]; definitions: { policyDefinitionId: string }[] | null });
      expect(calls[0]?.a.slice(0, 3)).toEqual(["policy", "set-definition", "create"]);
      expect(azArg(calls[0]?.a, "--name")).toBe(model?.name);
      expect(azArg(calls[0]?.a, "--display-name")).toBe(model?.displayName);
      expect(calls[0]?.definitions?.map((d) => d.policyDefinitionId)).toEqual(model?.members.map((m) => `/subscriptions/00000000-0000-0000-0000-000000000001/providers/Microsoft.Authorization/policyDefinitions/${m.definitionName}`));
      expect(calls[1]?.a.slice(0, 3)).toEqual(["policy", "assignment", "create"]);
      expect(azArg(calls[1]?.a, "--policy-set-definition")).toBe("/id/x");
    });
  });
}
