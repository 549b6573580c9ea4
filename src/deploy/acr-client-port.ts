// RegistryPort on the real @azure/arm-containerregistry client (12.0.0, api-version 2025-11-01),
// with DefaultAzureCredential and the network policy's pipeline policies (request timeout,
// deadline, Retry-After caps), the same way policy-client-port.ts builds the PolicyClient.
// The only file that talks to the ACR management API. Errors become AzureError (ARM's code and
// message, never a stack trace or a token).
import { rootCertificates } from "node:tls";
import { ContainerRegistryManagementClient } from "@azure/arm-containerregistry";
import type { TokenCredential } from "@azure/core-auth";
import { isRestError } from "@azure/core-rest-pipeline";
import { toAzureError } from "./azure-error.js";
import { armNetworkPolicies, type RetryNotice } from "./network-pipeline.js";
import type { NetworkPolicy } from "../net/network-policy.js";
import type { ImportPlan } from "../mirror/plan-mirror.js";
import { artifactKey, type RegistryPort, type RegistryRef } from "../mirror/registry-port.js";
import { acrContentClient, ContentCheckError, type AcrContentClient } from "./acr-content-client.js";

export interface AcrClientOptions {
  credential: TokenCredential;
  subscriptionId: string;
  endpoint?: string | undefined;
  /** an extra CA (PEM) to trust besides the public roots, for a private ARM endpoint */
  extraCa?: string | undefined;
  maxRetries?: number | undefined;
  retryDelayMs?: number | undefined;
  /** how often a long-running operation is polled when the service sends no Retry-After */
  pollIntervalMs?: number | undefined;
  network: NetworkPolicy;
  onRetry?: ((notice: RetryNotice) => void) | undefined;
  /** the registry's data plane base URL instead of https://<login server> (tests: the fake) */
  contentEndpoint?: string | undefined;
}

/** importImage's parameters for a planned import (REST: Registries_ImportImage, ImportImageParameters). */
export function importParameters(entry: ImportPlan) {
  const slash = entry.source.indexOf("/");
  const repository = entry.target.replace(/:[^/:]+$/, "");
  return {
    source: { registryUri: entry.source.slice(0, slash), sourceImage: entry.source.slice(slash + 1) },
    // a digest without a tag lands untagged in its repository; NoForce never overwrites a tag
    ...(entry.target === repository ? { untaggedTargetRepositories: [repository] } : { targetTags: [entry.target] }),
    mode: "NoForce" as const,
  };
}

export function acrClientPort(options: AcrClientOptions): RegistryPort {
  const tlsCa = options.extraCa ? [...rootCertificates, options.extraCa] : undefined;
  const client = new ContainerRegistryManagementClient(options.credential, options.subscriptionId, {
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(tlsCa ? { tlsOptions: { ca: tlsCa } } : {}),
    retryOptions: { maxRetries: options.maxRetries ?? 3, ...(options.retryDelayMs !== undefined ? { retryDelayInMs: options.retryDelayMs, maxRetryDelayInMs: options.retryDelayMs * 8 } : {}) },
    userAgentOptions: { userAgentPrefix: "azpol" },
    additionalPolicies: armNetworkPolicies(options.network, options.onRetry).map((policy) => ({ policy, position: "perRetry" as const })),
  });
  const poll = options.pollIntervalMs !== undefined ? { updateIntervalInMs: options.pollIntervalMs } : {};
  const call = async <T>(what: string, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (e) {
      throw toAzureError(e, what);
    }
  };
  const collect = async <T>(pages: AsyncIterable<T>): Promise<T[]> => {
    const all: T[] = [];
    for await (const item of pages) all.push(item);
    return all;
  };
  // the data plane takes the token the management client asks for (its default credential scope)
  const aadScope = `${options.endpoint ?? "https://management.azure.com"}/.default`;
  const contents = new Map<string, AcrContentClient>();
  const content = (r: RegistryRef) => {
    let c = contents.get(r.loginServer);
    if (!c) {
      c = acrContentClient({ loginServer: r.loginServer, endpoint: options.contentEndpoint, credential: options.credential, aadScope, network: options.network, maxRetries: options.maxRetries ?? 3, retryDelayMs: options.retryDelayMs, onRetry: options.onRetry });
      contents.set(r.loginServer, c);
    }
    return c;
  };
  return {
    findArtifacts: async (r, artifacts) => {
      const present: string[] = [];
      for (const a of artifacts) {
        try {
          if (await content(r).hasManifest(a.repository, a.reference)) present.push(artifactKey(a));
        } catch (e) {
          // what is left unread is planned (and imported NoForce, which never overwrites a tag)
          return { present, problem: e instanceof ContentCheckError ? e.message : toAzureError(e, `reading ${r.loginServer}'s content`).message };
        }
      }
      return { present };
    },
    findRegistry: (loginServer) =>
      call(`finding registry ${loginServer}`, async () => {
        const found = (await collect(client.registries.list())).find((r) => r.loginServer?.toLowerCase() === loginServer.toLowerCase());
        if (!found?.id || !found.name) return undefined;
        const resourceGroup = /\/resourceGroups\/([^/]+)\//i.exec(found.id)?.[1] ?? "";
        return { id: found.id, resourceGroup, name: found.name, loginServer: found.loginServer ?? loginServer } satisfies RegistryRef;
      }),
    listCacheRules: (r) =>
      call(`listing cache rules of ${r.name}`, async () =>
        (await collect(client.cacheRules.list(r.resourceGroup, r.name))).map((c) => ({
          name: c.name ?? "",
          sourceRepository: c.sourceRepository ?? "",
          targetRepository: c.targetRepository ?? "",
          credentialSetResourceId: c.credentialSetResourceId,
        })),
      ),
    listCredentialSets: (r) =>
      call(`listing credential sets of ${r.name}`, async () => (await collect(client.credentialSets.list(r.resourceGroup, r.name))).map((c) => ({ name: c.name ?? "", loginServer: c.loginServer ?? "" }))),
    createCacheRule: (r, rule) =>
      call(`creating cache rule ${rule.name}`, async () => {
        await client.cacheRules.create(r.resourceGroup, r.name, rule.name, { sourceRepository: rule.sourceRepository, targetRepository: rule.targetRepository, ...(rule.credentialSet ? { credentialSetResourceId: `${r.id}/credentialSets/${rule.credentialSet}` } : {}) }, poll);
      }),
    createCredentialSet: (r, set) =>
      call(`creating credential set ${set.name}`, async () => {
        const made = await client.credentialSets.create(
          r.resourceGroup,
          r.name,
          set.name,
          // CredentialSetCreate.json: the set reads the secrets with its own system-assigned identity
          { loginServer: set.loginServer, authCredentials: [{ name: "Credential1", usernameSecretIdentifier: set.usernameSecret, passwordSecretIdentifier: set.passwordSecret }], identity: { type: "SystemAssigned" } },
          poll,
        );
        return made.identity?.principalId ? { principalId: made.identity.principalId } : {};
      }),
    deleteCacheRule: (r, name) =>
      call(`deleting cache rule ${name}`, async () => {
        await client.cacheRules.delete(r.resourceGroup, r.name, name, poll);
      }),
    importImage: (r, entry) =>
      call(`importing ${entry.source}`, async () => {
        try {
          await client.registries.importImage(r.resourceGroup, r.name, importParameters(entry), poll);
          return "imported" as const;
        } catch (e) {
          // NoForce refuses a tag that exists: the import operation fails with "Tag <t> already
          // exists in target registry." (as az prints it, Azure/azure-cli#10938). ACR documents no
          // error code or status for it, so the message is matched, on the request or the operation.
          if ((isRestError(e) || e instanceof Error) && /already exists in target registry/i.test(e.message)) return "present" as const;
          throw e;
        }
      }),
  };
}
