// Many assignments: the real Resource Graph SDK against the fake ARM sends one paged query per chunk
// of assignment ids (each query within MAX_QUERY_CHARS), and the summaries are the same as one
// query over all of them would give (the fake's Policy Insights data is the truth for both).
import type { TokenCredential } from "@azure/core-auth";
import { afterAll, beforeAll, expect, it } from "vitest";
import { assignmentChunks } from "../../src/compliance/estate-compliance.js";
import { resourceGraphPort } from "../../src/compliance/resource-graph-port.js";
import { networkPolicy } from "../../src/net/network-policy.js";
import { FakeArm } from "../fake-arm/server.js";

const SUBS = ["11111111-1111-1111-1111-111111111111", "22222222-2222-2222-2222-222222222222"];
const MG = "/providers/Microsoft.Management/managementGroups/platform";
const credential: TokenCredential = { getToken: () => Promise.resolve({ token: "t0k", expiresOnTimestamp: Date.now() + 3_600_000 }) };
const arm = new FakeArm({ subscriptions: SUBS, managementGroups: { platform: SUBS } });
beforeAll(async () => {
  await arm.start();
});
afterAll(async () => {
  await arm.stop();
});

it("300 assignments: one paged query per chunk, every query within the limit, the same summaries", async () => {
  const ids = Array.from({ length: 300 }, (_, i) => `${MG}/providers/Microsoft.Authorization/policyAssignments/estate-assignment-${String(i).padStart(3, "0")}`);
  ids.forEach((id, i) => arm.compliance.set(id.toLowerCase(), { resources: [{ complianceState: i % 3 === 0 ? "noncompliant" : "compliant", count: 1 + (i % 4) }], components: [] }));
  const port = resourceGraphPort({ credential, endpoint: arm.endpoint, extraCa: arm.cert, network: networkPolicy({}), maxRetries: 0 });
  const got = await port.summarizeAssignments({ kind: "managementGroup", managementGroupId: "platform", id: MG }, ids);
  const graph = arm.requests.filter((r) => r.path === "/providers/Microsoft.ResourceGraph/resources");
  const chunks = assignmentChunks(ids);
  expect(chunks.length).toBeGreaterThan(1);
  // 750 states in all, fewer than 1,000 per chunk: one page per chunk
  expect(graph.map((r) => r.status)).toEqual(chunks.map(() => 200));
  expect(got.size).toBe(300);
  for (const [i, id] of ids.entries()) {
    const count = 1 + (i % 4);
    const state = i % 3 === 0 ? "noncompliant" : "compliant";
    expect(got.get(id.toLowerCase())).toEqual({ nonCompliantResources: state === "noncompliant" ? count : 0, resources: [{ complianceState: state, count }] });
  }
});
