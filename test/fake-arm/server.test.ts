// Tests of the fake itself (raw HTTPS), so deploy tests can trust it behaves like ARM.
import { request } from "node:https";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CLIENT_ID, CLIENT_SECRET, IDENTITY_HEADER, TENANT } from "./client-endpoints.js";
import { FakeArm } from "./server.js";

const SUB = "00000000-0000-0000-0000-000000000001";
const arm = new FakeArm({ subscriptions: [SUB], managementGroups: { platform: [SUB] }, resourceGroups: { [SUB]: ["rg-demo"] } });
beforeAll(() => arm.start());
afterAll(() => arm.stop());
beforeEach(() => arm.reset());

function call(method: string, path: string, body?: unknown, auth = true): Promise<{ status: number; body: { error?: { code: string; message: string } } & Record<string, unknown>; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const url = new URL(arm.endpoint + path);
    const req = request(url, { method, ca: arm.cert, headers: { "content-type": "application/json", ...(auth ? { authorization: "Bearer t" } : {}) } }, (res) => {
      let text = "";
      res.on("data", (c: Buffer) => (text += c.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as never) : ({}), headers: res.headers }));
    });
    req.on("error", reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

const V = "?api-version=2025-03-01";
const DEF = `/subscriptions/${SUB}/providers/Microsoft.Authorization/policyDefinitions/d1`;
const definition = { properties: { mode: "All", parameters: { effect: { type: "String", allowedValues: ["Audit", "Deny"], defaultValue: "Audit" } }, policyRule: { if: { field: "type", equals: "x" }, then: { effect: "[parameters('effect')]" } } } };

describe("protocol", () => {
  it("401 without a bearer token, 400 without or with an unknown api-version", async () => {
    expect((await call("GET", DEF + V, undefined, false)).body.error?.code).toBe("AuthenticationFailed");
    expect((await call("GET", DEF)).body.error?.code).toBe("MissingApiVersionParameter");
    const bad = await call("GET", `${DEF}?api-version=2019-01-01`);
    expect(bad).toMatchObject({ status: 400, body: { error: { code: "InvalidApiVersionParameter" } } });
  });

  it("every error has a JSON body with code and message, and a request id header", async () => {
    const r = await call("GET", DEF + V);
    expect(r.status).toBe(404);
    expect(r.body.error).toEqual({ code: "PolicyDefinitionNotFound", message: "The policy definition 'd1' could not be found." });
    expect(r.headers["x-ms-request-id"]).toBeTruthy();
  });

  it("rejects a double slash, unknown subscriptions and resource groups", async () => {
    expect((await call("GET", `/${DEF}${V}`)).body.error?.code).toBe("InvalidRequestUri");
    expect((await call("GET", `/subscriptions/00000000-0000-0000-0000-000000000009/providers/Microsoft.Authorization/policyDefinitions/x${V}`)).body.error?.code).toBe("SubscriptionNotFound");
    expect((await call("GET", `/subscriptions/${SUB}/resourceGroups/nope/providers/Microsoft.Authorization/policyAssignments/x${V}`)).body.error?.code).toBe("ResourceGroupNotFound");
  });
});

describe("definitions and assignments", () => {
  it("PUT answers 201 on create and on update; the service stamps metadata", async () => {
    const created = await call("PUT", DEF + V, definition);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: DEF, name: "d1", properties: { policyType: "Custom", metadata: { createdBy: expect.any(String) as unknown } } });
    expect((await call("PUT", DEF + V, definition)).status).toBe(201);
  });

  it("rejects removing a parameter, changing its type, or an undeclared parameter in the rule", async () => {
    await call("PUT", DEF + V, definition);
    const removed = await call("PUT", DEF + V, { properties: { ...definition.properties, parameters: {}, policyRule: { if: {}, then: { effect: "audit" } } } });
    expect(removed.body.error?.code).toBe("InvalidPolicyParameterUpdate");
    const retyped = await call("PUT", DEF + V, { properties: { ...definition.properties, parameters: { effect: { type: "Array" } } } });
    expect(retyped.body.error?.code).toBe("InvalidPolicyParameterUpdate");
    const undeclared = await call("PUT", DEF.replace("d1", "d2") + V, { properties: { ...definition.properties, parameters: {} } });
    expect(undeclared.body.error).toMatchObject({ code: "InvalidPolicyRule", message: expect.stringContaining("undefined parameter 'effect'") as unknown });
  });

  it("checks assignments against their definition", async () => {
    const A = `/subscriptions/${SUB}/resourceGroups/rg-demo/providers/Microsoft.Authorization/policyAssignments/a1${V}`;
    expect((await call("PUT", A, { properties: { policyDefinitionId: DEF } })).body.error?.code).toBe("PolicyDefinitionNotFound");
    await call("PUT", DEF + V, definition);
    expect((await call("PUT", A, { properties: { policyDefinitionId: DEF, parameters: { efect: { value: "Deny" } } } })).body.error?.code).toBe("UndefinedPolicyParameter");
    expect((await call("PUT", A, { properties: { policyDefinitionId: DEF, parameters: { effect: { value: "deny" } } } })).body.error?.code).toBe("PolicyParameterValueNotAllowed");
    expect((await call("PUT", A, { properties: { policyDefinitionId: DEF, parameters: { effect: { value: ["Deny"] } } } })).body.error?.code).toBe("InvalidPolicyParameters");
    const ok = await call("PUT", A, { properties: { policyDefinitionId: DEF, parameters: { effect: { value: "Deny" } } } });
    expect(ok).toMatchObject({ status: 201, body: { properties: { scope: `/subscriptions/${SUB}/resourceGroups/rg-demo`, enforcementMode: "Default", notScopes: [] } } });
    expect((await call("DELETE", DEF + V)).body.error?.code).toBe("InvalidDeletePolicyDefinitionRequest");
  });

  it("lists with atExactScope() and pages with nextLink", async () => {
    arm.options = { ...arm.options, pageSize: 2 };
    await call("PUT", DEF + V, definition);
    for (const n of ["a", "b", "c"]) await call("PUT", `/subscriptions/${SUB}/providers/Microsoft.Authorization/policyAssignments/${n}${V}`, { properties: { policyDefinitionId: DEF } });
    const first = await call("GET", `/subscriptions/${SUB}/providers/Microsoft.Authorization/policyAssignments${V}&$filter=atExactScope()`);
    expect((first.body.value as unknown[]).length).toBe(2);
    expect(first.body.nextLink).toMatch(/\$skiptoken=2/);
    arm.options = { ...arm.options, pageSize: 100 };
  });
});

describe("fault injection", () => {
  it("answers injected faults with Retry-After, then recovers", async () => {
    arm.fault({ method: "GET", status: 429, code: "SubscriptionRequestsThrottled", retryAfter: "0", times: 1 });
    const throttled = await call("GET", DEF + V);
    expect(throttled).toMatchObject({ status: 429, body: { error: { code: "SubscriptionRequestsThrottled" } }, headers: { "retry-after": "0" } });
    expect((await call("GET", DEF + V)).status).toBe(404);
  });

  it("can reset the connection", async () => {
    arm.fault({ kind: "reset", status: 0, code: "reset" });
    await expect(call("GET", DEF + V)).rejects.toThrow(/socket hang up|ECONNRESET/);
  });
});

describe("endpoints for real clients (SPEC.md)", () => {
  it("serves cloud metadata without a token: every cloud for 2019-05-01 (azure-cli), this cloud for 2022-09-01 (go-azure-sdk)", async () => {
    const list = await call("GET", "/metadata/endpoints?api-version=2019-05-01", undefined, false);
    expect(list.status).toBe(200);
    const clouds = list.body as unknown as { name: string; resourceManager: string; authentication: { audiences: string[] } }[];
    expect(clouds.map((c) => [c.name, c.resourceManager, c.authentication.audiences[0]])).toEqual([["AzureCloud", `${arm.endpoint}/`, `${arm.endpoint}/`]]);
    const one = (await call("GET", "/metadata/endpoints?api-version=2022-09-01", undefined, false)).body as unknown as { name: string; resourceManager: string; microsoftGraphResourceId: string; authentication: Record<string, unknown> };
    expect(one).toMatchObject({ name: "AzureCloud", resourceManager: `${arm.endpoint}/`, microsoftGraphResourceId: `${arm.endpoint}/` });
    expect(one.authentication).toEqual({ loginEndpoint: arm.endpoint, audiences: [`${arm.endpoint}/`], tenant: "common", identityProvider: "AAD" });
  });

  it("issues client-credentials tokens for the known client id and secret only (Entra ID v2.0 shape)", async () => {
    const post = (tenant: string, form: Record<string, string>) =>
      new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
        const req = request(new URL(`${arm.endpoint}/${tenant}/oauth2/v2.0/token`), { method: "POST", ca: arm.cert, headers: { "content-type": "application/x-www-form-urlencoded" } }, (res) => {
          let text = "";
          res.on("data", (c: Buffer) => (text += c.toString()));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
        });
        req.on("error", reject);
        req.end(new URLSearchParams(form).toString());
      });
    const good = { grant_type: "client_credentials", client_id: CLIENT_ID, client_secret: CLIENT_SECRET, scope: `${arm.endpoint}/.default` };
    const ok = await post(TENANT, good);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ token_type: "Bearer", expires_in: 3599 });
    const claims = JSON.parse(Buffer.from(String(ok.body.access_token).split(".")[1] ?? "", "base64url").toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ aud: arm.endpoint, tid: TENANT, appid: CLIENT_ID });
    expect(typeof claims.oid).toBe("string");
    expect(await post(TENANT, { ...good, client_secret: "wrong" })).toMatchObject({ status: 401, body: { error: "invalid_client" } });
    expect(await post(TENANT, { ...good, client_id: "someone-else" })).toMatchObject({ status: 400, body: { error: "unauthorized_client" } });
    expect(await post("another-tenant", good)).toMatchObject({ status: 400, body: { error: "invalid_request" } });
    expect(await post(TENANT, { ...good, scope: arm.endpoint })).toMatchObject({ status: 400, body: { error: "invalid_scope" } });
    expect(await post(TENANT, { ...good, grant_type: "password" })).toMatchObject({ status: 400, body: { error: "unsupported_grant_type" } });
  });

  it("issues managed-identity tokens only with the identity header", async () => {
    expect((await call("GET", `/msi/token?api-version=2019-08-01&resource=${encodeURIComponent(arm.endpoint)}`, undefined, false)).status).toBe(401);
    const token = await new Promise<{ status: number; body: Record<string, string> }>((resolve, reject) => {
      const req = request(new URL(`${arm.endpoint}/msi/token?api-version=2019-08-01&resource=r`), { ca: arm.cert, headers: { "x-identity-header": IDENTITY_HEADER } }, (res) => {
        let text = "";
        res.on("data", (c: Buffer) => (text += c.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, string> }));
      });
      req.on("error", reject);
      req.end();
    });
    expect(token.status).toBe(200);
    expect(token.body).toMatchObject({ resource: "r", token_type: "Bearer" });
    const claims = JSON.parse(Buffer.from(token.body.access_token?.split(".")[1] ?? "", "base64url").toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ aud: "r", tid: TENANT });
  });

  it("lists and reads subscriptions and tenants", async () => {
    const subs = await call("GET", "/subscriptions?api-version=2022-12-01");
    expect((subs.body.value as { subscriptionId: string; state: string }[]).map((s) => [s.subscriptionId, s.state])).toEqual([[SUB, "Enabled"]]);
    expect((await call("GET", `/subscriptions/${SUB}?api-version=2022-12-01`)).body.tenantId).toBe(TENANT);
    expect((await call("GET", "/subscriptions/nope?api-version=2022-12-01")).body.error?.code).toBe("SubscriptionNotFound");
    expect((await call("GET", "/tenants?api-version=2022-12-01")).status).toBe(200);
    expect((await call("GET", "/subscriptions?api-version=2025-03-01")).body.error?.code).toBe("InvalidApiVersionParameter");
  });

  it("answers 404 for an unknown built-in definition, in every api-version a client uses", async () => {
    for (const v of ["2025-11-01", "2021-06-01", "2022-06-01", "2025-03-01"]) {
      const r = await call("GET", `/providers/Microsoft.Authorization/policyDefinitions/nope?api-version=${v}`);
      expect({ v, status: r.status, code: r.body.error?.code }).toEqual({ v, status: 404, code: "PolicyDefinitionNotFound" });
    }
    expect((await call("GET", "/providers/Microsoft.Authorization/policyDefinitions?api-version=2025-11-01")).body.value).toEqual([]);
  });
});

describe("initiatives and exemptions", () => {
  const SET = `/subscriptions/${SUB}/providers/Microsoft.Authorization/policySetDefinitions/s1`;
  const ASSIGN = `/subscriptions/${SUB}/resourceGroups/rg-demo/providers/Microsoft.Authorization/policyAssignments/a1`;
  const EXEMPT = `/subscriptions/${SUB}/resourceGroups/rg-demo/providers/Microsoft.Authorization/policyExemptions/e1`;
  const EV = "?api-version=2022-07-01-preview";
  const set = (refs: unknown[], parameters: Record<string, unknown> = { effect: { type: "String", defaultValue: "Audit" } }) => ({ properties: { displayName: "s", parameters, policyDefinitions: refs } });
  const ref = (extra: Record<string, unknown> = {}) => ({ policyDefinitionId: DEF, policyDefinitionReferenceId: "r1", parameters: { effect: { value: "[parameters('effect')]" } }, ...extra });

  it("a set answers 201 on create and 200 on update; its members must exist and take the parameters it passes", async () => {
    expect((await call("PUT", SET + V, set([ref()]))).body.error?.code).toBe("PolicyDefinitionNotFound");
    await call("PUT", DEF + V, definition);
    expect((await call("PUT", SET + V, set([ref({ parameters: { nope: { value: 1 } } })]))).body.error?.code).toBe("UndefinedPolicyParameter");
    expect((await call("PUT", SET + V, set([ref({ parameters: { effect: { value: "[parameters('other')]" } } })]))).body.error?.code).toBe("UndefinedPolicyParameter");
    expect((await call("PUT", SET + V, set([ref(), ref()]))).body.error?.code).toBe("InvalidPolicySetDefinitionRequest");
    expect((await call("PUT", SET + V, set([ref()]))).status).toBe(201);
    expect((await call("PUT", SET + V, set([ref()]))).status).toBe(200);
    expect((await call("PUT", SET + V, set([ref({ parameters: {} })], {}))).body.error?.code).toBe("InvalidPolicyParameterUpdate");
    expect((await call("PUT", `/subscriptions/${SUB}/resourceGroups/rg-demo/providers/Microsoft.Authorization/policySetDefinitions/s2${V}`, set([ref()]))).body.error?.code).toBe("InvalidPolicyUri");
  });

  it("deletes are refused while referenced: a definition by a set, a set by an assignment", async () => {
    await call("PUT", DEF + V, definition);
    await call("PUT", SET + V, set([ref()]));
    expect((await call("DELETE", DEF + V)).body.error?.message).toMatch(/referenced by the policy set definition 's1'/);
    expect((await call("PUT", ASSIGN + V, { properties: { policyDefinitionId: SET.replace("s1", "missing") } })).body.error?.code).toBe("PolicySetDefinitionNotFound");
    expect((await call("PUT", ASSIGN + V, { properties: { policyDefinitionId: SET } })).status).toBe(201);
    expect((await call("DELETE", SET + V)).body.error?.code).toBe("InvalidDeletePolicySetDefinitionRequest");
  });

  it("an exemption needs its assignment, a scope under it, reference ids of the assigned set, and the exemptions api-version", async () => {
    await call("PUT", DEF + V, definition);
    await call("PUT", SET + V, set([ref()]));
    await call("PUT", ASSIGN + V, { properties: { policyDefinitionId: SET } });
    const exemption = (extra: Record<string, unknown> = {}) => ({ properties: { policyAssignmentId: ASSIGN, exemptionCategory: "Waiver", ...extra } });
    expect((await call("PUT", EXEMPT + V, exemption())).body.error?.code).toBe("InvalidApiVersionParameter");
    expect((await call("PUT", EXEMPT + EV, exemption({ exemptionCategory: "Forever" }))).status).toBe(400);
    expect((await call("PUT", EXEMPT + EV, exemption({ policyAssignmentId: `${ASSIGN}x` }))).body.error?.code).toBe("PolicyAssignmentNotFound");
    expect((await call("PUT", EXEMPT + EV, exemption({ policyDefinitionReferenceIds: ["nope"] }))).body.error?.code).toBe("InvalidCreatePolicyExemptionRequest");
    expect((await call("PUT", `/subscriptions/${SUB}/providers/Microsoft.Authorization/policyExemptions/e2${EV}`, exemption())).body.error?.code).toBe("InvalidCreatePolicyExemptionRequest");
    expect((await call("PUT", EXEMPT + EV, exemption({ policyDefinitionReferenceIds: ["r1"], expiresOn: "2099-01-01T00:00:00Z" }))).status).toBe(201);
    const cluster = `/subscriptions/${SUB}/resourceGroups/rg-demo/providers/Microsoft.ContainerService/managedClusters/aks/providers/Microsoft.Authorization/policyExemptions/e3${EV}`;
    expect((await call("PUT", cluster, exemption())).status).toBe(201);
    const listed = await call("GET", `/subscriptions/${SUB}/providers/Microsoft.Authorization/policyExemptions${EV}`);
    expect((listed.body.value as { name: string }[]).map((e) => e.name).sort()).toEqual(["e1", "e3"]);
    expect((await call("DELETE", EXEMPT + EV)).status).toBe(200);
    expect((await call("DELETE", EXEMPT + EV)).status).toBe(204);
  });
});
