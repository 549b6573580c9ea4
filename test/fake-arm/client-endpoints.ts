// What real clients (azure-cli, the azurerm provider) ask ARM for besides the policy API, so they
// can run against the fake: cloud metadata, a managed-identity token endpoint, Entra ID's
// client-credentials token endpoint, subscriptions and tenants. Specified in SPEC.md ("Endpoints
// for real clients"), with sources.
import { randomUUID } from "node:crypto";

export const TENANT = "00000000-0000-0000-0000-0000000000aa";
/** The header value the managed-identity endpoint requires (App Service's X-IDENTITY-HEADER). */
export const IDENTITY_HEADER = "azpol-fake-identity-header";
/** The one service principal the token endpoint knows (client id and secret). */
export const CLIENT_ID = "00000000-0000-0000-0000-0000000c11e7";
export const CLIENT_SECRET = "azpol-fake-client-secret";

export interface ClientContext {
  endpoint: string;
  subscriptions: string[];
}

type Answer = [number, unknown];

const PRINCIPAL = "00000000-0000-0000-0000-00000000a11e";

/**
 * A token shaped like Entra ID's (header.claims.signature, base64url), unsigned: azure-cli reads
 * the tenant and object id from its claims (it decodes without verifying), the fake only checks
 * that a bearer token came.
 */
function fakeJwt(audience: string, expires: number, appid = PRINCIPAL): string {
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  const claims = { aud: audience, iss: `https://sts.windows.net/${TENANT}/`, iat: now, nbf: now, exp: expires, tid: TENANT, oid: PRINCIPAL, sub: PRINCIPAL, appid, idtyp: "app", jti: randomUUID() };
  return `${part({ typ: "JWT", alg: "RS256", kid: "fake" })}.${part(claims)}.${Buffer.from("not-signed").toString("base64url")}`;
}

/** Routes that need no bearer token; undefined when the request is not one of them. */
export function unauthenticatedRoute(method: string, path: string, params: URLSearchParams, headers: Record<string, string | string[] | undefined>, body: string, ctx: ClientContext): Answer | undefined {
  if (method === "GET" && path === "/metadata/endpoints") return [200, cloudMetadata(ctx.endpoint, params.get("api-version"))];
  const token = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(path);
  if (method === "POST" && token) return clientCredentialsToken(token[1] ?? "", new URLSearchParams(body));
  if (method === "GET" && path === "/msi/token") {
    // App Service managed identity, api-version 2019-08-01 (learn.microsoft.com/azure/app-service/
    // overview-managed-identity, "REST endpoint reference"); MSAL Python _obtain_token_on_app_service
    if (headers["x-identity-header"] !== IDENTITY_HEADER) return [401, { statusCode: 401, message: "X-IDENTITY-HEADER is missing or wrong" }];
    const resource = params.get("resource");
    if (!resource) return [400, { statusCode: 400, message: "resource is required" }];
    const expires = Math.floor(Date.now() / 1000) + 3600;
    return [200, { access_token: fakeJwt(resource, expires), expires_on: String(expires), resource, token_type: "Bearer", client_id: PRINCIPAL }];
  }
  return undefined;
}

/**
 * Entra ID's v2.0 token endpoint, client-credentials grant with a client secret (learn.microsoft.com
 * entra/identity-platform/v2-oauth2-client-creds-grant-flow: POST {authority}/{tenant}/oauth2/v2.0/token,
 * form client_id, client_secret, scope "<resource>/.default", grant_type; answer token_type,
 * expires_in, access_token; errors {error, error_description}, invalid_client for a wrong secret with
 * AADSTS7000215). What go-azure-sdk's ClientSecretAuthorizer (the azurerm provider) sends
 * (sdk/auth/client_secret_authorizer.go, client_credentials.go clientCredentialsToken).
 */
function clientCredentialsToken(tenant: string, form: URLSearchParams): Answer {
  const fail = (status: number, error: string, description: string): Answer => [status, { error, error_description: description, error_codes: [Number(/AADSTS(\d+)/.exec(description)?.[1] ?? 0)] }];
  if (form.get("grant_type") !== "client_credentials") return fail(400, "unsupported_grant_type", "AADSTS70003: The app requested an unsupported grant type (the fake serves client_credentials).");
  if (tenant !== TENANT) return fail(400, "invalid_request", `AADSTS90002: Tenant '${tenant}' not found.`);
  if (form.get("client_id") !== CLIENT_ID) return fail(400, "unauthorized_client", `AADSTS700016: Application with identifier '${form.get("client_id") ?? ""}' was not found in the directory.`);
  if (form.get("client_secret") !== CLIENT_SECRET) return fail(401, "invalid_client", "AADSTS7000215: Invalid client secret provided.");
  const scope = form.get("scope") ?? "";
  if (!/^\S+\/\.default$/.test(scope)) return fail(400, "invalid_scope", `AADSTS1002012: The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`);
  const expiresIn = 3599;
  return [200, { token_type: "Bearer", expires_in: expiresIn, ext_expires_in: expiresIn, access_token: fakeJwt(scope.slice(0, -"/.default".length), Math.floor(Date.now() / 1000) + expiresIn, CLIENT_ID) }];
}

/** Subscription and tenant reads; undefined when the request is not one of them. */
export function subscriptionRoute(method: string, path: string, ctx: ClientContext): Answer | undefined {
  if (method !== "GET") return undefined;
  const subscription = (id: string) => ({
    id: `/subscriptions/${id}`,
    subscriptionId: id,
    tenantId: TENANT,
    displayName: `Fake ${id.slice(0, 8)}`,
    state: "Enabled",
    subscriptionPolicies: { locationPlacementId: "Public_2014-09-01", quotaId: "PayAsYouGo_2014-09-01", spendingLimit: "Off" },
    authorizationSource: "RoleBased",
    managedByTenants: [],
  });
  if (path === "/subscriptions") return [200, { value: ctx.subscriptions.map(subscription) }];
  if (path === "/tenants") return [200, { value: [{ id: `/tenants/${TENANT}`, tenantId: TENANT, tenantCategory: "Home", displayName: "Fake tenant", defaultDomain: "fake.example" }] }];
  const m = /^\/subscriptions\/([^/]+)$/i.exec(path);
  if (m) {
    const id = ctx.subscriptions.find((s) => s.toLowerCase() === (m[1] ?? "").toLowerCase());
    return id ? [200, subscription(id)] : [404, { error: { code: "SubscriptionNotFound", message: `The subscription '${m[1]}' could not be found.` } }];
  }
  return undefined;
}

/**
 * ARM's cloud metadata (GET {resourceManager}/metadata/endpoints?api-version=…). api-version
 * 2019-05-01 lists every cloud (azure-cli maps each entry, azure/cli/core/cloud.py
 * get_known_clouds / _arm_to_cli_mapper, and names that version as the list's source); 2022-09-01
 * answers the one cloud the endpoint belongs to, which go-azure-sdk reads (sdk/internal/metadata
 * client.go GetMetaData unmarshals one object; its client_test.go fixtures: 2019-05-01 a list,
 * 2022-09-01 an object). One cloud named AzureCloud whose resource manager, login endpoint and token
 * audiences are the fake itself; tenant "common" and identityProvider "AAD", or go-azure-sdk takes it
 * for Azure Stack (environments/azure_stack.go IsAzureStack), which the azurerm provider refuses.
 */
export function cloudMetadata(endpoint: string, apiVersion: string | null): unknown {
  const cloud = {
    name: "AzureCloud",
    portal: "https://portal.azure.com",
    resourceManager: `${endpoint}/`,
    authentication: { loginEndpoint: `${endpoint}/`, audiences: [`${endpoint}/`], tenant: "common", identityProvider: "AAD" },
    media: `${endpoint}/`,
    graphAudience: `${endpoint}/`,
    graph: `${endpoint}/`,
    batch: `${endpoint}/`,
    activeDirectoryDataLake: `${endpoint}/`,
    sqlManagement: `${endpoint}/`,
    gallery: `${endpoint}/`,
    microsoftGraphResourceId: `${endpoint}/`,
    suffixes: { acrLoginServer: "azurecr.io", keyVaultDns: "vault.azure.net", sqlServerHostname: "database.windows.net", storage: "core.windows.net" },
  };
  if (apiVersion === "2019-05-01") return [cloud];
  // go-azure-sdk appends "/{tenant}/oauth2/v2.0/token" to loginEndpoint as it is: no trailing slash
  // (as in its 2022-09-01 fixture), or the token path would start with "//"
  return { ...cloud, authentication: { ...cloud.authentication, loginEndpoint: endpoint } };
}
