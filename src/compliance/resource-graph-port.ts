// EstateCompliancePort on @azure/arm-resourcegraph 5.0.0-beta.4 (api-version 2024-04-01): one
// POST /providers/Microsoft.ResourceGraph/resources per page, the next page asked with the
// answer's $skipToken (options.skipToken), through the same network policy, credential, CA and
// retry settings as every ARM client (deploy/network-pipeline.ts).
import type { TokenCredential } from "@azure/core-auth";
import { ResourceGraphClient } from "@azure/arm-resourcegraph";
import { rootCertificates } from "node:tls";
import { toAzureError } from "../deploy/azure-error.js";
import { armNetworkPolicies, type RetryNotice } from "../deploy/network-pipeline.js";
import type { Scope } from "../deploy/scope.js";
import { AzureError } from "../errors.js";
import type { NetworkPolicy } from "../net/network-policy.js";
import { assignmentChunks, policyStatesQuery, queryScope, summariesFromStates, type EstateCompliancePort, type PolicyStateRow } from "./estate-compliance.js";

export const RESOURCE_GRAPH_API_VERSION = "2024-04-01";
/** rows per page: Resource Graph's maximum ($top, 1000) */
const PAGE_SIZE = 1000;
/** a service that keeps answering with a token must not loop forever */
const MAX_PAGES = 10_000;

export interface ResourceGraphOptions {
  credential: TokenCredential;
  endpoint: string;
  extraCa?: string | undefined;
  network: NetworkPolicy;
  maxRetries?: number;
  retryDelayMs?: number | undefined;
  onRetry?: (notice: RetryNotice) => void;
}

/**
 * The page's rows. The SDK's mapper types `data` as a Dictionary, so core-client hands the JSON array
 * back as an object keyed "0", "1", ... (integer keys keep their order); accept both.
 */
function rowsOf(data: unknown): PolicyStateRow[] {
  if (Array.isArray(data)) return data as PolicyStateRow[];
  if (data && typeof data === "object" && Object.keys(data).every((k) => /^\d+$/.test(k))) return Object.values(data) as PolicyStateRow[];
  throw new AzureError("UnexpectedResponse", "Resource Graph answered without an array of rows (resultFormat objectArray)");
}

export function resourceGraphPort(options: ResourceGraphOptions): EstateCompliancePort {
  const client = new ResourceGraphClient(options.credential, {
    apiVersion: RESOURCE_GRAPH_API_VERSION,
    endpoint: options.endpoint,
    additionalPolicies: armNetworkPolicies(options.network, options.onRetry).map((policy) => ({ policy, position: "perRetry" as const })),
    retryOptions: { maxRetries: options.maxRetries ?? 3, ...(options.retryDelayMs !== undefined ? { retryDelayInMs: options.retryDelayMs, maxRetryDelayInMs: options.retryDelayMs * 8 } : {}) },
    ...(options.extraCa ? { tlsOptions: { ca: [...rootCertificates, options.extraCa] } } : {}),
    userAgentOptions: { userAgentPrefix: "azpol" },
  });
  return {
    async summarizeAssignments(scope: Scope, assignmentIds: string[]) {
      const rows: PolicyStateRow[] = [];
      // one paged query per chunk of ids, so no query outgrows MAX_QUERY_CHARS
      for (const chunk of assignmentChunks(assignmentIds)) {
        const query = policyStatesQuery(chunk);
        let skipToken: string | undefined;
        for (let page = 0; ; page++) {
          if (page >= MAX_PAGES) throw new AzureError("TooManyPages", `Resource Graph: more than ${MAX_PAGES} pages of policy states at ${scope.id}`);
          let answer;
          try {
            answer = await client.resources({ query, ...queryScope(scope), options: { resultFormat: "objectArray", top: PAGE_SIZE, ...(skipToken ? { skipToken } : {}) } });
          } catch (e) {
            throw toAzureError(e, `querying Resource Graph for compliance at ${scope.id}`);
          }
          rows.push(...rowsOf(answer.data));
          // truncated with no token to continue: the rows are incomplete, and a summary of them would lie
          if (!answer.skipToken && answer.resultTruncated === "true") throw new AzureError("ResultTruncated", `Resource Graph truncated the policy states at ${scope.id} (${answer.totalRecords} records) and gave no $skipToken to page on`);
          if (!answer.skipToken) break;
          skipToken = answer.skipToken;
        }
      }
      return summariesFromStates(assignmentIds, rows);
    },
  };
}
