// Tests of the fake's Resource Graph route itself (raw HTTPS), so the compliance e2e can trust it:
// azpol's query shape only, scope by management group / subscription, $skipToken paging bound to
// its query, quota headers and 429 with Retry-After (SPEC.md, "Resource Graph").
import { request } from "node:https";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { policyStatesQuery } from "../../src/compliance/estate-compliance.js";
import { FakeArm } from "./server.js";

const SUBS = ["00000000-0000-0000-0000-000000000001", "00000000-0000-0000-0000-000000000002", "00000000-0000-0000-0000-000000000003"];
const arm = new FakeArm({ subscriptions: SUBS, managementGroups: { platform: [SUBS[0] ?? "", SUBS[1] ?? ""], other: [SUBS[2] ?? ""] }, resourceGraphPageSize: 2 });
const PATH = "/providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01";
const A1 = `/subscriptions/${SUBS[0]}/providers/microsoft.authorization/policyassignments/a1`;
const A3 = `/subscriptions/${SUBS[2]}/providers/microsoft.authorization/policyassignments/a3`;
beforeAll(() => arm.start());
afterAll(() => arm.stop());
beforeEach(() => {
  arm.reset();
  arm.options.resourceGraphQuota = undefined;
  arm.compliance.set(A1, { resources: [{ complianceState: "noncompliant", count: 2 }, { complianceState: "compliant", count: 1 }], components: [] });
  arm.compliance.set(A3, { resources: [{ complianceState: "compliant", count: 1 }], components: [] });
});

type Body = { totalRecords?: number; count?: number; resultTruncated?: string; $skipToken?: string; data?: { assignmentId: string; complianceState: string }[]; error?: { code: string; details?: { code: string }[] } };
function post(body: unknown): Promise<{ status: number; body: Body; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(arm.endpoint + PATH), { method: "POST", ca: arm.cert, headers: { "content-type": "application/json", authorization: "Bearer t" } }, (res) => {
      let text = "";
      res.on("data", (c: Buffer) => (text += c.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Body, headers: res.headers }));
    });
    req.on("error", reject);
    req.end(JSON.stringify(body));
  });
}

describe("fake Resource Graph", () => {
  it("pages azpol's query with $skipToken and counts totalRecords; rows carry the policy state's casing", async () => {
    const query = policyStatesQuery([A1, A3]);
    const first = await post({ query, managementGroups: ["platform"], options: { resultFormat: "objectArray" } });
    expect(first).toMatchObject({ status: 200, body: { totalRecords: 3, count: 2, resultTruncated: "false" } });
    expect(first.headers["x-ms-user-quota-remaining"]).toBeDefined();
    const second = await post({ query, managementGroups: ["platform"], options: { $skipToken: first.body.$skipToken } });
    expect(second.body).toMatchObject({ totalRecords: 3, count: 1 });
    expect(second.body.$skipToken).toBeUndefined();
    const states = [...(first.body.data ?? []), ...(second.body.data ?? [])].map((r) => r.complianceState).sort();
    expect(states).toEqual(["Compliant", "NonCompliant", "NonCompliant"]);
    // a token is bound to its query and scope
    expect((await post({ query, managementGroups: ["other"], options: { $skipToken: first.body.$skipToken } })).body.error?.details?.[0]?.code).toBe("InvalidSkipToken");
  });

  it("scopes rows to the management group's or the named subscriptions", async () => {
    const query = policyStatesQuery([A1, A3]);
    expect((await post({ query, managementGroups: ["other"] })).body.totalRecords).toBe(1);
    expect((await post({ query, subscriptions: [SUBS[0]] })).body.totalRecords).toBe(3);
    expect((await post({ query })).body.totalRecords).toBe(4);
    expect((await post({ query, managementGroups: ["nope"] })).body.error?.details?.[0]?.code).toBe("InvalidManagementGroup");
  });

  it("refuses any other query with the service's 400 body", async () => {
    const r = await post({ query: "Resources | project id", subscriptions: [SUBS[0]] });
    expect(r.status).toBe(400);
    expect(r.body.error?.code).toBe("BadRequest");
    expect(r.body.error?.details?.[0]?.code).toBe("InvalidQuery");
  });

  it("throttles past the quota: 429, Retry-After, x-ms-user-quota-remaining 0", async () => {
    arm.options.resourceGraphQuota = 1;
    const query = policyStatesQuery([A1]);
    expect((await post({ query })).status).toBe(200);
    const throttled = await post({ query });
    expect(throttled.status).toBe(429);
    expect(throttled.body.error?.code).toBe("RateLimiting");
    expect(throttled.headers["retry-after"]).toBe("1");
    expect(throttled.headers["x-ms-user-quota-remaining"]).toBe("0");
    expect((await post({ query })).status).toBe(200);
  });
});
