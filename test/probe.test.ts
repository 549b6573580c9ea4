// Reach and --attack on the real engine, against a template azpol did not write (the classic
// `contains()` k8sallowedrepos from blog posts and early gatekeeper-library) and against
// azpol's own two registry templates. The classic one must be caught side-stepped by at least
// the suffix, path, ephemeral-container, image-volume and workload-kind families, and blind to
// workloads; azpol's own must give no family a way through.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { ConstraintTemplate } from "../src/core/constraint-template.js";
import { DEFAULT_API_GROUPS, DEFAULT_KINDS } from "../src/core/policy-model.js";
import { readTemplateFile } from "../src/io/load-definitions.js";
import { readConstraintTemplate } from "../src/core/constraint-template.js";
import { attack } from "../src/probe/attack.js";
import { probeReach } from "../src/probe/reach.js";
import { loadEngine } from "../src/rego/engine.js";
import { type Policy } from "../src/rego/evaluate.js";
import { TemplateCache } from "../src/rego/template-cache.js";

const root = join(import.meta.dirname, "..");
let cache: TemplateCache;

beforeAll(async () => {
  cache = new TemplateCache(await loadEngine());
});

function policy(templateFile: string, parameters: Record<string, unknown>, source?: string): Policy & { definition: string } {
  const template = readTemplateFile(join(root, templateFile)) as ConstraintTemplate;
  return {
    definition: template.name,
    template,
    constraint: {
      kind: template.kind,
      name: `azurepolicy-${template.name}`,
      match: { kinds: [{ apiGroups: DEFAULT_API_GROUPS, kinds: DEFAULT_KINDS }], excludedNamespaces: ["kube-system"], ...(source ? { source } : {}) },
      parameters,
      enforcementAction: "deny",
    },
  };
}

const CLASSIC = "test/fixtures/templates/classic-allowedrepos/template.yaml";
const classic = () => policy(CLASSIC, { repos: ["private.example.com"] });

describe("reach", () => {
  it("the classic template cannot see ephemeral containers, image volumes, or any workload but a Pod", async () => {
    const reach = await probeReach(cache, classic());
    expect(reach.probed).toBe(true);
    const gaps = reach.gaps.map((g) => `${g.kind}.${g.field}`);
    expect(gaps).toContain("Pod.ephemeralContainers");
    expect(gaps).toContain("Pod.imageVolume");
    expect(gaps).not.toContain("Pod.containers");
    expect(gaps).not.toContain("Pod.initContainers");
    for (const kind of DEFAULT_KINDS.filter((k) => k !== "Pod")) expect(gaps).toContain(`${kind}.containers`);
    // Pod containers are seen, so expansion into Pods would fix a Deployment's containers
    expect(reach.gaps.find((g) => g.kind === "Deployment" && g.field === "containers")?.fixedBySourceAll).toBe(true);
    expect(reach.gaps.find((g) => g.kind === "Pod" && g.field === "ephemeralContainers")?.fixedBySourceAll).toBe(false);
  });

  it.each([
    ["constraint-templates/allowed-registries/template.yaml", { registries: ["private.example.com"] }],
    ["constraint-templates/disallowed-registries/template.yaml", { registries: ["k8s.gcr.io"] }],
  ])("azpol's %s sees every declared kind and place", async (file, parameters) => {
    const reach = await probeReach(cache, policy(file, parameters));
    expect(reach.probed).toBe(true);
    expect(reach.kinds).toEqual(DEFAULT_KINDS);
    // image volumes are seen exactly when the template reads volumes[].image (added to azpol's
    // templates by the image-volume work); every other place always
    const readsVolumes = readFileSync(join(root, file), "utf8").includes("volumes");
    expect(reach.gaps.filter((g) => g.field !== "imageVolume")).toEqual([]);
    expect(reach.gaps.length === 0).toBe(readsVolumes);
  });
});

describe("--attack", () => {
  it("finds the suffix, path, ephemeral-container, image-volume and workload-kind families on the classic template, each with its object", async () => {
    const report = await attack(cache, classic());
    expect(report.probed).toBe(true);
    expect(report.allowList).toBe(true);
    const through = new Set(report.bypasses.map((b) => b.family));
    for (const family of ["host-suffix", "path", "ephemeral-container", "image-volume", "workload-kind"]) expect(through).toContain(family);
    const suffix = report.bypasses.find((b) => b.family === "host-suffix");
    expect(JSON.stringify(suffix?.object)).toContain("private.example.com.evil.example/");
    // what it does deny is not reported as a way through
    expect(through).not.toContain("init-container");
    expect(through).not.toContain("docker-hub");
  });

  it.each([
    ["constraint-templates/allowed-registries/template.yaml", { registries: ["private.example.com"] }],
    ["constraint-templates/disallowed-registries/template.yaml", { registries: ["k8s.gcr.io"] }],
  ])("finds no way through azpol's %s", async (file, parameters) => {
    const report = await attack(cache, policy(file, parameters));
    expect(report.probed).toBe(true);
    expect(report.families.length).toBeGreaterThanOrEqual(8);
    const readsVolumes = readFileSync(join(root, file), "utf8").includes("volumes");
    expect(report.bypasses.filter((b) => b.family !== "image-volume").map((b) => `${b.family}: ${b.attempt}`)).toEqual([]);
    expect(report.bypasses.length === 0).toBe(readsVolumes);
  });

  it("a block list written with equality is side-stepped by case, port and digest spellings of the same registry", async () => {
    const report = await attack(cache, policy("test/fixtures/templates/naive-blocklist/template.yaml", { registries: ["k8s.gcr.io"] }));
    expect(report.allowList).toBe(false);
    const through = new Set(report.bypasses.map((b) => b.family));
    for (const family of ["case", "port", "local-image-id"]) expect(through).toContain(family);
  });
});

// An evaluation azpol stops at its step bound is one Gatekeeper's webhook would not finish either:
// the add-on admits the object. So it is neither a deny nor an allow: an attack that makes the
// template run that long gets through, and a template that never finishes on a probe Pod is not
// probed. (Both used to count the stopped evaluation as a deny.)
describe("evaluations that do not finish", () => {
  const looping = (when: string): Policy & { definition: string } => {
    const obj = {
      apiVersion: "templates.gatekeeper.sh/v1beta1",
      kind: "ConstraintTemplate",
      metadata: { name: "k8sslowblock" },
      spec: {
        crd: { spec: { names: { kind: "K8sSlowBlock" } } },
        targets: [{ target: "admission.k8s.gatekeeper.sh", rego: `package k8sslowblock\n\nviolation[{"msg": "k8s.gcr.io"}] {\n  c := input.review.object.spec.containers[_]\n  startswith(c.image, "k8s.gcr.io/")\n}\n\nviolation[{"msg": "never"}] {\n  ${when}\n  numbers.range(1, 1000000000)[_] == -1\n}\n` }],
      },
    };
    const template = readConstraintTemplate(obj, JSON.stringify(obj));
    if (Array.isArray(template)) throw new Error(template.join("; "));
    return { definition: "slow", template, constraint: { kind: template.kind, name: "slow", match: { kinds: [{ apiGroups: DEFAULT_API_GROUPS, kinds: DEFAULT_KINDS }] }, parameters: {}, enforcementAction: "deny" } };
  };

  it("--attack: the oversized Pod the template cannot finish gets through, and says why", async () => {
    const report = await attack(cache, looping("count(input.review.object.spec.containers) > 1000"));
    const oversized = report.bypasses.filter((b) => b.family === "oversized-pod");
    expect(oversized).toHaveLength(1);
    expect(oversized[0]?.attempt).toMatch(/does not finish: Gatekeeper's webhook would time out and the add-on admits it/);
  });

  it("reach: a template that never finishes on a probe Pod is not probed, and says so", async () => {
    const reach = await probeReach(cache, looping("true"));
    expect(reach).toMatchObject({ probed: false, gaps: [] });
    expect(reach.note).toMatch(/evaluation of the probe Pods was not finished/);
  });
});
