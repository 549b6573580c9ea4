// Gatekeeper's 3 s webhook budget, decided without a clock: the engine counts each evaluation's
// steps and input size (engine/eval_cost.go), core/webhook-budget.ts turns them into Gatekeeper
// seconds, and an object over the budget (or near it) is "undecided": the AKS add-on fails open
// and admits it. Every assertion here is about counts, never about elapsed time.
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { ConstraintTemplate } from "../src/core/constraint-template.js";
import { GATEKEEPER_COST_NS, judgeWebhookBudget, MAX_EVALUATION_STEPS, REPORT_FROM_SECONDS, templateSeconds, WEBHOOK_TIMEOUT_SECONDS } from "../src/core/webhook-budget.js";
import { readTemplateFile } from "../src/io/load-definitions.js";
import { loadEngine } from "../src/rego/engine.js";
import type { RegoEngine } from "../src/rego/engine-port.js";
import { reviewObjectsWithExclusions, type Policy } from "../src/rego/evaluate.js";
import { TemplateCache } from "../src/rego/template-cache.js";
import type { KubeObject } from "../src/rego/kubernetes-object.js";
import { readConstraintTemplate } from "../src/core/constraint-template.js";
import { verdictOf } from "../src/manifest-check/object-verdict.js";
import { classicTemplate, pod, podWithContainers } from "./support/slow-templates.js";
import { worstCases } from "./support/worst-case-objects.js";
import { workload } from "./support/workloads.js";

const root = join(import.meta.dirname, "..");
const UNDECIDED = "the cluster would admit this undecided: the add-on fails open";
let engine: RegoEngine;
let cache: TemplateCache;

beforeAll(async () => {
  engine = await loadEngine();
  cache = new TemplateCache(engine);
});

function templateFromObject(obj: Record<string, unknown>): ConstraintTemplate {
  const read = readConstraintTemplate(obj, JSON.stringify(obj));
  if (Array.isArray(read)) throw new Error(read.join("; "));
  return read;
}

const cost = (steps: number, inputNodes = 30, inputBytes = 400) => ({ steps, inputNodes, inputBytes });
const stepsFor = (seconds: number) => Math.ceil((seconds * 1e9) / GATEKEEPER_COST_NS.perStep);

describe("judgeWebhookBudget (the model)", () => {
  it("decides an ordinary object, and reports one whose templates together reach the margin", () => {
    expect(judgeWebhookBudget([]).undecided).toBe(false);
    expect(judgeWebhookBudget([{ constraint: "a", enforcementAction: "deny", cost: cost(600) }, { constraint: "b", enforcementAction: "deny", cost: cost(700) }]).undecided).toBe(false);
    // each template alone below the margin, together above it: one webhook request pays for both
    const half = stepsFor(REPORT_FROM_SECONDS * 0.6);
    expect(judgeWebhookBudget([{ constraint: "a", enforcementAction: "deny", cost: cost(half) }]).undecided).toBe(false);
    const both = judgeWebhookBudget([{ constraint: "a", enforcementAction: "deny", cost: cost(half) }, { constraint: "b", enforcementAction: "deny", cost: cost(half) }]);
    expect(both.undecided).toBe(true);
    expect(both.reason).toContain(UNDECIDED);
    expect(both.reason).toContain(`within`);
    expect(both.reason).toMatch(/a \d\.\d+ s \([\d,]+ evaluation steps\), b /);
  });

  it("says 'more than' the timeout for a stopped evaluation or an estimate past it", () => {
    const stopped = judgeWebhookBudget([{ constraint: "slow", enforcementAction: "deny", cost: { ...cost(MAX_EVALUATION_STEPS), stopped: true } }]);
    expect(stopped).toMatchObject({ undecided: true, stopped: true });
    expect(stopped.reason).toContain(`more than its webhook's ${WEBHOOK_TIMEOUT_SECONDS} s timeout`);
    expect(stopped.reason).toContain("stopped there");
    const over = judgeWebhookBudget([{ constraint: "slow", enforcementAction: "deny", cost: cost(stepsFor(WEBHOOK_TIMEOUT_SECONDS * 1.1)) }]);
    expect(over.reason).toContain(`more than its webhook's ${WEBHOOK_TIMEOUT_SECONDS} s timeout`);
  });

  it("reports nothing when every constraint involved only audits or warns (the object is admitted anyway; Gatekeeper's audit has no webhook timeout)", () => {
    const heavy = cost(stepsFor(WEBHOOK_TIMEOUT_SECONDS * 2));
    expect(judgeWebhookBudget([{ constraint: "a", enforcementAction: "dryrun", cost: heavy }, { constraint: "b", enforcementAction: "warn", cost: heavy }]).undecided).toBe(false);
    expect(judgeWebhookBudget([{ constraint: "a", enforcementAction: "dryrun", cost: heavy }, { constraint: "b", enforcementAction: "deny", cost: cost(10) }]).undecided).toBe(true);
  });

  it("an audit or warn evaluation azpol stopped is undecided: its result is unknown, not a violation", () => {
    const stopped = { ...cost(MAX_EVALUATION_STEPS), stopped: true };
    const cut = judgeWebhookBudget([{ constraint: "a", enforcementAction: "dryrun", cost: stopped }, { constraint: "b", enforcementAction: "warn", cost: cost(10) }]);
    expect(cut).toMatchObject({ undecided: true, stopped: true });
    expect(cut.reason).toMatch(/^not decided: azpol stopped evaluating a \(stopped after [\d,]+ evaluation steps\).*only audits or warns.*what it would report is unknown$/);
  });

  it("counts the input conversion Gatekeeper does per template before any Rego runs", () => {
    const big = cost(0, 2_000_000, 20_000_000);
    expect(templateSeconds(big)).toBeGreaterThan(templateSeconds(cost(0)));
    // a template that reads nothing still pays for a huge object, once per template
    expect(judgeWebhookBudget([{ constraint: "a", enforcementAction: "deny", cost: big }, { constraint: "b", enforcementAction: "deny", cost: big }]).undecided).toBe(true);
  });
});

const classicPolicy = (): Policy => {
  const template = templateFromObject(classicTemplate());
  return { template, constraint: { kind: template.kind, name: "classic-repos", match: undefined, parameters: { repos: ["myacr.azurecr.io/", "mcr.microsoft.com/"] }, enforcementAction: "deny" } };
};

const registryPolicies = (): Policy[] =>
  [
    { dir: "disallowed-registries", registries: ["k8s.gcr.io", "docker.io/library/busybox"] },
    { dir: "allowed-registries", registries: ["myacr.azurecr.io", "registry.k8s.io"] },
  ].map(({ dir, registries }) => {
    const template = readTemplateFile(join(root, "constraint-templates", dir, "template.yaml")) as ConstraintTemplate;
    return { template, constraint: { kind: template.kind, name: dir, match: undefined, parameters: { registries }, enforcementAction: "deny" } };
  });

describe("the engine's count", () => {
  it("is the same for the same evaluation, whatever else is in the batch", async () => {
    const policy = classicPolicy();
    const target = podWithContainers(300);
    const alone = await reviewObjectsWithExclusions(cache, [policy], [target]);
    const batched = await reviewObjectsWithExclusions(cache, [policy], [podWithContainers(10), target, podWithContainers(50)]);
    const steps = alone[0]?.costs?.[0]?.cost.steps;
    expect(steps).toBeGreaterThan(300);
    expect(batched[1]?.costs?.[0]?.cost.steps).toBe(steps);
    expect(batched[0]?.costs?.[0]?.cost.steps).toBeLessThan(steps ?? 0);
    // and grows with the work: the classic template does the same per container
    const double = await reviewObjectsWithExclusions(cache, [policy], [podWithContainers(600)]);
    expect(double[0]?.costs?.[0]?.cost.steps).toBeGreaterThan(1.9 * (steps ?? 0));
    expect(double[0]?.costs?.[0]?.cost.inputNodes).toBeGreaterThan(1.9 * (alone[0]?.costs?.[0]?.cost.inputNodes ?? 0));
  });
});

describe("an evaluation Gatekeeper could not finish in 3 s", () => {
  it("is undecided (an error naming why), not a deny, for the classic template on a 20,000-container Pod", async () => {
    const attack = pod("many", { containers: [{ name: "first", image: "k8s.gcr.io/pause" }, ...Array.from({ length: 20_000 }, (_, i) => ({ name: `c${i}`, image: "a" }))] });
    const [review] = await reviewObjectsWithExclusions(cache, [classicPolicy()], [attack]);
    expect(review?.undecided).toContain(UNDECIDED);
    expect(review?.undecided).toContain("classic-repos");
    expect(verdictOf(review ?? { violations: [], excluded: [] })).toBe("undecided");
  });

  it("is stopped at the step limit and said so, never a silent pass", async () => {
    // every pair of containers: n² steps, past the limit long before the end
    const quadratic = templateFromObject(
      {
        apiVersion: "templates.gatekeeper.sh/v1beta1",
        kind: "ConstraintTemplate",
        metadata: { name: "k8spairs" },
        spec: {
          crd: { spec: { names: { kind: "K8sPairs" } } },
          targets: [{ target: "admission.k8s.gatekeeper.sh", rego: `package k8spairs\n\nviolation[{"msg": "shared"}] {\n  a := input.review.object.spec.containers[i]\n  b := input.review.object.spec.containers[j]\n  i != j\n  a.image == b.name\n}\n` }],
        },
      },
    );
    const n = Math.ceil(Math.sqrt(MAX_EVALUATION_STEPS)) + 200;
    const [review] = await reviewObjectsWithExclusions(cache, [{ template: quadratic, constraint: { kind: "K8sPairs", name: "pairs", match: undefined, parameters: {}, enforcementAction: "deny" } }], [podWithContainers(n)]);
    expect(review?.costs?.[0]?.cost).toMatchObject({ stopped: true, steps: MAX_EVALUATION_STEPS });
    expect(review?.undecided).toContain("more than its webhook's 3 s timeout");
    expect(review?.violations.map((v) => v.notEvaluated)).toEqual(["webhook budget"]);
    // the same evaluation under an assignment that only audits: undecided too (what Gatekeeper's
    // audit would report is unknown), never "violations"
    const [audited] = await reviewObjectsWithExclusions(cache, [{ template: quadratic, constraint: { kind: "K8sPairs", name: "pairs", match: undefined, parameters: {}, enforcementAction: "dryrun" } }], [podWithContainers(n)]);
    expect(audited?.undecided).toMatch(/^not decided: azpol stopped evaluating pairs .*only audits or warns/);
    expect(verdictOf(audited ?? { violations: [], excluded: [] })).toBe("undecided");
  });
});

describe("azpol's own registry templates", () => {
  it("decide every worst-case object within the budget, both templates together", async () => {
    const cases = worstCases();
    const reviews = await reviewObjectsWithExclusions(cache, registryPolicies(), cases.map((c) => c.object));
    reviews.forEach((r, i) => {
      expect(r.undecided, cases[i]?.name).toBeUndefined();
      expect(r.violations.length + 1, cases[i]?.name).toBeGreaterThan(0);
      expect(judgeWebhookBudget(r.costs ?? []).seconds, cases[i]?.name).toBeLessThan(REPORT_FROM_SECONDS);
    });
  });

  it("are nowhere near the budget on ordinary workloads", async () => {
    const objects: KubeObject[] = ["Pod", "Deployment", "CronJob"].map((kind, i) => workload(kind, "containers", "k8s.gcr.io/pause:3.9", `w${i}`, "myacr.azurecr.io/app:1"));
    const reviews = await reviewObjectsWithExclusions(cache, registryPolicies(), objects);
    for (const r of reviews) {
      expect(r.undecided).toBeUndefined();
      expect(judgeWebhookBudget(r.costs ?? []).seconds).toBeLessThan(REPORT_FROM_SECONDS / 50);
    }
  });
});
