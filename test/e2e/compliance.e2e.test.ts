// azpol status --compliance: per azpol assignment, clusters by compliance state and the
// Kubernetes objects (components) from Policy Insights, read with the real
// @azure/arm-policyinsights client from the fake ARM (test/fake-arm/SPEC.md, "Policy Insights").
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeArm } from "../fake-arm/server.js";
import { writeFakeAz } from "../support/fake-az.js";
import { azpolAsync } from "../support/cli.js";
import { matchesCliSchema } from "../support/cli-schemas.js";

const root = join(import.meta.dirname, "..", "..");
const SUB = "77777777-7777-7777-7777-777777777777";
const arm = new FakeArm({ subscriptions: [SUB], resourceGroups: { [SUB]: ["rg-demo"] }, managementGroups: { platform: [SUB] } });
const work = mkdtempSync(join(tmpdir(), "azpol-compliance-"));
const project = join(work, "project");
const cluster = `/subscriptions/${SUB}/resourceGroups/rg-demo/providers/Microsoft.ContainerService/managedClusters/aks1`;
const env = () => ({ PATH: `${join(work, "bin")}:${process.env.PATH ?? ""}`, AZURE_TOKEN_CREDENTIALS: "AzureCliCredential", AZURE_SUBSCRIPTION_ID: SUB, AZPOL_ARM_ENDPOINT: arm.endpoint, AZPOL_ARM_CA_FILE: join(work, "ca.pem") });

beforeAll(async () => {
  await arm.start();
  writeFakeAz(join(work, "bin"), SUB);
  writeFileSync(join(work, "ca.pem"), arm.cert);
  cpSync(join(root, "definitions"), join(project, "definitions"), { recursive: true });
  cpSync(join(root, "constraint-templates"), join(project, "constraint-templates"), { recursive: true });
  expect((await azpolAsync(["deploy", "--scope", "rg-demo", "--yes"], { cwd: project, env: env() })).status).toBe(0);
  arm.compliance.set(`/subscriptions/${SUB}/resourceGroups/rg-demo/providers/Microsoft.Authorization/policyAssignments/k8s-gcr-deprecation`.toLowerCase(), {
    resources: [
      { complianceState: "noncompliant", count: 1 },
      { complianceState: "compliant", count: 2 },
    ],
    components: [
      { componentId: "shop/web-1", componentType: "Pod", componentName: "web-1", resourceId: cluster, complianceState: "NonCompliant" },
      { componentId: "shop/web-2", componentType: "Pod", componentName: "web-2", resourceId: cluster, complianceState: "Compliant" },
    ],
  });
});
afterAll(async () => {
  await arm.stop();
  rmSync(work, { recursive: true, force: true });
});

describe("azpol status --compliance", () => {
  it("reports clusters and Kubernetes objects per assignment, in text and --json", async () => {
    const run = await azpolAsync(["status", "--scope", "rg-demo", "--compliance", "--json"], { cwd: project, env: env() });
    expect(run.status, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout) as { assignments: { name: string; compliance: Record<string, unknown> }[] };
    matchesCliSchema("status", doc);
    const gcr = doc.assignments.find((a) => a.name === "k8s-gcr-deprecation");
    expect(gcr?.compliance).toEqual({
      clusters: { noncompliant: 1, compliant: 2 },
      nonCompliantClusters: 1,
      components: { NonCompliant: 1, Compliant: 1 },
      nonCompliantComponents: [{ componentId: "shop/web-1", componentType: "Pod", componentName: "web-1", resourceId: cluster, complianceState: "NonCompliant" }],
    });
    // an assignment with no reports yet is all zeros, not an error
    expect(doc.assignments.find((a) => a.name === "allowed-registries")?.compliance).toEqual({ clusters: {}, nonCompliantClusters: 0, components: {}, nonCompliantComponents: [] });
    const text = await azpolAsync(["status", "--scope", "rg-demo", "--compliance"], { cwd: project, env: env() });
    expect(text.stdout).toContain("clusters: 1 noncompliant, 2 compliant");
    expect(text.stdout).toContain("non-compliant Pod shop/web-1 (aks1)");
    expect(text.stdout).toContain("clusters: no data yet (the add-on reports every 15 minutes)");
    const calls = arm.requests.filter((r) => r.path.includes("Microsoft.PolicyInsights"));
    expect(calls.every((r) => r.method === "POST" && r.status === 200 && r.query.includes("api-version=2024-10-01") && r.authorization)).toBe(true);
  });

  it("at a management group: one Resource Graph query (compliance-graph.e2e.test.ts), and says component states are not reported there", async () => {
    expect((await azpolAsync(["deploy", "--scope", "mg:platform", "--yes"], { cwd: project, env: env() })).status).toBe(0);
    arm.requests.length = 0;
    const run = await azpolAsync(["status", "--scope", "mg:platform", "--compliance"], { cwd: project, env: env() });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain("kubernetes objects: not reported for management group assignments");
    expect(arm.requests.filter((r) => r.path === "/providers/Microsoft.ResourceGraph/resources").length).toBe(1);
    expect(arm.requests.some((r) => r.path.includes("Microsoft.PolicyInsights"))).toBe(false);
  });
});
