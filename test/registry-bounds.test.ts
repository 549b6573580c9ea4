// The registry templates' bounds and fail-closed paths, through the real templates on the real
// engine: the worst objects (test/support/worst-case-objects.ts) are denied with a violation that
// says why, image volumes are named in violations, and a rule the templates cannot parse denies
// every workload naming the rule. Rule normalisation in validate (AZP2005 on two spellings).
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { ConstraintTemplate } from "../src/core/constraint-template.js";
import { MAX_IMAGE_ITEMS, MAX_POD_SPEC_ITEMS } from "../src/core/pod-bearing-kinds.js";
import { normalizeRegistryRule, registryRuleProblem } from "../src/core/registry-rule.js";
import { readTemplateFile } from "../src/io/load-definitions.js";
import { loadEngine } from "../src/rego/engine.js";
import { reviewObjects } from "../src/rego/evaluate.js";
import { TemplateCache } from "../src/rego/template-cache.js";
import type { KubeObject } from "../src/rego/kubernetes-object.js";
import { worstCases } from "./support/worst-case-objects.js";

const root = join(import.meta.dirname, "..");
const TEMPLATES = [
  { dir: "disallowed-registries", registries: ["k8s.gcr.io"] },
  { dir: "allowed-registries", registries: ["myacr.azurecr.io"] },
];
let cache: TemplateCache;

beforeAll(async () => {
  cache = new TemplateCache(await loadEngine());
});

async function review(dir: string, registries: unknown[], objects: KubeObject[]) {
  const template = readTemplateFile(join(root, "constraint-templates", dir, "template.yaml")) as ConstraintTemplate;
  const constraint = { kind: template.kind, name: "bounds", match: undefined, parameters: { registries }, enforcementAction: "deny" };
  return reviewObjects(cache, [{ template, constraint }], objects);
}

describe.each(TEMPLATES)("$dir", ({ dir, registries }) => {
  it("decides every worst-case object, and denies one past a bound with one violation that says which bound", async () => {
    const cases = worstCases();
    const verdicts = await review(dir, registries, cases.map((c) => c.object));
    cases.forEach((c, i) => {
      const found = verdicts[i] ?? [];
      if (c.name === "bound-distinct-long-valid") {
        // valid images on other hosts, read in full within the bounds: the block list allows them all
        expect(found.length, c.name).toBe(dir === "allowed-registries" ? MAX_IMAGE_ITEMS : 0);
        return;
      }
      expect(found.length, c.name).toBeGreaterThan(0);
      const rules = new Set(found.map((v) => (v.details as { rule?: string }).rule));
      if (["blocked-then-20000-containers", "max-tiny-items", "max-plain-volumes", "item-bound-plus-one"].includes(c.name)) {
        expect(found, c.name).toHaveLength(1);
        expect(found[0]?.msg).toContain(`more than the ${MAX_POD_SPEC_ITEMS} this policy reads within Gatekeeper's 3 s webhook budget`);
        expect(found[0]?.msg).toContain("admits an object undecided");
      } else if (c.name === "image-bound-plus-one") {
        expect(found).toHaveLength(1);
        expect(found[0]?.msg).toContain(`pull ${MAX_IMAGE_ITEMS + 1} images (containers and image volumes), more than the ${MAX_IMAGE_ITEMS}`);
      } else {
        expect(rules.has("too-many-items") || rules.has("too-many-images"), c.name).toBe(false);
      }
    });
  });

  it("names the image volume in its violation", async () => {
    const pod: KubeObject = { apiVersion: "v1", kind: "Pod", metadata: { name: "v", namespace: "default" }, spec: { containers: [{ name: "main", image: "myacr.azurecr.io/app:1" }], volumes: [{ name: "cfg", configMap: { name: "x" } }, { name: "tools", image: { reference: "k8s.gcr.io/pause:3.9" } }] } };
    const [found = []] = await review(dir, registries, [pod]);
    expect(found).toHaveLength(1);
    expect(found[0]?.msg).toMatch(/^volume "tools" \(spec\.volumes\[1\]\) uses image "k8s\.gcr\.io\/pause:3\.9"/);
    expect(found[0]?.details).toMatchObject({ volume: "tools", field: "spec.volumes[1]", image: "k8s.gcr.io/pause:3.9" });
  });

  it.each(["https://k8s.gcr.io", "*.gcr.io", "k8s.gcr.io/*", "k8s.gcr.io,gcr.io", " k8s.gcr.io", "k8s.gcr.io/a..b", 5])("fails closed on the rule %j, naming it", async (bad) => {
    const pod: KubeObject = { apiVersion: "v1", kind: "Pod", metadata: { name: "ok", namespace: "default" }, spec: { containers: [{ name: "main", image: "myacr.azurecr.io/app:1" }] } };
    const [found = []] = await review(dir, [...registries, bad], [pod]);
    const shown = typeof bad === "string" ? bad : JSON.stringify(bad);
    expect(found.map((v) => v.details)).toContainEqual(expect.objectContaining({ rule: shown }));
    expect(found.some((v) => v.msg.startsWith(`registry rule ${JSON.stringify(shown)} in this policy's parameters`))).toBe(true);
  });
});

describe("rules are normalised as images are", () => {
  it("in validate's reading", () => {
    expect(normalizeRegistryRule("docker.io/nginx")).toBe("docker.io/library/nginx");
    expect(normalizeRegistryRule("index.docker.io/nginx")).toBe("docker.io/library/nginx");
    expect(normalizeRegistryRule("registry-1.docker.io/library/nginx")).toBe("docker.io/library/nginx");
    expect(normalizeRegistryRule("docker.io/library")).toBe("docker.io/library");
    expect(normalizeRegistryRule("docker.io/team/app")).toBe("docker.io/team/app");
    expect(normalizeRegistryRule("K8S.GCR.IO:5000/x")).toBe("k8s.gcr.io:5000/x");
    expect(registryRuleProblem("k8s.gcr.io/a..b")).toMatch(/invalid path segment 'a\.\.b'/);
  });

  it("in both templates: docker.io/nginx blocks nginx, docker.io/library/nginx and index.docker.io/nginx, not nginx/nginx-ingress", async () => {
    const images = ["nginx", "docker.io/library/nginx:1", "index.docker.io/nginx", "nginx/nginx-ingress:1"];
    const objects = images.map((image, i): KubeObject => ({ apiVersion: "v1", kind: "Pod", metadata: { name: `p${i}`, namespace: "default" }, spec: { containers: [{ name: "main", image }] } }));
    const blocked = await review("disallowed-registries", ["docker.io/nginx"], objects);
    expect(blocked.map((v) => v.length > 0)).toEqual([true, true, true, false]);
    const allowed = await review("allowed-registries", ["index.docker.io/nginx"], objects);
    expect(allowed.map((v) => v.length === 0)).toEqual([true, true, true, false]);
  });
});
