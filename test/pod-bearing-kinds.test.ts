// One table (src/core/pod-bearing-kinds.ts) decides which kinds can run a container. This
// fails when anything that must agree with it drifts: the kinds and API groups the shipped
// definitions emit, the constraint `azpol test` evaluates, validate's API-group check, and the
// pod-spec paths the templates walk, proven by denying a blocked image in every container
// field of every kind, through the real templates and the real engine.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildSources } from "../src/pipeline/read-sources.js";
import { readAnywhere } from "../src/io/project-boundary.js";
import { apiGroupOfKind, CONTAINER_FIELDS, POD_BEARING_API_GROUPS, POD_BEARING_KIND_NAMES, POD_BEARING_KINDS } from "../src/core/pod-bearing-kinds.js";
import { DEFAULT_API_GROUPS, DEFAULT_KINDS } from "../src/core/policy-model.js";
import { constraintFromPolicy } from "../src/rego/constraint.js";
import { loadEngine } from "../src/rego/engine.js";
import { reviewObjects } from "../src/rego/evaluate.js";
import { TemplateCache } from "../src/rego/template-cache.js";
import { workload } from "./support/workloads.js";

const root = join(import.meta.dirname, "..");
const built = buildSources([join(root, "definitions")], ["arm"], [], readAnywhere());
let cache: TemplateCache;

beforeAll(async () => {
  cache = new TemplateCache(await loadEngine());
});

it("the defaults are the table", () => {
  expect(DEFAULT_KINDS).toEqual([...POD_BEARING_KIND_NAMES]);
  expect(new Set(DEFAULT_API_GROUPS)).toEqual(new Set(POD_BEARING_API_GROUPS));
  expect(POD_BEARING_KIND_NAMES).toContain("PodTemplate");
  for (const k of POD_BEARING_KINDS) expect(apiGroupOfKind(k.kind)).toBe(k.group);
});

it("every template walks every pod-spec path of the table", () => {
  for (const name of ["allowed-registries", "disallowed-registries"]) {
    const text = readFileSync(join(root, "constraint-templates", name, "template.yaml"), "utf8");
    for (const k of POD_BEARING_KINDS) expect(text).toContain(`spec := input.review.object.${k.podSpecPath}\n`);
  }
});

describe("shipped definitions", () => {
  it("build", () => {
    expect(built.ok).toBe(true);
    expect(built.models.length).toBeGreaterThanOrEqual(2);
  });

  for (const model of built.models) {
    describe(model.name, () => {
      it("emit exactly the table's kinds and API groups", () => {
        const arm = built.artifacts.find((a) => a.path === `${model.name}/policy.json`);
        expect(arm).toBeDefined();
        const details = (JSON.parse(arm?.content ?? "{}") as { properties: { policyRule: { then: { details: { kinds: string[]; apiGroups: string[] } } } } }).properties.policyRule.then.details;
        expect(details.kinds).toEqual([...POD_BEARING_KIND_NAMES]);
        expect(new Set(details.apiGroups)).toEqual(new Set(POD_BEARING_API_GROUPS));
      });

      it("deny a k8s.gcr.io image in every container field of every pod-bearing kind", async () => {
        const constraint = constraintFromPolicy(model);
        expect(constraint).toBeDefined();
        if (!constraint) return;
        const cases = POD_BEARING_KINDS.flatMap((k) => CONTAINER_FIELDS.map((field) => ({ kind: k.kind, field })));
        const objects = cases.map((c, i) => workload(c.kind, c.field, "k8s.gcr.io/pause:3.9", `w${i}`, "myacr.azurecr.io/pause:3.9"));
        const verdicts = await reviewObjects(cache, [{ template: model.template, constraint }], objects);
        const missed = cases.filter((_, i) => (verdicts[i] ?? []).length === 0).map((c) => `${c.kind}.${c.field}`);
        expect(missed).toEqual([]);
      });
    });
  }
});
