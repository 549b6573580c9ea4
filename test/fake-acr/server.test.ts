// The fake ACR management API against the real @azure/arm-containerregistry client: the operations
// azpol's adapter does not call (get, delete, credential sets) behave as SPEC.md says too.
import { request } from "node:https";
import { rootCertificates } from "node:tls";
import { ContainerRegistryManagementClient } from "@azure/arm-containerregistry";
import { afterAll, beforeAll, expect, it } from "vitest";
import { FakeAcr } from "./server.js";

const SUB = "00000000-0000-0000-0000-0000000000bb";
const acr = new FakeAcr({ subscription: SUB, resourceGroup: "rg", name: "myacr", location: "westeurope" });
let client: ContainerRegistryManagementClient;
const credential = { getToken: () => Promise.resolve({ token: "t", expiresOnTimestamp: Date.now() + 3_600_000 }) };

beforeAll(async () => {
  await acr.start();
  client = new ContainerRegistryManagementClient(credential, SUB, { endpoint: acr.endpoint, tlsOptions: { ca: [...rootCertificates, acr.cert] }, retryOptions: { maxRetries: 0 } });
});
afterAll(() => acr.stop());

it("creates, gets, lists and deletes a cache rule through its long-running operations", async () => {
  const made = await client.cacheRules.create("rg", "myacr", "rule-one", { sourceRepository: "docker.io/library/hello-world", targetRepository: "hello-world" }, { updateIntervalInMs: 1 });
  expect(made.provisioningState).toBe("Succeeded");
  expect((await client.cacheRules.get("rg", "myacr", "rule-one")).sourceRepository).toBe("docker.io/library/hello-world");
  const listed = [];
  for await (const r of client.cacheRules.list("rg", "myacr")) listed.push(r.name);
  expect(listed).toEqual(["rule-one"]);
  await client.cacheRules.delete("rg", "myacr", "rule-one", { updateIntervalInMs: 1 });
  await expect(client.cacheRules.get("rg", "myacr", "rule-one")).rejects.toMatchObject({ statusCode: 404, code: "ResourceNotFound" });
});

it("refuses a bad rule name and a second rule for the same target in ARM's error shape", async () => {
  await expect(client.cacheRules.create("rg", "myacr", "x", { sourceRepository: "a/*", targetRepository: "a/*" }, { updateIntervalInMs: 1 })).rejects.toMatchObject({ statusCode: 400, code: "InvalidParameter" });
  await client.cacheRules.create("rg", "myacr", "rule-a", { sourceRepository: "quay.io/*", targetRepository: "quay.io/*" }, { updateIntervalInMs: 1 });
  await expect(client.cacheRules.create("rg", "myacr", "rule-b", { sourceRepository: "quay.io/*", targetRepository: "quay.io/*" }, { updateIntervalInMs: 1 })).rejects.toMatchObject({ statusCode: 409, code: "Conflict" });
});

it("serves credential sets (get and list)", async () => {
  acr.credentialSets.set("dockerhub", { name: "dockerhub", loginServer: "docker.io" });
  expect((await client.credentialSets.get("rg", "myacr", "dockerhub")).loginServer).toBe("docker.io");
  const listed = [];
  for await (const c of client.credentialSets.list("rg", "myacr")) listed.push(c.loginServer);
  expect(listed).toEqual(["docker.io"]);
  await expect(client.credentialSets.get("rg", "myacr", "none")).rejects.toMatchObject({ statusCode: 404 });
});

it("creates a credential set through its long-running operation, with a system-assigned identity, and refuses secrets that are not Key Vault secret ids", async () => {
  const authCredentials = [{ name: "Credential1" as const, usernameSecretIdentifier: "https://kv.vault.azure.net/secrets/user", passwordSecretIdentifier: "https://kv.vault.azure.net/secrets/pat" }];
  const made = await client.credentialSets.create("rg", "myacr", "azpol-quay-io", { loginServer: "quay.io", authCredentials, identity: { type: "SystemAssigned" } }, { updateIntervalInMs: 1 });
  expect(made.provisioningState).toBe("Succeeded");
  expect(made.identity?.principalId).toMatch(/^[0-9a-f-]{36}$/);
  expect(acr.credentialSets.get("azpol-quay-io")?.loginServer).toBe("quay.io");
  expect(acr.requests.some((r) => /\/credentialSets\/azpol-quay-io\/operationStatuses\//.test(r.path))).toBe(true);
  const bad = [{ ...authCredentials[0]!, passwordSecretIdentifier: "plain-password" }];
  await expect(client.credentialSets.create("rg", "myacr", "azpol-ghcr-io", { loginServer: "ghcr.io", authCredentials: bad, identity: { type: "SystemAssigned" } }, { updateIntervalInMs: 1 })).rejects.toMatchObject({ statusCode: 400, code: "InvalidParameter" });
});

it("answers another api-version and a missing token as ARM does", async () => {
  const old = new ContainerRegistryManagementClient(credential, SUB, { endpoint: acr.endpoint, tlsOptions: { ca: [...rootCertificates, acr.cert] }, apiVersion: "2023-07-01", retryOptions: { maxRetries: 0 } });
  await expect(old.cacheRules.get("rg", "myacr", "rule-a")).rejects.toMatchObject({ statusCode: 400, code: "InvalidApiVersionParameter" });
  const anonymous = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(`${acr.endpoint}/subscriptions/${SUB}/providers/Microsoft.ContainerRegistry/registries?api-version=2025-11-01`, { ca: acr.cert }, (res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += String(c)));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
  expect(anonymous.status).toBe(401);
  expect(JSON.parse(anonymous.body)).toMatchObject({ error: { code: "AuthenticationFailed" } });
});

/** one raw HTTPS request to the fake (the data plane is plain HTTP: no SDK) */
function raw(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${acr.endpoint}${path}`, { method, ca: acr.cert, headers }, (res) => {
      let text = "";
      res.on("data", (c: Buffer) => (text += String(c)));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

it("serves the data plane: the Bearer challenge, ACR's token exchange, manifest HEAD by tag and digest", async () => {
  const challenge = await raw("GET", "/v2/");
  expect(challenge.status).toBe(401);
  expect(challenge.headers["www-authenticate"]).toBe(`Bearer realm="${acr.endpoint}/oauth2/token",service="myacr.azurecr.io"`);
  const form = { "content-type": "application/x-www-form-urlencoded" };
  const exchanged = await raw("POST", "/oauth2/exchange", form, new URLSearchParams({ grant_type: "access_token", service: "myacr.azurecr.io", access_token: "aad" }).toString());
  const refresh = (JSON.parse(exchanged.body) as { refresh_token: string }).refresh_token;
  expect(refresh).toMatch(/^acr-refresh-/);
  const pull = async (repo: string) => (JSON.parse((await raw("POST", "/oauth2/token", form, new URLSearchParams({ grant_type: "refresh_token", service: "myacr.azurecr.io", scope: `repository:${repo}:pull`, refresh_token: refresh }).toString())).body) as { access_token: string }).access_token;
  const token = await pull("registry.k8s.io/pause");
  const digest = `sha256:${"ab".repeat(32)}`;
  const head = (ref: string, bearer = token) => raw("HEAD", `/v2/registry.k8s.io/pause/manifests/${ref}`, { authorization: `Bearer ${bearer}` });
  expect((await head("3.9")).status).toBe(404);
  acr.artifacts.add("registry.k8s.io/pause:3.9");
  acr.artifacts.add(`registry.k8s.io/pause@${digest}`);
  expect((await head("3.9")).status).toBe(200);
  expect((await head(digest)).headers["docker-content-digest"]).toBe(digest);
  // a token for another repository, and none: 401 with the challenge naming the scope needed
  const other = await head("3.9", await pull("docker.io/library/nginx"));
  expect(other.status).toBe(401);
  expect(other.headers["www-authenticate"]).toContain('scope="repository:registry.k8s.io/pause:pull",error="insufficient_scope"');
  expect((await raw("HEAD", "/v2/registry.k8s.io/pause/manifests/3.9")).status).toBe(401);
  // a refresh token it did not issue
  expect((await raw("POST", "/oauth2/token", form, new URLSearchParams({ grant_type: "refresh_token", service: "myacr.azurecr.io", scope: "repository:a:pull", refresh_token: "forged" }).toString())).status).toBe(401);
});
