// The network policy (src/net/network-policy.ts) as Azure SDK pipeline policies, for every ARM
// client azpol makes (policy definitions, assignments, sets, exemptions, Policy Insights):
//   - each attempt is bounded by the request timeout, or by what is left of the deadline;
//   - a throttled answer's Retry-After (delay-seconds, an HTTP-date, retry-after-ms or
//     x-ms-retry-after-ms) is capped by both before the SDK's retry policy reads it: the header
//     is rewritten to retry-after-ms with the capped wait, and the cap is reported.
// They run per retry, below the SDK's retry policy, so they see every attempt and its answer.
import type { PipelinePolicy } from "@azure/core-rest-pipeline";
import { describeWait, NetworkTimeout, parseRetryAfter, remainingMs, retryWait, type NetworkPolicy } from "../net/network-policy.js";

export interface RetryNotice {
  status: number;
  url: string;
  /** "waiting 2 s (Retry-After)", or the cap and why */
  wait: string | undefined;
}

const RETRY_HEADERS = [["retry-after-ms", "ms"], ["x-ms-retry-after-ms", "ms"], ["retry-after", "s"]] as const;

export function armNetworkPolicies(network: NetworkPolicy, onRetry?: (notice: RetryNotice) => void): PipelinePolicy[] {
  const timeout: PipelinePolicy = {
    name: "azpolRequestTimeout",
    async sendRequest(request, next) {
      // an endpoint that accepts the connection and never answers must not hang azpol
      const left = remainingMs(network);
      const bound = Math.max(1, Math.min(network.requestTimeoutMs, left));
      request.timeout = request.timeout ? Math.min(request.timeout, bound) : bound;
      try {
        return await next(request);
      } catch (e) {
        // aborted because the deadline came first: say so, not "--request-timeout" (not retried)
        if (left < network.requestTimeoutMs && e instanceof Error && e.name === "AbortError") throw new NetworkTimeout("deadline", `${network.deadlineLabel} passed`);
        throw e;
      }
    },
  };
  const retryAfter: PipelinePolicy = {
    name: "azpolRetryAfterCap",
    async sendRequest(request, next) {
      const response = await next(request);
      if (response.status !== 429 && response.status < 500) return response;
      let wait: string | undefined;
      const now = network.now();
      for (const [header, unit] of RETRY_HEADERS) {
        const asked = parseRetryAfter(response.headers.get(header), now, unit);
        if (asked === undefined) continue;
        const capped = retryWait(network, asked);
        for (const [h] of RETRY_HEADERS) response.headers.delete(h);
        response.headers.set("retry-after-ms", String(Math.ceil(capped.ms)));
        wait = describeWait(capped);
        break;
      }
      onRetry?.({ status: response.status, url: request.url, wait });
      return response;
    },
  };
  return [timeout, retryAfter];
}
