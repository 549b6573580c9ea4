// The policy exemption operations of the ArmPort. @azure/arm-policy 7.0.1 has no exemptions
// client (../shared/reference/arm-sdk.md §0), so this is a small REST adapter on
// @azure/core-rest-pipeline with the same credential, retries, timeout and TLS settings:
//   PUT|DELETE {scope}/providers/Microsoft.Authorization/policyExemptions/{name}
//   GET {scope}/providers/Microsoft.Authorization/policyExemptions (paged: nextLink)
// api-version 2022-07-01-preview, the version of the policyExemptions spec
// (learn.microsoft.com/rest/api/policy/policy-exemptions; the azure-mgmt-resource Python SDK's
// default). PUT answers 200 or 201; DELETE 200 or 204; errors are ARM's {"error": {code, message}}.
import type { TokenCredential } from "@azure/core-auth";
import { bearerTokenAuthenticationPolicy, createDefaultHttpClient, createPipelineFromOptions, createPipelineRequest, RestError, type PipelinePolicy } from "@azure/core-rest-pipeline";
import type { ArmPort, ArmResource } from "./arm-port.js";
import { toAzureError } from "./azure-error.js";
import type { Scope } from "./scope.js";

export const EXEMPTION_API_VERSION = "2022-07-01-preview";

const EXEMPTION_FIELDS = ["displayName", "description", "metadata", "policyAssignmentId", "policyDefinitionReferenceIds", "exemptionCategory", "expiresOn"] as const;

export interface ExemptionClientOptions {
  credential: TokenCredential;
  endpoint: string;
  tlsCa?: string[] | undefined;
  maxRetries: number;
  retryDelayMs?: number | undefined;
  extraPolicies: PipelinePolicy[];
}

function resource(body: Record<string, unknown>): ArmResource {
  const properties = (body.properties ?? {}) as Record<string, unknown>;
  return { id: typeof body.id === "string" ? body.id : "", name: typeof body.name === "string" ? body.name : "", properties: Object.fromEntries(EXEMPTION_FIELDS.filter((f) => properties[f] !== undefined).map((f) => [f, properties[f]])) };
}

export function exemptionOperations(options: ExemptionClientOptions): Pick<ArmPort, "listExemptions" | "putExemption" | "deleteExemption"> {
  const endpoint = options.endpoint.replace(/\/+$/, "");
  const pipeline = createPipelineFromOptions({
    retryOptions: { maxRetries: options.maxRetries, ...(options.retryDelayMs !== undefined ? { retryDelayInMs: options.retryDelayMs, maxRetryDelayInMs: options.retryDelayMs * 8 } : {}) },
    userAgentOptions: { userAgentPrefix: "azpol" },
    ...(options.tlsCa ? { tlsOptions: { ca: options.tlsCa } } : {}),
  });
  pipeline.addPolicy(bearerTokenAuthenticationPolicy({ credential: options.credential, scopes: `${endpoint}/.default` }));
  for (const p of options.extraPolicies) pipeline.addPolicy(p, { phase: "Retry" });
  const http = createDefaultHttpClient();

  const send = async (method: "GET" | "PUT" | "DELETE", url: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> => {
    const request = createPipelineRequest({ url, method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    request.headers.set("content-type", "application/json");
    const response = await pipeline.sendRequest(http, request);
    let json: Record<string, unknown>;
    try {
      json = response.bodyAsText ? (JSON.parse(response.bodyAsText) as Record<string, unknown>) : {};
    } catch {
      json = {};
    }
    if (response.status >= 400) {
      const error = (json.error ?? {}) as { code?: string; message?: string };
      throw new RestError(error.message ?? `HTTP ${response.status}`, { code: error.code ?? `HTTP${response.status}`, statusCode: response.status, request, response });
    }
    return { status: response.status, json };
  };
  const url = (scopeId: string, name?: string) => `${endpoint}${scopeId}/providers/Microsoft.Authorization/policyExemptions${name === undefined ? "" : `/${encodeURIComponent(name)}`}?api-version=${EXEMPTION_API_VERSION}`;

  return {
    async listExemptions(scope: Scope) {
      const out: ArmResource[] = [];
      try {
        for (let next: string | undefined = url(scope.id); next; ) {
          // nextLink is absolute; follow it only on the same ARM endpoint (it carries the token)
          if (!next.startsWith(`${endpoint}/`)) throw new Error(`ARM sent a nextLink to another host: ${new URL(next).host}`);
          const page = await send("GET", next);
          for (const r of (page.json.value as Record<string, unknown>[] | undefined) ?? []) out.push(resource(r));
          next = typeof page.json.nextLink === "string" ? page.json.nextLink : undefined;
        }
      } catch (e) {
        throw toAzureError(e, `listing exemptions at ${scope.id}`);
      }
      return out;
    },
    async putExemption(scopeId, name, properties) {
      try {
        return resource((await send("PUT", url(scopeId, name), { properties })).json);
      } catch (e) {
        throw toAzureError(e, `writing exemption ${name}`);
      }
    },
    async deleteExemption(scopeId, name) {
      try {
        await send("DELETE", url(scopeId, name));
      } catch (e) {
        throw toAzureError(e, `deleting exemption ${name}`);
      }
    },
  };
}
