// What real clients (azure-cli, the azurerm provider) ask ARM for besides the policy API, so they
// can run against the fake: cloud metadata, a managed-identity token endpoint, subscriptions and
// tenants. Specified in SPEC.md ("Endpoints for real clients"), with sources.
import { randomUUID } from "node:crypto";

export const TENANT = "00000000-0000-0000-0000-0000000000aa";
/** The header value the managed-identity endpoint requires (App Service's X-IDENTITY-HEADER). */
export const IDENTITY_HEADER = "azpol-fake-identity-header";

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
function fakeJwt(audience: string, expires: number): string {
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  const claims = { aud: audience, iss: `https://sts.windows.net/${TENANT}/`, iat: now, nbf: now, exp: expires, tid: TENANT, oid: PRINCIPAL, sub: PRINCIPAL, appid: PRINCIPAL, idtyp: "app", jti: randomUUID() };
  return `${part({ typ: "JWT", alg: "RS256", kid: "fake" })}.${part(claims)}.${Buffer.from("not-signed").toString("base64url")}`;
}

/** Routes that need no bearer token; undefined when the request is not one of them. */
export function unauthenticatedRoute(method: string, path: string, params: URLSearchParams, headers: Record<string, string | string[] | undefined>, ctx: ClientContext): Answer | undefined {
  if (method === "GET" && path === "/metadata/endpoints") return [200, cloudMetadata(ctx.endpoint, params.get("api-version"))];
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
 * ARM's cloud metadata (GET https://management.azure.com/metadata/endpoints?api-version=2022-09-01
 * returns a list of clouds), as azure-cli reads it from ARM_CLOUD_METADATA_URL (azure/cli/core/
 * cloud.py get_known_clouds, _arm_to_cli_mapper). One cloud named AzureCloud, whose resource
 * manager and token audience are the fake itself.
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
  // 2019-05-01 answers one cloud object; 2022-09-01 and later a list
  return apiVersion === "2019-05-01" ? cloud : [cloud];
}
