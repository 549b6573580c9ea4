// Plans a reviewer can read: a template change is a unified diff of the decoded YAML (checked by
// GNU patch, which must turn the YAML Azure has into the YAML the sources make), assignment
// values side by side, creates show what they write; text and Markdown carry the same.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildDefinitions } from "../../src/pipeline/build-definitions.js";
import type { ArmResource } from "../../src/deploy/arm-port.js";
import { desiredState } from "../../src/deploy/desired-state.js";
import { planDeployment } from "../../src/deploy/plan.js";
import { reviewItem } from "../../src/deploy/plan-review.js";
import { parseScope } from "../../src/deploy/scope.js";
import { unifiedDiff as unifiedTextDiff } from "../../src/emit/unified-diff.js";
import { findDefinitionFiles, loadDefinitionInput } from "../../src/io/load-definitions.js";
import { readAnywhere } from "../../src/io/project-boundary.js";
import { formatPlan, formatPlanMarkdown } from "../../src/cli/render/plan.js";

const root = join(import.meta.dirname, "..", "..");
const models = buildDefinitions(findDefinitionFiles(join(root, "definitions")).map((f) => loadDefinitionInput(f, readAnywhere(root))), []).models;
const SUB = "00000000-0000-0000-0000-000000000001";
const scope = parseScope("rg-demo", SUB);
const desired = desiredState(models, scope, (m) => (m.name === "k8s-gcr-deprecation" ? { effect: "Audit" } : {}), "Default");
const work = mkdtempSync(join(tmpdir(), "azpol-review-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const stored = (): { definitions: ArmResource[]; assignments: ArmResource[] } => ({
  definitions: desired.definitions.map((d) => ({ id: d.id, name: d.name, properties: structuredClone(d.properties) })),
  assignments: desired.assignments.map((a) => ({ id: a.id, name: a.name, properties: structuredClone(a.properties) })),
});

/** GNU patch applied to `before` with our diff: what it turns the text into. */
function patched(before: string, diff: string): string {
  const file = join(work, "file.yaml");
  writeFileSync(file, before);
  writeFileSync(join(work, "change.diff"), diff);
  execFileSync("patch", ["--silent", "--force", "--no-backup-if-mismatch", file, join(work, "change.diff")]);
  return readFileSync(file, "utf8");
}

/** a small deterministic generator: texts with repeated lines make the alignment hard */
function texts(seed: number): [string, string] {
  let s = seed;
  const next = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const vocabulary = ["a", "b", "c", "  name: x", "  - k8s.gcr.io", "", "spec:"];
  const a = Array.from({ length: 5 + Math.floor(next() * 40) }, () => vocabulary[Math.floor(next() * vocabulary.length)] as string);
  const b = a.flatMap((line) => {
    const r = next();
    if (r < 0.1) return [];
    if (r < 0.2) return [line, vocabulary[Math.floor(next() * vocabulary.length)] as string];
    if (r < 0.3) return [`${line}!`];
    return [line];
  });
  return [`${a.join("\n")}\n`, `${b.join("\n")}\n`];
}

describe("unified diff of two texts", () => {
  it("GNU patch turns before into after for 200 generated pairs with lines added, removed and changed", () => {
    for (let seed = 1; seed <= 200; seed++) {
      const [before, after] = texts(seed);
      const diff = unifiedTextDiff({ before: "a/file.yaml", after: "b/file.yaml" }, before, after);
      if (before === after) expect(diff).toBe("");
      else expect(patched(before, diff), `seed ${seed}`).toBe(after);
    }
  });

  it("from and to nothing, and one line each side", () => {
    for (const [before, after] of [["", "x\ny\n"], ["x\ny\n", ""], ["x\n", "y\n"]] as const) expect(patched(before, unifiedTextDiff({ before: "a", after: "b" }, before, after))).toBe(after);
  });

  it("a text without a final newline (a decoded template may end so): diff's marker, and GNU patch restores it exactly", () => {
    for (let seed = 1; seed <= 100; seed++) {
      const [a, b] = texts(seed);
      for (const [before, after] of [[a.slice(0, -1), b], [a, b.slice(0, -1)], [a.slice(0, -1), b.slice(0, -1)]] as const) {
        const diff = unifiedTextDiff({ before: "a/file.yaml", after: "b/file.yaml" }, before, after);
        if (before === after) expect(diff).toBe("");
        else expect(patched(before, diff), `seed ${seed}`).toBe(after);
      }
    }
  });
});

describe("a plan item for review", () => {
  it("a template change is a diff of the decoded YAML, not two Base64 strings", () => {
    const current = stored();
    const info = ((current.definitions[0]?.properties.policyRule as { then: { details: { templateInfo: { content: string } } } }).then.details.templateInfo);
    const yaml = Buffer.from(info.content, "base64").toString("utf8");
    const older = yaml.replace(/\n/, "\n# an older revision\n").replace("violation", "violation_old");
    expect(older).not.toBe(yaml);
    info.content = Buffer.from(older).toString("base64");
    const plan = planDeployment(desired, current, "subscription x");
    const item = plan.items[0];
    if (!item) throw new Error("no item");
    const review = reviewItem(item);
    expect(review.changes).toEqual([]);
    expect(review.templates.map((t) => t.path)).toEqual(["policyRule.then.details.templateInfo.content"]);
    expect(patched(older, review.templates[0]?.diff ?? "")).toBe(yaml);
    expect(review.templates[0]?.diff).toContain("-# an older revision");
    const text = formatPlan(plan);
    expect(text).toContain("~ policyRule.then.details.templateInfo.content (Base64; the decoded YAML):");
    expect(text).toContain("    -# an older revision");
    expect(text).not.toContain(info.content.slice(0, 40));
    const markdown = formatPlanMarkdown(plan);
    expect(markdown).toContain("```diff\n--- azure/policyRule.then.details.templateInfo");
    expect(markdown).toContain("-# an older revision");
  });

  it("assignment values side by side: parameters and settings, where each comes from", () => {
    const current = stored();
    const a = current.assignments[1];
    if (!a) throw new Error("no assignment");
    a.properties.enforcementMode = "DoNotEnforce";
    a.properties.parameters = { effect: { value: "Deny" }, blockedRegistries: { value: ["k8s.gcr.io"] } };
    a.properties.displayName = "old name";
    const plan = planDeployment(desired, current, "subscription x");
    const item = plan.items.find((i) => i.kind === "assignment" && i.action === "update");
    if (!item) throw new Error("no update");
    const review = reviewItem(item, { "parameters.effect": "--param" });
    expect(review.values).toHaveLength(3);
    expect(review.values).toEqual(
      expect.arrayContaining([
        { name: "parameters.effect", current: "Deny", desired: "Audit", origin: "--param" },
        { name: "parameters.blockedRegistries", current: ["k8s.gcr.io"] },
        { name: "enforcementMode", current: "DoNotEnforce", desired: "Default" },
      ]),
    );
    expect(review.changes.map((c) => c.path)).toEqual(["displayName"]);
    const text = formatPlan({ ...plan, valueOrigins: { "parameters.effect": "--param" } });
    expect(text).toMatch(/value +in Azure +desired/);
    expect(text).toMatch(/parameters\.effect +"Deny" +"Audit" +\(--param, this run only\)/);
    expect(text).toMatch(/parameters\.blockedRegistries +\["k8s\.gcr\.io"\] +\(none\)/);
    expect(text).toMatch(/enforcementMode +"DoNotEnforce" +"Default"/);
    const markdown = formatPlanMarkdown(plan);
    expect(markdown).toContain("| value | in Azure | desired |");
    expect(markdown).toContain('| <code>enforcementMode</code> | <code>"DoNotEnforce"</code> | <code>"Default"</code> |');
  });

  it("a create shows what it writes: leaves by path, the template summarised, an assignment's values side by side", () => {
    const plan = planDeployment(desired, { definitions: [], assignments: [] }, "subscription x");
    const definition = reviewItem(plan.items[1] as NonNullable<(typeof plan.items)[1]>);
    const paths = definition.content.map((c) => c.path);
    expect(paths).toEqual(expect.arrayContaining(["displayName", "mode", "parameters.effect.defaultValue", "policyRule.then.details.templateInfo.content", "metadata.azpolOwner"]));
    expect(String(definition.content.find((c) => c.path.endsWith("templateInfo.content"))?.after)).toMatch(/^<ConstraintTemplate \S+, \d+ lines of YAML, sha256 [0-9a-f]{12}>$/);
    const assignment = reviewItem(plan.items[3] as NonNullable<(typeof plan.items)[3]>);
    expect(assignment.values).toEqual(expect.arrayContaining([{ name: "parameters.effect", desired: "Audit" }, { name: "enforcementMode", desired: "Default" }]));
    expect(assignment.content.map((c) => c.path)).not.toContain("enforcementMode");
    const text = formatPlan(plan);
    expect(text).toContain('      + mode: "Microsoft.Kubernetes.Data"');
    expect(text).toMatch(/parameters\.effect +\(none\) +"Audit"/);
    expect(formatPlanMarkdown(plan)).toContain("<details><summary>create definition <code>allowed-registries</code></summary>");
  });
});
