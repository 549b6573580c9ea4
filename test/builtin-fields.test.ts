// Every field Microsoft's built-in Kubernetes definitions use (test/fixtures/builtins/SHAPES.md):
// what validate refuses, what the policy.json carries, and what `azpol test` does with them —
// details.source All reviews the Pods a workload creates through Gatekeeper's own expander.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildDefinitions } from "../src/pipeline/build-definitions.js";
import type { PolicyModel } from "../src/core/policy-model.js";
import { loadDefinitionInput } from "../src/io/load-definitions.js";
import { readAnywhere } from "../src/io/project-boundary.js";
import { constraintFromPolicy } from "../src/rego/constraint.js";
import { loadEngine } from "../src/rego/engine.js";
import { reviewObjects } from "../src/rego/evaluate.js";
import { TemplateCache } from "../src/rego/template-cache.js";
import type { KubeObject } from "../src/rego/kubernetes-object.js";

const root = join(import.meta.dirname, "..");
const scratch = mkdtempSync(join(tmpdir(), "azpol-builtin-fields-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const TEMPLATE = join(root, "constraint-templates", "disallowed-registries", "template.yaml");

const BASE = `name: shapes
displayName: Shapes
description: Blocks old registries.
template:
  path: ${TEMPLATE}
  source: Base64Encoded
parameters:
  blockedRegistries:
    type: Array
    default: [k8s.gcr.io]
    templateParameter: registries
`;

interface Parameter {
  type: string;
  metadata: { description: string };
  defaultValue?: unknown;
  allowedValues?: unknown[];
}
interface Properties {
  version?: string;
  metadata: Record<string, unknown>;
  parameters: Record<string, Parameter>;
  policyRule: { if: unknown; then: { details: Record<string, unknown> } };
}

let n = 0;
function build(extra: string) {
  const dir = join(scratch, `case-${n++}`);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "definition.yaml");
  writeFileSync(file, BASE + extra);
  const result = buildDefinitions([loadDefinitionInput(file, readAnywhere(root))], ["arm"]);
  const policy = result.artifacts.find((a) => a.path.endsWith("/policy.json"));
  const properties = policy ? (JSON.parse(policy.content) as { properties: Properties }).properties : undefined;
  return { diagnostics: result.diagnostics, model: result.models[0], properties };
}

describe("validate", () => {
  it.each<[string, string, RegExp]>([
    ["a Mutate effect names Mutate and mutationInfo", "effect: Mutate\n", /effect "Mutate": Mutate needs a Gatekeeper mutator \(details\.mutationInfo\)/],
    ["Mutate in effects", "effects: [Mutate, Disabled]\neffect: Disabled\n", /Mutate needs a Gatekeeper mutator \(details\.mutationInfo\)/],
    ["a default effect not listed (case-sensitive)", "effects: [Audit, Disabled]\neffect: audit\n", /effect "audit" is not among effects \["Audit","Disabled"\]/],
    ["an unknown effect in the list", "effects: [Audit, Block]\n", /effect "Block" is not allowed/],
    ["kinds naming an undeclared parameter", "kinds: \"[parameters('k')]\"\n", /kinds uses parameter 'k', which is not declared/],
    ["kinds naming a String parameter", "  msg:\n    type: String\n    default: x\n    templateParameter: message\nkinds: \"[parameters('msg')]\"\n", /kinds uses parameter 'msg' of type String; it must be an Array/],
    ["kinds that is not an expression", "kinds: Pod\n", /kinds must be a list or "\[parameters\('name'\)\]"/],
  ])("%s", (_, extra, message) => {
    const errors = build(extra).diagnostics.filter((d) => d.severity === "error");
    expect(errors.map((d) => d.message).join("\n")).toMatch(message);
  });

  it("refuses a parameter named source or warn (they are top-level keys)", () => {
    const d = build("  warn:\n    type: Boolean\n    default: true\n").diagnostics;
    expect(d.map((x) => `${x.code} ${x.pointer}`)).toContain("AZP2022 /parameters/warn");
  });

  it("kinds naming an Array parameter is used, and its default is checked like a list", () => {
    const text = BASE.replace("parameters:\n", "apiGroups: ['']\nkinds: \"[parameters('kinds')]\"\nparameters:\n  kinds:\n    type: Array\n    default: [Pod, '*']\n");
    const dir = join(scratch, "kinds-param");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "definition.yaml"), text);
    const result = buildDefinitions([loadDefinitionInput(join(dir, "definition.yaml"), readAnywhere(root))], ["arm"]);
    expect(result.diagnostics.map((d) => `${d.code} ${d.pointer}`)).toEqual(["AZP2017 /parameters/kinds/default/1"]);
  });
});

describe("policy.json", () => {
  it("carries source, warn, the effect list as written, one cluster type, preview, deprecated and the definition version", () => {
    const { diagnostics, properties } = build(
      "source: All\nwarn: true\neffects: [audit, Audit, disabled, Disabled]\neffect: audit\nclusterTypes: [Microsoft.ContainerService/managedClusters]\npreview: true\ndeprecated: true\nversion: 2.0.0-preview\nversioned: true\n",
    );
    expect(diagnostics).toEqual([]);
    const p = properties as Properties;
    expect(p.version).toBe("2.0.0-preview");
    expect(p.metadata).toEqual({ category: "Kubernetes", version: "2.0.0-preview", preview: true, deprecated: true });
    expect(p.policyRule.if).toEqual({ field: "type", equals: "Microsoft.ContainerService/managedClusters" });
    expect(p.policyRule.then.details.source).toBe("[parameters('source')]");
    expect(p.policyRule.then.details.warn).toBe("[parameters('warn')]");
    expect(p.parameters.source).toMatchObject({ type: "String", defaultValue: "All", allowedValues: ["All", "Generated", "Original"] });
    expect(p.parameters.warn).toMatchObject({ type: "Boolean", defaultValue: true });
    expect(p.parameters.effect).toMatchObject({ allowedValues: ["audit", "Audit", "disabled", "Disabled"], defaultValue: "audit" });
    expect(p.parameters.effect?.metadata.description).not.toContain("Deny");
  });

  it("leaves all of them out when the source does not ask (existing definitions are unchanged)", () => {
    const p = build("").properties as Properties;
    expect(p.version).toBeUndefined();
    expect(Object.keys(p.parameters)).toEqual(["effect", "excludedNamespaces", "namespaces", "labelSelector", "blockedRegistries"]);
    expect(p.policyRule.if).toEqual({ field: "type", in: ["Microsoft.ContainerService/managedClusters", "Microsoft.Kubernetes/connectedClusters"] });
    expect(Object.keys(p.policyRule.then.details)).not.toContain("source");
  });
});

describe("azpol test with details.source", () => {
  let cache: TemplateCache;
  beforeAll(async () => {
    cache = new TemplateCache(await loadEngine());
  });
  const deployment: KubeObject = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace: "default" },
    spec: { selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "c", image: "k8s.gcr.io/pause:3.1" }] } } },
  };
  const cronJob: KubeObject = {
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: { name: "nightly", namespace: "default" },
    spec: { schedule: "0 0 * * *", jobTemplate: { spec: { template: { spec: { restartPolicy: "Never", containers: [{ name: "c", image: "k8s.gcr.io/busybox" }] } } } } },
  };
  const review = async (model: PolicyModel | undefined, objects: KubeObject[]) => {
    const constraint = model ? constraintFromPolicy(model) : undefined;
    if (!model || !constraint) throw new Error("no constraint");
    return reviewObjects(cache, [{ template: model.template, constraint }], objects);
  };
  // kinds: Pod only, so a workload is judged only through the Pods it expands to
  const podsOnly = "apiGroups: ['']\nkinds: [Pod]\n";

  it("All: the Pods a Deployment and a CronJob would create are reviewed, as Generated, with gator's [Implied by] prefix", async () => {
    const { model } = build(`${podsOnly}source: All\n`);
    const [d, c] = await review(model, [deployment, cronJob]);
    expect(d?.map((v) => v.msg)).toEqual([expect.stringMatching(/^\[Implied by expand-workloads\] .*k8s\.gcr\.io\/pause:3\.1/)]);
    expect(c?.map((v) => v.msg)).toEqual([expect.stringMatching(/^\[Implied by expand-cronjobs\] .*k8s\.gcr\.io\/busybox/)]);
  });

  it("Original: only the object itself (the workload is not a Pod, so nothing)", async () => {
    const { model } = build(`${podsOnly}source: Original\n`);
    expect((await review(model, [deployment]))[0]).toEqual([]);
  });

  it("an assignment value for source wins over the default", async () => {
    const { model } = build(`${podsOnly}source: Original\n`);
    if (!model) throw new Error("no model");
    const constraint = constraintFromPolicy(model, { source: "Generated" });
    expect(constraint?.match?.source).toBe("Generated");
    const [d] = await reviewObjects(cache, [{ template: model.template, constraint: constraint as NonNullable<typeof constraint> }], [deployment]);
    expect(d).toHaveLength(1);
  });

  it("parameterised kinds are resolved from the parameter's default", async () => {
    const dir = join(scratch, "kinds-resolve");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "definition.yaml"), BASE.replace("parameters:\n", "apiGroups: ['', apps]\nkinds: \"[parameters('kinds')]\"\nparameters:\n  kinds:\n    type: Array\n    default: [Deployment]\n"));
    const model = buildDefinitions([loadDefinitionInput(join(dir, "definition.yaml"), readAnywhere(root))], ["arm"]).models[0];
    expect(constraintFromPolicy(model as PolicyModel)?.match?.kinds).toEqual([{ apiGroups: ["", "apps"], kinds: ["Deployment"] }]);
    expect((await review(model, [deployment]))[0]).toHaveLength(1);
  });
});
