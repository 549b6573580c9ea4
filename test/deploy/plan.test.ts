// Planning is pure: desired vs current → create / update (with a readable diff) /
// unchanged / blocked, ignoring what the service adds on its own.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildDefinitions } from "../../src/pipeline/build-definitions.js";
import type { PolicyModel } from "../../src/core/policy-model.js";
import type { ArmResource } from "../../src/deploy/arm-port.js";
import { desiredState } from "../../src/deploy/desired-state.js";
import { jsonDiff } from "../../src/deploy/json-diff.js";
import { planDeployment } from "../../src/deploy/plan.js";
import { parseScope } from "../../src/deploy/scope.js";
import { findDefinitionFiles, loadDefinitionInput } from "../../src/io/load-definitions.js";
import { readAnywhere } from "../../src/io/project-boundary.js";
import { formatPlan } from "../../src/cli/render/plan.js";

const root = join(import.meta.dirname, "..", "..");
const models: PolicyModel[] = buildDefinitions(findDefinitionFiles(join(root, "definitions")).map((f) => loadDefinitionInput(f, readAnywhere(root))), []).models;
const SUB = "00000000-0000-0000-0000-000000000001";
const scope = parseScope("rg-demo", SUB);
const desired = desiredState(models, scope, (m) => (m.name === "k8s-gcr-deprecation" ? { effect: "Audit" } : {}), "Default");

/** What ARM returns after a PUT of `properties`: echoed, plus service stamps. */
function asStored(id: string, properties: Record<string, unknown>): ArmResource {
  const metadata = { ...((properties.metadata as object | undefined) ?? {}), createdBy: "someone", createdOn: "2026-01-01T00:00:00Z", updatedBy: null, updatedOn: null };
  return { id, name: id.split("/").pop() ?? "", properties: { ...structuredClone(properties), metadata, policyType: "Custom", scope: scope.id } };
}

const stored = {
  definitions: desired.definitions.map((d) => asStored(d.id, d.properties)),
  assignments: desired.assignments.map((a) => asStored(a.id, a.properties)),
};

it("creates everything on an empty subscription: definitions first, then assignments", () => {
  const plan = planDeployment(desired, { definitions: [], assignments: [] }, "subscription x");
  expect(plan.items.map((i) => `${i.action} ${i.kind} ${i.name}`)).toEqual([
    "create definition allowed-registries",
    "create definition k8s-gcr-deprecation",
    "create assignment allowed-registries",
    "create assignment k8s-gcr-deprecation",
  ]);
  expect(plan.counts).toEqual({ create: 4, update: 0, unchanged: 0, blocked: 0, delete: 0 });
  expect(desired.assignments[1]?.properties).toMatchObject({ policyDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/policyDefinitions/k8s-gcr-deprecation`, parameters: { effect: { value: "Audit" } }, metadata: { managedBy: "azpol", azpolOwner: "default" } });
});

it("is unchanged when ARM holds the same, whatever it stamped into metadata or the case of ids and types", () => {
  const noisy = structuredClone(stored);
  const first = noisy.definitions[0]?.properties.parameters as Record<string, { type: string }>;
  if (first.labelSelector) first.labelSelector.type = "object";
  const a = noisy.assignments[0];
  if (a) a.properties.policyDefinitionId = String(a.properties.policyDefinitionId).toUpperCase();
  const plan = planDeployment(desired, noisy, "subscription x");
  expect(plan.counts).toEqual({ create: 0, update: 0, unchanged: 4, blocked: 0, delete: 0 });
});

it("updates with a readable diff of only what differs", () => {
  const changed = structuredClone(stored);
  const params = changed.definitions[1]?.properties.parameters as Record<string, { defaultValue: unknown }>;
  if (params.blockedRegistries) params.blockedRegistries.defaultValue = ["k8s.gcr.io", "gcr.io/google-containers"];
  if (changed.assignments[1]) changed.assignments[1].properties.enforcementMode = "DoNotEnforce";
  const plan = planDeployment(desired, changed, "subscription x");
  expect(plan.counts).toEqual({ create: 0, update: 2, unchanged: 2, blocked: 0, delete: 0 });
  expect(plan.items[1]?.changes).toEqual([{ path: "parameters.blockedRegistries.defaultValue", op: "change", before: ["k8s.gcr.io", "gcr.io/google-containers"], after: ["k8s.gcr.io"] }]);
  expect(formatPlan(plan)).toContain('  ~ update    definition k8s-gcr-deprecation\n      ~ parameters.blockedRegistries.defaultValue: ["k8s.gcr.io","gcr.io/google-containers"] → ["k8s.gcr.io"]');
  // an assignment's settings and values are set side by side (plan-review.test.ts)
  expect(formatPlan(plan)).toMatch(/\n {6}enforcementMode +"DoNotEnforce" +"Default"/);
});

describe("blocked before any call", () => {
  const withDefinitionParameters = (mutate: (p: Record<string, Record<string, unknown>>) => void) => {
    const current = structuredClone(stored);
    mutate(current.definitions[1]?.properties.parameters as Record<string, Record<string, unknown>>);
    return planDeployment(desired, current, "subscription x");
  };

  it("removing a parameter (it exists in Azure but not in the source)", () => {
    const plan = withDefinitionParameters((p) => (p.oldParam = { type: "String", defaultValue: "x" }));
    expect(plan.items[1]).toMatchObject({ action: "blocked", blocked: [expect.stringMatching(/parameter 'oldParam' would be removed; Azure rejects removing or renaming parameters \(InvalidPolicyParameterUpdate\)/), expect.stringMatching(/^with --allow-replace/)] });
    expect(formatPlan(plan)).toMatch(/! blocked +definition k8s-gcr-deprecation\n.*\n?.*blocked: parameter 'oldParam'/);
  });

  it("changing a parameter's type", () => {
    const plan = withDefinitionParameters((p) => {
      if (p.message) p.message.type = "Array";
    });
    expect(plan.items[1]?.blocked).toEqual([expect.stringMatching(/parameter 'message' would change type Array → String/), expect.stringMatching(/^with --allow-replace/)]);
  });

  it("adding a parameter without a default", () => {
    const noDefault = desiredState(models, scope, () => ({}), "Default");
    const params = noDefault.definitions[1]?.properties.parameters as Record<string, Record<string, unknown>>;
    params.extra = { type: "String", metadata: { displayName: "x", description: "" } };
    const plan = planDeployment(noDefault, stored, "subscription x");
    expect(plan.items[1]?.blocked).toEqual([expect.stringMatching(/parameter 'extra' is new and has no default/), expect.stringMatching(/^with --allow-replace/)]);
  });

  it("taking over an assignment azpol did not make", () => {
    const current = structuredClone(stored);
    if (current.assignments[0]) current.assignments[0].properties.metadata = { assignedBy: "someone else" };
    expect(planDeployment(desired, current, "subscription x").items[2]).toMatchObject({ action: "blocked", blocked: [expect.stringMatching(/was not made by azpol/)] });
  });
});

describe("ownership and prune", () => {
  const alien = (id: string, metadata: Record<string, unknown>): ArmResource => ({ id, name: id.split("/").pop() ?? "", properties: { displayName: "x", metadata, policyDefinitionId: "/x" } });
  const defId = (n: string) => `/subscriptions/${SUB}/providers/Microsoft.Authorization/policyDefinitions/${n}`;
  const asgId = (n: string) => `${scope.id}/providers/Microsoft.Authorization/policyAssignments/${n}`;
  const extra = {
    definitions: [...stored.definitions, alien(defId("gone"), { managedBy: "azpol", azpolOwner: "default" }), alien(defId("theirs"), { managedBy: "azpol", azpolOwner: "team-b" }), alien(defId("by-hand"), {})],
    assignments: [...stored.assignments, alien(asgId("gone"), { managedBy: "azpol", azpolOwner: "default" }), alien(asgId("by-hand"), {})],
  };

  it("without --prune, leaves everything it does not declare alone", () => {
    expect(planDeployment(desired, extra, "s").counts).toEqual({ create: 0, update: 0, unchanged: 4, blocked: 0, delete: 0 });
  });

  it("--prune deletes only this owner's resources, assignments first; never another owner's or one made by hand", () => {
    const plan = planDeployment(desired, extra, "s", { owner: "default", prune: true });
    expect(plan.items.filter((i) => i.action === "delete").map((i) => `${i.kind} ${i.name}`)).toEqual(["assignment gone", "definition gone"]);
    expect(formatPlan(plan)).toContain("  - delete    assignment gone");
    expect(formatPlan(plan)).toContain("Plan: 0 to create, 0 to update, 4 unchanged, 0 blocked, 2 to delete.");
  });

  it("another owner's assignment or definition of the same name is blocked, not taken over", () => {
    const theirs = structuredClone(stored);
    for (const r of [...theirs.definitions, ...theirs.assignments]) (r.properties.metadata as Record<string, unknown>).azpolOwner = "team-b";
    const plan = planDeployment(desired, theirs, "s", { owner: "team-a", prune: true });
    expect(plan.counts.blocked).toBe(4);
    expect(plan.items[0]?.blocked).toEqual([expect.stringMatching(/belongs to azpol owner 'team-b'/)]);
    expect(plan.counts.delete).toBe(0);
  });

  it("a resource azpol made before owners were recorded is the default owner's", () => {
    const legacy = structuredClone(stored);
    for (const r of legacy.assignments) r.properties.metadata = { managedBy: "azpol" };
    const plan = planDeployment(desired, legacy, "s");
    expect(plan.items.filter((i) => i.kind === "assignment").map((i) => i.action)).toEqual(["update", "update"]);
    expect(plan.items[2]?.changes).toEqual([{ path: "metadata.azpolOwner", op: "add", after: "default" }]);
  });
});

it("jsonDiff names adds, removes and changes by path", () => {
  expect(jsonDiff({ a: 1, b: { c: [1, 2] }, d: "x" }, { a: 2, b: { c: [1, 3] }, e: true })).toEqual([
    { path: "a", op: "change", before: 1, after: 2 },
    { path: "b.c[1]", op: "change", before: 2, after: 3 },
    { path: "d", op: "remove", before: "x" },
    { path: "e", op: "add", after: true },
  ]);
  expect(jsonDiff([1], [1, 2])).toEqual([{ path: "", op: "change", before: [1], after: [1, 2] }]);
});

describe("safe replace", () => {
  // the deployed k8s-gcr-deprecation had 'message' as an Array: changing it to String is rejected by ARM
  const retyped = () => {
    const current = structuredClone(stored);
    const params = current.definitions[1]?.properties.parameters as Record<string, Record<string, unknown>>;
    if (params.message) params.message.type = "Array";
    return current;
  };

  it("without --allow-replace, stays blocked and says what replacing would do", () => {
    const plan = planDeployment(desired, retyped(), "s");
    expect(plan.items[1]?.action).toBe("blocked");
    expect(plan.items[1]?.blocked).toContain("with --allow-replace: create the definition as k8s-gcr-deprecation-v2, move this owner's assignments to it, then delete k8s-gcr-deprecation");
  });

  it("with --allow-replace: creates <name>-v2, moves the assignment to it, deletes the old definition last", () => {
    const plan = planDeployment(desired, retyped(), "s", { owner: "default", prune: false, allowReplace: true });
    expect(plan.items.map((i) => `${i.action} ${i.kind} ${i.name}`)).toEqual([
      "unchanged definition allowed-registries",
      "create definition k8s-gcr-deprecation-v2",
      "unchanged assignment allowed-registries",
      "update assignment k8s-gcr-deprecation",
      "delete definition k8s-gcr-deprecation",
    ]);
    expect(plan.items[3]?.changes).toEqual([{ path: "policyDefinitionId", op: "change", before: `/subscriptions/${SUB}/providers/Microsoft.Authorization/policyDefinitions/k8s-gcr-deprecation`, after: `/subscriptions/${SUB}/providers/Microsoft.Authorization/policyDefinitions/k8s-gcr-deprecation-v2` }]);
  });

  it("later runs keep the newest version, so the name does not flip back", () => {
    const current = structuredClone(stored);
    const v2 = current.definitions[1];
    if (v2) {
      v2.id = `${v2.id}-v2`;
      v2.name = `${v2.name}-v2`;
    }
    const a = current.assignments[1];
    if (a) a.properties.policyDefinitionId = v2?.id;
    const plan = planDeployment(desired, current, "s");
    expect(plan.counts).toEqual({ create: 0, update: 0, unchanged: 4, blocked: 0, delete: 0 });
    expect(plan.items[1]?.name).toBe("k8s-gcr-deprecation-v2");
  });
});

describe("a definition with its own version (versioned: true)", () => {
  const fixture = join(root, "test", "fixtures", "definitions", "builtin-shapes", "definition.yaml");
  const versioned = buildDefinitions([loadDefinitionInput(fixture, readAnywhere(root))], []).models;
  const want = desiredState(versioned, scope, () => ({}), "Default");
  const current = { definitions: want.definitions.map((d) => asStored(d.id, d.properties)), assignments: want.assignments.map((a) => asStored(a.id, a.properties)) };

  it("sends properties.version, and is unchanged when ARM holds it", () => {
    expect(want.definitions[0]?.properties.version).toBe("1.2.0-preview");
    expect(planDeployment(want, current, "subscription x").counts).toMatchObject({ update: 0, unchanged: 2 });
  });

  it("updates when ARM holds another version", () => {
    const other = structuredClone(current);
    if (other.definitions[0]) other.definitions[0].properties.version = "1.1.0";
    const plan = planDeployment(want, other, "subscription x");
    expect(plan.items[0]?.changes).toEqual([{ path: "version", op: "change", before: "1.1.0", after: "1.2.0-preview" }]);
  });
});
