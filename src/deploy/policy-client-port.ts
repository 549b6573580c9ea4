// ArmPort on the real @azure/arm-policy PolicyClient (api-version 2025-03-01). The only file
// that talks to ARM. Errors become AzureError with ARM's code, message and request id.
import { rootCertificates } from "node:tls";
import { PolicyClient, type PolicyDefinition } from "@azure/arm-policy";
import type { TokenCredential } from "@azure/core-auth";
import { isRestError } from "@azure/core-rest-pipeline";
import type { NetworkPolicy } from "../net/network-policy.js";
import { armNetworkPolicies, type RetryNotice } from "./network-pipeline.js";
import type { ArmPort, ArmResource } from "./arm-port.js";
import { toAzureError } from "./azure-error.js";
import { exemptionOperations } from "./exemption-client.js";
import { fromSdkParameters, toSdkParameters } from "./sdk-parameters.js";
import { policySetOperations } from "./policy-set-client.js";
import type { DefinitionLocation, Scope } from "./scope.js";

export interface PolicyClientOptions {
  credential: TokenCredential;
  subscriptionId: string | undefined;
  /** ARM base URL; default https://management.azure.com */
  endpoint?: string | undefined;
  /** an extra CA (PEM) to trust besides the public roots, for a private ARM endpoint */
  extraCa?: string | undefined;
  maxRetries?: number | undefined;
  retryDelayMs?: number | undefined;
  /** the run's network policy: request timeout, deadline, Retry-After caps */
  network: NetworkPolicy;
  /** told about each throttled or failed attempt the SDK will retry */
  onRetry?: ((notice: RetryNotice) => void) | undefined;
}

const DEFINITION_FIELDS = ["displayName", "description", "mode", "metadata", "parameters", "policyRule", "version"] as const;
const ASSIGNMENT_FIELDS = ["displayName", "description", "policyDefinitionId", "parameters", "enforcementMode", "metadata", "notScopes", "scope", "nonComplianceMessages", "definitionVersion"] as const;

function pick(obj: object, fields: readonly string[]): Record<string, unknown> {
  const source = obj as Record<string, unknown>;
  return Object.fromEntries(fields.filter((f) => source[f] !== undefined).map((f) => [f, source[f]]));
}

/** v7 takes the scope without its leading '/' (it would send '//subscriptions/...'). */
function sdkScope(scope: Scope): string {
  return scope.id.replace(/^\/+/, "");
}

export function policyClientPort(options: PolicyClientOptions): ArmPort {
  const perRetry = armNetworkPolicies(options.network, options.onRetry);
  const tlsCa = options.extraCa ? [...rootCertificates, options.extraCa] : undefined;
  const newClient = (subscriptionId: string) =>
    new PolicyClient(options.credential, subscriptionId, {
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      ...(tlsCa ? { tlsOptions: { ca: tlsCa } } : {}),
      retryOptions: { maxRetries: options.maxRetries ?? 3, ...(options.retryDelayMs !== undefined ? { retryDelayInMs: options.retryDelayMs, maxRetryDelayInMs: options.retryDelayMs * 8 } : {}) },
      userAgentOptions: { userAgentPrefix: "azpol" },
      additionalPolicies: perRetry.map((policy) => ({ policy, position: "perRetry" as const })),
    });
  const client = newClient(options.subscriptionId ?? "");
  // The SDK puts the client's subscription into subscription-level paths; an estate spans many,
  // so an operation on a scope or location in another subscription gets a client of its own.
  const clients = new Map<string, PolicyClient>([[(options.subscriptionId ?? "").toLowerCase(), client]]);
  const clientFor = (at: Scope | DefinitionLocation): PolicyClient => {
    const sub = "subscriptionId" in at ? at.subscriptionId : undefined;
    if (sub === undefined) return client;
    const key = sub.toLowerCase();
    const found = clients.get(key) ?? newClient(sub);
    clients.set(key, found);
    return found;
  };
  const exemptions = exemptionOperations({ credential: options.credential, endpoint: options.endpoint ?? "https://management.azure.com", tlsCa, maxRetries: options.maxRetries ?? 3, retryDelayMs: options.retryDelayMs, extraPolicies: perRetry });

  const notFound = (e: unknown) => isRestError(e) && e.statusCode === 404 && /NotFound$/.test(e.code ?? "");
  const resource = (r: { id?: string; name?: string }, fields: readonly string[]): ArmResource => ({ id: r.id ?? "", name: r.name ?? "", properties: pick(r, fields) });
  const definition = (r: PolicyDefinition): ArmResource => {
    const d = resource(r, DEFINITION_FIELDS);
    if ("parameters" in d.properties) d.properties.parameters = fromSdkParameters(d.properties.parameters);
    return d;
  };

  return {
    ...policySetOperations(clientFor, client),
    ...exemptions,
    async getDefinition(location: DefinitionLocation, name: string) {
      try {
        const r = "subscriptionId" in location ? await clientFor(location).policyDefinitions.get(name) : await client.policyDefinitions.getAtManagementGroup(location.managementGroupId, name);
        return definition(r);
      } catch (e) {
        if (notFound(e)) return undefined;
        throw toAzureError(e, `reading definition ${name}`);
      }
    },
    async getBuiltInDefinition(name: string) {
      try {
        return definition(await client.policyDefinitions.getBuiltIn(name));
      } catch (e) {
        if (notFound(e)) return undefined;
        throw toAzureError(e, `reading built-in definition ${name}`);
      }
    },
    async putDefinition(location, name, properties) {
      const body = { policyType: "Custom", ...properties, parameters: toSdkParameters(properties.parameters) } as PolicyDefinition;
      try {
        const r = "subscriptionId" in location ? await clientFor(location).policyDefinitions.createOrUpdate(name, body) : await client.policyDefinitions.createOrUpdateAtManagementGroup(location.managementGroupId, name, body);
        return definition(r);
      } catch (e) {
        throw toAzureError(e, `writing definition ${name}`);
      }
    },
    async getAssignment(scope, name) {
      try {
        return resource(await client.policyAssignments.get(sdkScope(scope), name), ASSIGNMENT_FIELDS);
      } catch (e) {
        if (notFound(e)) return undefined;
        throw toAzureError(e, `reading assignment ${name}`);
      }
    },
    async putAssignment(scope, name, properties) {
      try {
        return resource(await client.policyAssignments.create(sdkScope(scope), name, properties), ASSIGNMENT_FIELDS);
      } catch (e) {
        throw toAzureError(e, `writing assignment ${name}`);
      }
    },
    async listDefinitions(location) {
      const filter = { filter: "policyType eq 'Custom'" };
      const pages = "subscriptionId" in location ? clientFor(location).policyDefinitions.list(filter) : client.policyDefinitions.listByManagementGroup(location.managementGroupId, filter);
      const out: ArmResource[] = [];
      try {
        for await (const d of pages) out.push(definition(d));
      } catch (e) {
        throw toAzureError(e, "listing custom definitions");
      }
      return out;
    },
    async deleteDefinition(location, name) {
      try {
        if ("subscriptionId" in location) await clientFor(location).policyDefinitions.delete(name);
        else await client.policyDefinitions.deleteAtManagementGroup(location.managementGroupId, name);
      } catch (e) {
        throw toAzureError(e, `deleting definition ${name}`);
      }
    },
    async deleteAssignment(scope, name) {
      try {
        await client.policyAssignments.delete(sdkScope(scope), name);
      } catch (e) {
        throw toAzureError(e, `deleting assignment ${name}`);
      }
    },
    async listAssignments(scope) {
      const filter = { filter: "atExactScope()" };
      const pages =
        scope.kind === "resourceGroup"
          ? clientFor(scope).policyAssignments.listForResourceGroup(scope.resourceGroup, filter)
          : scope.kind === "subscription"
            ? clientFor(scope).policyAssignments.list(filter)
            : client.policyAssignments.listForManagementGroup(scope.managementGroupId, filter);
      const out: ArmResource[] = [];
      try {
        for await (const a of pages) out.push(resource(a, ASSIGNMENT_FIELDS));
      } catch (e) {
        throw toAzureError(e, `listing assignments at ${scope.id}`);
      }
      return out;
    },
  };
}
