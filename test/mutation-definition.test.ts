// Mutate definitions: template.path names a Gatekeeper mutator, azpol emits details.mutationInfo.
// What Azure allows with mutationInfo (learn.microsoft.com effect-mutate: no apiGroups, kinds or
// parameters) and what Microsoft's mutation built-ins carry
// (Azure/azure-policy MutateContainerAllowedCapabilitiesContainers.json: effect Mutate|Disabled,
// default Mutate; details source, mutationInfo, excludedNamespaces; AKS only).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildDefinitions } from "../src/pipeline/build-definitions.js";
import { loadDefinitionInput } from "../src/io/load-definitions.js";
import { readAnywhere } from "../src/io/project-boundary.js";
import { RULE_CATALOGUE } from "../src/model/rule-catalogue.js";

const root = join(import.meta.dirname, "..");
const fixture = join(root, "test", "fixtures", "definitions", "mutation");
const scratch = mkdtempSync(join(tmpdir(), "azpol-mutation-def-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const MUTATOR = readFileSync(join(fixture, "mutation.yaml"), "utf8");
let n = 0;
function build(definition: string, mutator = MUTATOR, formats: Parameters<typeof buildDefinitions>[1] = ["arm"]) {
  const dir = mkdtempSync(join(scratch, `d${n++}-`));
  writeFileSync(join(dir, "mutation.yaml"), mutator);
  writeFileSync(join(dir, "definition.yaml"), definition);
  return buildDefinitions([loadDefinitionInput(join(dir, "definition.yaml"), readAnywhere(root))], formats);
}
const BASE = `name: m
displayName: M
description: Drops capabilities.
template:
  path: mutation.yaml
  source: Base64Encoded
`;
interface Properties {
  parameters: Record<string, { allowedValues?: unknown[]; defaultValue?: unknown }>;
  policyRule: { if: unknown; then: { effect: string; details: Record<string, unknown> } };
  version?: string;
  metadata: Record<string, unknown>;
}
const propertiesOf = (content: string | undefined) => (JSON.parse(content ?? "{}") as { properties: Properties }).properties;
const codes = (r: ReturnType<typeof build>) => r.diagnostics.map((d) => `${d.code} ${d.severity} ${d.pointer}`);

describe("a Mutate definition's policy.json", () => {
  const built = buildDefinitions([loadDefinitionInput(join(fixture, "definition.yaml"), readAnywhere(root))], ["arm"]);
  it("has the shape of Microsoft's mutation built-ins", () => {
    expect(built.diagnostics).toEqual([]);
    expect(built.models).toEqual([]);
    expect(built.mutations.map((m) => m.name)).toEqual(["mutate-drop-all-capabilities"]);
    const p = propertiesOf(built.artifacts.find((a) => a.path.endsWith("policy.json"))?.content);
    expect(Object.keys(p.parameters)).toEqual(["source", "effect", "excludedNamespaces"]);
    expect(p.parameters.effect?.allowedValues).toEqual(["Mutate", "Disabled"]);
    expect(p.parameters.effect?.defaultValue).toBe("Mutate");
    expect(p.parameters.excludedNamespaces?.defaultValue).toEqual(["kube-system", "gatekeeper-system", "azure-arc"]);
    expect(p.policyRule.if).toEqual({ field: "type", equals: "Microsoft.ContainerService/managedClusters" });
    expect(p.policyRule.then.effect).toBe("[parameters('effect')]");
    expect(p.policyRule.then.details).toEqual({
      source: "[parameters('source')]",
      mutationInfo: { sourceType: "PublicURL", url: "https://contoso.blob.core.windows.net/policies/mutate-drop-all-capabilities/mutation.yaml" },
      excludedNamespaces: "[parameters('excludedNamespaces')]",
    });
    expect(p.version).toBe("1.1.0-preview");
    expect(p.metadata).toEqual({ category: "Kubernetes", version: "1.1.0-preview", preview: true });
  });
  it("embeds the mutator as Base64Encoded content: the file's bytes", () => {
    const r = build(BASE);
    expect(r.diagnostics).toEqual([]);
    const p = JSON.parse(r.artifacts[0]?.content ?? "{}") as { properties: { policyRule: { then: { details: { mutationInfo: { sourceType: string; content: string } } } } } };
    const info = p.properties.policyRule.then.details.mutationInfo;
    expect(info.sourceType).toBe("Base64Encoded");
    expect(Buffer.from(info.content, "base64").toString("utf8")).toBe(MUTATOR);
  });

  it("Terraform reads a Base64Encoded mutator from mutation.yaml beside main.tf", () => {
    const r = build(BASE, MUTATOR, ["terraform"]);
    expect(r.artifacts.find((a) => a.path === "m/mutation.yaml")?.content).toBe(MUTATOR);
    expect(r.artifacts.find((a) => a.path === "m/main.tf")?.content).toMatch(/mutationInfo = \{\n\s+sourceType = "Base64Encoded"\n\s+content {4}= filebase64\("\$\{path\.module\}\/mutation\.yaml"\)/);
  });
});

describe("validate on Mutate definitions", () => {
  it.each([
    ["apiGroups", `apiGroups: [""]\n`],
    ["kinds", "kinds: [Pod]\n"],
    ["parameters", "parameters:\n  x:\n    type: String\n    default: a\n"],
    ["values", "values:\n  a: b\n"],
    ["namespaces", "namespaces: [prod]\n"],
    ["labelSelector", "labelSelector: {matchLabels: {a: b}}\n"],
    ["warn", "warn: true\n"],
    ["replacements", "replacements:\n  k8s.gcr.io: registry.k8s.io\n"],
  ])("refuses %s (AZP2051), as Azure refuses or azpol cannot show", (field, yaml) => {
    const r = build(BASE + yaml);
    expect(r.ok).toBe(false);
    expect(codes(r)).toContain(`AZP2051 error /${field}`);
  });
  it("takes effects Mutate and Disabled only (AZP2052)", () => {
    expect(codes(build(`${BASE}effects: [Audit, Disabled]\n`))).toEqual(expect.arrayContaining(["AZP2052 error /effects/0", "AZP2052 error /effects"]));
    expect(codes(build(`${BASE}effect: Audit\n`))).toContain("AZP2052 error /effect");
    const r = build(`${BASE}effect: Disabled\n`);
    expect(r.ok).toBe(true);
    expect(propertiesOf(r.artifacts[0]?.content).parameters.effect?.defaultValue).toBe("Disabled");
  });
  it("refuses what is not a Gatekeeper mutator (AZP3014), naming the field", () => {
    const bad = (text: string) => build(BASE, text).diagnostics.map((d) => `${d.code} ${d.message}`);
    expect(bad("apiVersion: mutations.gatekeeper.sh/v1\nkind: AssignLabel\nmetadata: {name: x}\nspec: {location: a, applyTo: [{}]}\n")).toEqual([expect.stringMatching(/^AZP3014 .*kind "AssignLabel" is not a Gatekeeper mutator/)]);
    expect(bad("apiVersion: mutations.gatekeeper.sh/v1\nkind: Assign\nmetadata: {name: x}\nspec: {location: spec.x}\n")).toEqual([expect.stringMatching(/^AZP3014 .*spec.applyTo is missing/)]);
    expect(bad("apiVersion: mutations.gatekeeper.sh/v1\nkind: AssignMetadata\nmetadata: {name: x}\nspec: {location: spec.x}\n")).toEqual([expect.stringMatching(/^AZP3014 .*metadata.labels/)]);
  });
  it("warns that AssignImage and Arc targeting are unconfirmed on the add-on (AZP3015)", () => {
    const image = "apiVersion: mutations.gatekeeper.sh/v1alpha1\nkind: AssignImage\nmetadata: {name: x}\nspec:\n  applyTo: [{groups: [''], kinds: [Pod], versions: [v1]}]\n  location: 'spec.containers[name:*].image'\n  parameters: {assignDomain: registry.k8s.io}\n";
    const r = build(BASE, image);
    expect(r.ok).toBe(true);
    expect(codes(r)).toEqual(["AZP3015 warning /template/path"]);
    expect(codes(build(`${BASE}clusterTypes: [Microsoft.ContainerService/managedClusters, Microsoft.Kubernetes/connectedClusters]\n`))).toEqual(["AZP3015 warning /clusterTypes"]);
  });
  it("tells a ConstraintTemplate definition with effect Mutate where the mutator goes", () => {
    const r = buildDefinitions([loadDefinitionInput(join(root, "test", "fixtures", "definitions", "builtin-shapes", "definition.yaml"), readAnywhere(root))], [], [{ name: "effect", raw: "Mutate" }]);
    expect(r.diagnostics.map((d) => d.message).join("\n")).toMatch(/Mutate needs a Gatekeeper mutator .*template\.path/);
  });
  it("has every new code in the rule catalogue", () => {
    for (const code of ["AZP2051", "AZP2052", "AZP3014", "AZP3015"]) expect(RULE_CATALOGUE.find((r) => r.code === code)?.explanation).toBeTruthy();
  });
});

// import: a definition in the shape of Microsoft's mutation built-ins (MutateContainerAllowedCapabilitiesContainers.json:
// source, effect Mutate|Disabled with portalReview, excludedNamespaces, version 1.1.0-preview, versions
// listed in upper case), written with azpol's own texts, round-trips through the mutator it points to.
describe("import of a Mutate built-in's shape", () => {
  const builtIn = {
    properties: {
      displayName: "[Preview]: Corpus mutation",
      policyType: "BuiltIn",
      mode: "Microsoft.Kubernetes.Data",
      description: "Drops all capabilities (corpus wording).",
      metadata: { version: "1.1.0-preview", category: "Kubernetes", preview: true },
      version: "1.1.0-preview",
      parameters: {
        source: { type: "String", metadata: { displayName: "Source", description: "Which objects (corpus)." }, defaultValue: "Original", allowedValues: ["All", "Generated", "Original"] },
        effect: { type: "String", metadata: { displayName: "Effect", description: "Mutate or not (corpus).", portalReview: true }, allowedValues: ["Mutate", "Disabled"], defaultValue: "Mutate" },
        excludedNamespaces: { type: "Array", metadata: { displayName: "Namespace exclusions", description: "Skipped (corpus)." }, defaultValue: ["kube-system", "gatekeeper-system", "azure-arc"] },
      },
      policyRule: {
        if: { field: "type", equals: "Microsoft.ContainerService/managedClusters" },
        then: {
          effect: "[parameters('effect')]",
          details: { source: "[parameters('source')]", mutationInfo: { sourceType: "PublicURL", url: "https://store.policy.core.windows.net/kubernetes/corpus-mutation/v1/mutation.yaml" }, excludedNamespaces: "[parameters('excludedNamespaces')]" },
        },
      },
      versions: ["1.1.0-PREVIEW", "1.0.0-PREVIEW"],
    },
    id: "/providers/Microsoft.Authorization/policyDefinitions/00000000-0000-0000-0000-0000000000aa",
    name: "00000000-0000-0000-0000-0000000000aa",
  };
  it("maps to a source whose build equals the original (round trip)", async () => {
    const { readExistingDefinition } = await import("../src/import/read-definition-json.js");
    const { sourceFromDefinition } = await import("../src/import/source-from-definition.js");
    const { importedSourceText } = await import("../src/import/import-source-text.js");
    const { checkRoundTrip } = await import("../src/import/round-trip.js");
    const { gatekeeperYamlDigest } = await import("../src/core/gatekeeper-yaml-digest.js");
    const { parseSourceText } = await import("../src/io/source-file.js");
    const existing = readExistingDefinition(builtIn);
    if (typeof existing === "string") throw new Error(existing);
    const mapped = sourceFromDefinition(existing, "corpus-mutation");
    if ("problems" in mapped) throw new Error(mapped.problems.join("; "));
    expect(mapped.template).toEqual({ sourceType: "PublicURL", url: "https://store.policy.core.windows.net/kubernetes/corpus-mutation/v1/mutation.yaml" });
    expect(mapped.source).toMatchObject({ source: "Original", preview: true, versioned: true, version: "1.1.0-preview", excludedNamespaces: ["kube-system", "gatekeeper-system", "azure-arc"] });
    expect(mapped.source).not.toHaveProperty("effects");
    expect(mapped.source).not.toHaveProperty("clusterTypes");
    const sourceText = importedSourceText({ ...mapped.source, template: { path: "mutation.yaml", source: "PublicURL", url: "https://store.policy.core.windows.net/kubernetes/corpus-mutation/v1/mutation.yaml", sha256: gatekeeperYamlDigest(MUTATOR) } }, "corpus", mapped.notes);
    const parsed = (file: string, text: string) => {
      const p = parseSourceText(file, text);
      return { file: p.file, data: p.data, text, locate: p.locate, syntaxErrors: p.syntaxErrors };
    };
    const { name: _name, ...original } = existing;
    expect(checkRoundTrip(parsed("definition.yaml", sourceText), parsed("mutation.yaml", MUTATOR), original)).toMatchObject({ ok: true });
    // the round trip itself compares every field (audit-builtins finding 1): one the build does not
    // carry is named even if the reader let it through
    const extra = { ...original, externalEvaluationEnforcementSettings: { missingTokenAction: "Deny" }, parameters: { ...original.parameters, effect: { ...original.parameters.effect, futureField: 1 } } };
    const lossy = checkRoundTrip(parsed("definition.yaml", sourceText), parsed("mutation.yaml", MUTATOR), extra);
    expect(lossy.ok).toBe(false);
    expect(lossy.ok ? [] : lossy.problems.join("; ")).toMatch(/externalEvaluationEnforcementSettings.*only in the original/);
    expect(lossy.ok ? [] : lossy.problems.join("; ")).toMatch(/parameters\.effect\.futureField.*only in the original/);
    expect(readExistingDefinition({ properties: extra })).toMatch(/properties\.externalEvaluationEnforcementSettings is a policy definition field .*; properties\.parameters\.effect\.futureField is not a parameter field azpol knows/);
  });
  it("refuses kinds or parameters beside mutationInfo, naming them", async () => {
    const { readExistingDefinition } = await import("../src/import/read-definition-json.js");
    const { sourceFromDefinition } = await import("../src/import/source-from-definition.js");
    const withKinds = structuredClone(builtIn) as unknown as { properties: { policyRule: { then: { details: Record<string, unknown> } }; parameters: Record<string, unknown> } };
    withKinds.properties.policyRule.then.details.kinds = ["Pod"];
    withKinds.properties.parameters.extra = { type: "String", defaultValue: "x" };
    const existing = readExistingDefinition(withKinds);
    if (typeof existing === "string") throw new Error(existing);
    const mapped = sourceFromDefinition(existing, "x");
    expect("problems" in mapped ? mapped.problems.join("; ") : "").toMatch(/details\.kinds with mutationInfo: Azure does not allow it.*parameters extra: a mutation cannot be parameterised/);
  });
});
