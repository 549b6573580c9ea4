// azpol status --compliance at a management group: one Azure Resource Graph query per page
// (the real @azure/arm-resourcegraph client against the fake ARM, test/fake-arm/SPEC.md
// "Resource Graph"), the same summary Policy Insights gives per assignment on the same data,
// throttling retried, and a refused query said cleanly.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { policyInsightsPort } from "../../src/compliance/policy-insights-port.js";
import { complianceRow } from "../../src/compliance/assignment-compliance.js";
import { networkPolicy } from "../../src/net/network-policy.js";
import { FakeArm } from "../fake-arm/server.js";
import { writeFakeAz } from "../support/fake-az.js";
import { azpolAsync } from "../support/cli.js";
import { matchesCliSchema } from "../support/cli-schemas.js";

const root = join(import.meta.dirname, "..", "..");
const SUBS = ["a1111111-1111-1111-1111-111111111111", "a2222222-2222-2222-2222-222222222222", "a3333333-3333-3333-3333-333333333333"];
// pages of 2 rows: 9 policy states are 5 pages
const arm = new FakeArm({ subscriptions: SUBS, managementGroups: { platform: SUBS }, resourceGraphPageSize: 2 });
const work = mkdtempSync(join(tmpdir(), "azpol-graph-"));
const project = join(work, "project");
const env = () => ({ PATH: `${join(work, "bin")}:${process.env.PATH ?? ""}`, AZURE_TOKEN_CREDENTIALS: "AzureCliCredential", AZURE_SUBSCRIPTION_ID: SUBS[0], AZPOL_ARM_ENDPOINT: arm.endpoint, AZPOL_ARM_CA_FILE: join(work, "ca.pem") });
const MG = "/providers/Microsoft.Management/managementGroups/platform/providers/Microsoft.Authorization/policyAssignments";
const graphCalls = () => arm.requests.filter((r) => r.path === "/providers/Microsoft.ResourceGraph/resources");
type Doc = { assignments: { name: string; id: string; compliance: ReturnType<typeof complianceRow> }[] };

beforeAll(async () => {
  await arm.start();
  writeFakeAz(join(work, "bin"), SUBS[0] ?? "");
  writeFileSync(join(work, "ca.pem"), arm.cert);
  cpSync(join(root, "definitions"), join(project, "definitions"), { recursive: true });
  cpSync(join(root, "constraint-templates"), join(project, "constraint-templates"), { recursive: true });
  const deploy = await azpolAsync(["deploy", "--scope", "mg:platform", "--yes"], { cwd: project, env: env() });
  expect(deploy.status, deploy.stderr).toBe(0);
  arm.compliance.set(`${MG}/k8s-gcr-deprecation`.toLowerCase(), { resources: [{ complianceState: "noncompliant", count: 4 }, { complianceState: "compliant", count: 3 }], components: [] });
  arm.compliance.set(`${MG}/allowed-registries`.toLowerCase(), { resources: [{ complianceState: "compliant", count: 2 }], components: [] });
});
afterAll(async () => {
  await arm.stop();
  rmSync(work, { recursive: true, force: true });
});

describe("status --compliance over a management group (Resource Graph)", () => {
  it("asks one query per page, no call per scope, and agrees with Policy Insights per assignment", async () => {
    arm.requests.length = 0;
    const run = await azpolAsync(["status", "--scope", "mg:platform", "--compliance", "--json"], { cwd: project, env: env() });
    expect(run.status, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout) as Doc;
    matchesCliSchema("status", doc);
    const calls = graphCalls();
    expect(calls.length).toBe(5);
    expect(calls.every((c) => c.method === "POST" && c.status === 200 && c.authorization && c.query === "api-version=2024-04-01")).toBe(true);
    expect(arm.requests.filter((r) => r.path.includes("Microsoft.PolicyInsights"))).toEqual([]);
    const gcr = doc.assignments.find((a) => a.name === "k8s-gcr-deprecation");
    expect(gcr?.compliance).toEqual({ clusters: { noncompliant: 4, compliant: 3 }, nonCompliantClusters: 4 });
    // the per-assignment Policy Insights path (the product's port) on the same fake data
    const insights = policyInsightsPort({ credential: { getToken: () => Promise.resolve({ token: "t0k", expiresOnTimestamp: Date.now() + 3_600_000 }) }, subscriptionId: SUBS[0], endpoint: arm.endpoint, extraCa: arm.cert, network: networkPolicy({}) });
    expect(doc.assignments.length).toBeGreaterThanOrEqual(2);
    for (const a of doc.assignments) {
      const viaInsights = complianceRow(await insights.summarize({ kind: "managementGroup", managementGroupId: "platform", id: "/providers/Microsoft.Management/managementGroups/platform" }, a.name, a.id), undefined);
      expect(a.compliance, a.name).toEqual(viaInsights);
    }
    const text = await azpolAsync(["status", "--scope", "mg:platform", "--compliance"], { cwd: project, env: env() });
    expect(text.stdout).toContain("clusters: 4 noncompliant, 3 compliant");
  });

  it("retries a throttled query (429, Retry-After, x-ms-user-quota-remaining 0) and gives the same answer", async () => {
    arm.requests.length = 0;
    arm.options.resourceGraphQuota = 2;
    try {
      const run = await azpolAsync(["status", "--scope", "mg:platform", "--compliance", "--json"], { cwd: project, env: env() });
      expect(run.status, run.stderr).toBe(0);
      const statuses = graphCalls().map((c) => c.status);
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
      expect(statuses.filter((s) => s === 200).length).toBe(5);
      const doc = JSON.parse(run.stdout) as Doc;
      expect(doc.assignments.find((a) => a.name === "k8s-gcr-deprecation")?.compliance).toEqual({ clusters: { noncompliant: 4, compliant: 3 }, nonCompliantClusters: 4 });
    } finally {
      arm.options.resourceGraphQuota = undefined;
    }
  });

  it("an error from Resource Graph is one clean line: code and message, exit 3, no stack, no token", async () => {
    arm.fault({ path: /ResourceGraph/, status: 403, code: "AuthorizationFailed", message: "The client does not have authorization to perform action 'Microsoft.ResourceGraph/resources/read'." });
    const run = await azpolAsync(["status", "--scope", "mg:platform", "--compliance"], { cwd: project, env: env() });
    expect(run.status).toBe(3);
    expect(run.stderr).toContain("does not have authorization");
    expect(run.stderr).toContain("querying Resource Graph for compliance at /providers/Microsoft.Management/managementGroups/platform");
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(`${run.stdout}${run.stderr}`).not.toContain("t0k");
  });
});
