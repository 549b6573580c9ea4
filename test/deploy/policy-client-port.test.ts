// The real @azure/arm-policy PolicyClient, through azpol's ArmPort adapter, against the
// local HTTPS fake ARM: success paths at every scope, ARM errors, throttling and retries.
import type { TokenCredential } from "@azure/core-auth";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { policyClientPort } from "../../src/deploy/policy-client-port.js";
import { parseScope } from "../../src/deploy/scope.js";
import { AzureError } from "../../src/errors.js";
import { networkPolicy } from "../../src/net/network-policy.js";
import { FakeArm } from "../fake-arm/server.js";

const SUB = "00000000-0000-0000-0000-000000000001";
const arm = new FakeArm({ subscriptions: [SUB], managementGroups: { platform: [SUB] }, resourceGroups: { [SUB]: ["rg-demo"] } });
const tokens: string[][] = [];
const credential: TokenCredential = {
  getToken: (scopes) => {
    tokens.push([scopes].flat());
    return Promise.resolve({ token: "fake-token", expiresOnTimestamp: Date.now() + 3_600_000 });
  },
};
const retries: number[] = [];
let port: ReturnType<typeof policyClientPort>;

beforeAll(async () => {
  await arm.start();
  port = policyClientPort({ credential, subscriptionId: SUB, endpoint: arm.endpoint, extraCa: arm.cert, maxRetries: 2, retryDelayMs: 5, network: networkPolicy({}), onRetry: ({ status }) => retries.push(status) });
});
afterAll(() => arm.stop());
beforeEach(() => {
  arm.reset();
  retries.length = 0;
});

const sub = { subscriptionId: SUB };
const rg = parseScope("rg-demo", SUB);
const mgScope = parseScope("mg:platform", undefined);
const props = {
  displayName: "d",
  description: "d",
  mode: "Microsoft.Kubernetes.Data",
  metadata: { category: "Kubernetes", version: "1.0.0" },
  parameters: { effect: { type: "String", allowedValues: ["Audit", "Deny", "Disabled"], defaultValue: "Audit", metadata: { displayName: "Effect", description: "" } } },
  policyRule: { if: { field: "type", in: ["Microsoft.ContainerService/managedClusters"] }, then: { effect: "[parameters('effect')]", details: { kinds: ["Pod"] } } },
};
const defId = `/subscriptions/${SUB}/providers/Microsoft.Authorization/policyDefinitions/k8s-x`;

describe("success paths", () => {
  it("creates, reads and updates a definition at a subscription (201 on both PUTs)", async () => {
    expect(await port.getDefinition(sub, "k8s-x")).toBeUndefined();
    const created = await port.putDefinition(sub, "k8s-x", props);
    expect(created).toMatchObject({ id: defId, name: "k8s-x", properties: { mode: "Microsoft.Kubernetes.Data", policyRule: props.policyRule } });
    await port.putDefinition(sub, "k8s-x", { ...props, displayName: "changed" });
    expect((await port.getDefinition(sub, "k8s-x"))?.properties.displayName).toBe("changed");
    expect(arm.get(defId)?.properties.policyType).toBe("Custom");
    expect(tokens.at(-1)).toEqual([`${arm.endpoint}/.default`]);
  });

  it("assigns at a resource group without a double slash, and lists at the exact scope", async () => {
    await port.putDefinition(sub, "k8s-x", props);
    await port.putAssignment(rg, "k8s-x", { policyDefinitionId: defId, parameters: { effect: { value: "Deny" } }, enforcementMode: "DoNotEnforce", metadata: { managedBy: "azpol" } });
    const got = await port.getAssignment(rg, "k8s-x");
    expect(got?.properties).toMatchObject({ scope: `/subscriptions/${SUB}/resourceGroups/rg-demo`, enforcementMode: "DoNotEnforce", parameters: { effect: { value: "Deny" } } });
    expect(arm.requests.every((r) => !r.path.startsWith("//"))).toBe(true);
    expect((await port.listAssignments(rg)).map((a) => a.name)).toEqual(["k8s-x"]);
    expect(await port.listAssignments(parseScope(`/subscriptions/${SUB}`, undefined))).toEqual([]);
  });

  it("works at management group scope", async () => {
    await port.putDefinition({ managementGroupId: "platform" }, "k8s-x", props);
    const id = "/providers/Microsoft.Management/managementGroups/platform/providers/Microsoft.Authorization/policyDefinitions/k8s-x";
    await port.putAssignment(mgScope, "k8s-x", { policyDefinitionId: id });
    expect((await port.getDefinition({ managementGroupId: "platform" }, "k8s-x"))?.id).toBe(id);
    expect((await port.listAssignments(mgScope)).map((a) => a.id)).toEqual([`${mgScope.id}/providers/Microsoft.Authorization/policyAssignments/k8s-x`]);
  });

  it("follows nextLink paging", async () => {
    arm.options = { ...arm.options, pageSize: 2 };
    await port.putDefinition(sub, "k8s-x", props);
    for (const n of ["a", "b", "c", "d", "e"]) await port.putAssignment(rg, n, { policyDefinitionId: defId });
    expect((await port.listAssignments(rg)).map((a) => a.name).sort()).toEqual(["a", "b", "c", "d", "e"]);
    arm.options = { ...arm.options, pageSize: 100 };
  });
});

describe("ARM errors", () => {
  const failure = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (e) {
      return e as AzureError;
    }
    throw new Error("expected a failure");
  };

  it("keeps ARM's code, message, status and request id", async () => {
    const e = await failure(port.putAssignment(rg, "x", { policyDefinitionId: defId }));
    expect(e).toBeInstanceOf(AzureError);
    expect(e).toMatchObject({ code: "PolicyDefinitionNotFound", statusCode: 404, exitCode: 3 });
    expect(e.message).toMatch(/^writing assignment x: The policy assignment create request is invalid/);
    expect(e.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("reports AuthorizationFailed (403) without retrying", async () => {
    arm.fault({ method: "PUT", status: 403, code: "AuthorizationFailed", message: `The client 'x' does not have authorization to perform action 'Microsoft.Authorization/policyDefinitions/write' over scope '/subscriptions/${SUB}'.` });
    const e = await failure(port.putDefinition(sub, "k8s-x", props));
    expect(e).toMatchObject({ code: "AuthorizationFailed", statusCode: 403 });
    expect(arm.requests.filter((r) => r.method === "PUT")).toHaveLength(1);
  });

  it("passes InvalidPolicyParameters and InvalidPolicyParameterUpdate through", async () => {
    await port.putDefinition(sub, "k8s-x", props);
    expect(await failure(port.putAssignment(rg, "a", { policyDefinitionId: defId, parameters: { effect: { value: 1 } } }))).toMatchObject({ code: "InvalidPolicyParameters", statusCode: 400 });
    expect(await failure(port.putDefinition(sub, "k8s-x", { ...props, parameters: {}, policyRule: { if: {}, then: { effect: "audit" } } }))).toMatchObject({ code: "InvalidPolicyParameterUpdate" });
  });
});

describe("throttling and transient failures", () => {
  it("retries 429 with Retry-After, and 500/503, then succeeds", async () => {
    arm.fault({ method: "PUT", status: 429, code: "SubscriptionRequestsThrottled", retryAfter: "0" });
    arm.fault({ method: "PUT", status: 503, code: "ServiceUnavailable" });
    await port.putDefinition(sub, "k8s-x", props);
    expect(retries).toEqual([429, 503]);
    expect(arm.requests.filter((r) => r.method === "PUT").map((r) => r.status)).toEqual([429, 503, 201]);
    arm.fault({ method: "GET", status: 500, code: "InternalServerError" });
    expect(await port.getDefinition(sub, "k8s-x")).toBeDefined();
  });

  it("retries a reset connection", async () => {
    arm.fault({ method: "PUT", kind: "reset", status: 0, code: "reset" });
    await port.putDefinition(sub, "k8s-x", props);
    expect(arm.get(defId)).toBeDefined();
  });

  it("gives up after the retry budget with the last ARM error", async () => {
    arm.fault({ method: "PUT", status: 429, code: "SubscriptionRequestsThrottled", retryAfter: "0", times: 5 });
    const e = await port.putDefinition(sub, "k8s-x", props).catch((x: unknown) => x as AzureError);
    expect(e).toMatchObject({ code: "SubscriptionRequestsThrottled", statusCode: 429 });
    expect(arm.requests.filter((r) => r.method === "PUT")).toHaveLength(3);
  });

  it("does not retry a 429 without Retry-After (the SDK's rule) and says so", async () => {
    arm.fault({ method: "PUT", status: 429, code: "TooManyRequests" });
    await expect(port.putDefinition(sub, "k8s-x", props)).rejects.toMatchObject({ code: "TooManyRequests" });
  });
});

describe("the network policy on every ARM request", () => {
  // a short request timeout: a Retry-After of 27 hours (or a day-ahead HTTP-date) must be cut to it
  const notices: string[] = [];
  const bounded = () => policyClientPort({ credential, subscriptionId: SUB, endpoint: arm.endpoint, extraCa: arm.cert, maxRetries: 2, network: networkPolicy({ requestTimeoutMs: 1500 }), onRetry: ({ wait }) => notices.push(wait ?? "") });
  beforeEach(() => {
    notices.length = 0;
  });

  it.each([["delay-seconds", "100000"], ["an HTTP-date a day ahead", new Date(Date.now() + 86_400_000).toUTCString()]])("caps Retry-After given as %s by the request timeout, says so, and succeeds", async (_label, retryAfter) => {
    arm.fault({ method: "PUT", status: 429, code: "SubscriptionRequestsThrottled", retryAfter });
    await bounded().putDefinition(sub, "k8s-x", props);
    expect(arm.get(defId)).toBeDefined();
    expect(notices).toEqual([expect.stringMatching(/asked to wait (27\.8|2[34]\.\d) h \(Retry-After\); waiting 2 s, capped by the request timeout/)]);
  });

  it("an ARM that accepts the request and never answers: a RequestTimeout, not a hang", async () => {
    arm.fault({ method: "GET", kind: "hang", status: 0, code: "hang", times: 10 });
    await expect(policyClientPort({ credential, subscriptionId: SUB, endpoint: arm.endpoint, extraCa: arm.cert, maxRetries: 0, network: networkPolicy({ requestTimeoutMs: 300 }) }).getDefinition(sub, "k8s-x")).rejects.toMatchObject({ code: "RequestTimeout" });
  });
});

describe("parameter metadata round trip", () => {
  it("keeps extra metadata keys (portalReview) on the wire and reads back plain ARM JSON", async () => {
    const withExtra = { ...props, parameters: { effect: { ...props.parameters.effect, metadata: { displayName: "Effect", description: "", portalReview: true } } } };
    await port.putDefinition(sub, "k8s-x", withExtra);
    expect((arm.get(defId)?.properties.parameters as Record<string, { metadata: unknown }>).effect?.metadata).toEqual({ displayName: "Effect", description: "", portalReview: true });
    expect((await port.getDefinition(sub, "k8s-x"))?.properties.parameters).toEqual(withExtra.parameters);
  });
});
