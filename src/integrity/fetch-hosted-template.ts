// Fetches a hosted copy of a ConstraintTemplate (or a mutator) the way the add-on would (https GET), bounded by the network policy
// (src/net/network-policy.ts): https checked at every redirect hop before it is requested, a
// timeout and the run's deadline; and a size cap. The port lets tests and other callers swap the transport.
import { redactSecrets, userinfoProblem } from "../io/redact.js";
import { networkPolicy, policyFetch, remainingMs, type NetworkPolicy } from "../net/network-policy.js";

export interface FetchedTemplate {
  bytes: Buffer;
  /** where the bytes came from after redirects */
  finalUrl: string;
}

export type TemplateFetcher = (url: string) => Promise<FetchedTemplate | { error: string }>;

export interface FetchLimits {
  maxBytes: number;
  timeoutMs: number;
}

// AZPOL_TEMPLATE_FETCH_TIMEOUT_MS shortens the wait (tests); the cap is fixed
export const DEFAULT_FETCH_LIMITS: FetchLimits = { maxBytes: 4 * 1024 * 1024, timeoutMs: Number(process.env.AZPOL_TEMPLATE_FETCH_TIMEOUT_MS) > 0 ? Number(process.env.AZPOL_TEMPLATE_FETCH_TIMEOUT_MS) : 15_000 };

/** A URL without its secrets (userinfo, SAS, tokens), for messages and recorded origins. */
export function redactUrl(url: string): string {
  return redactSecrets(url);
}

export function httpsTemplateFetcher(limits: FetchLimits = DEFAULT_FETCH_LIMITS, policy: NetworkPolicy = networkPolicy({ requestTimeoutMs: limits.timeoutMs })): TemplateFetcher {
  return async (url) => {
    if (!url.startsWith("https://")) return { error: `${redactUrl(url)} is not an https URL; the add-on fetches templates over https only` };
    if (userinfoProblem(url)) return { error: `${redactUrl(url)} carries a user name or password; the add-on fetches templates anonymously, and azpol neither sends nor prints credentials: remove 'user:password@'` };
    const controller = new AbortController();
    let oversize = false;
    const tooLarge = { error: `${redactUrl(url)} serves more than the ${limits.maxBytes}-byte limit for a template` };
    // one bound for the whole download (headers and body): the request timeout, or the deadline
    const ms = Math.min(policy.requestTimeoutMs, remainingMs(policy));
    const timer = setTimeout(() => controller.abort(), ms);
    try {
      // redirects are followed one hop at a time, each checked for https before it is requested
      const response = await policyFetch(policy, url, { signal: controller.signal, headers: { accept: "application/yaml, text/plain, */*" } });
      if (!response.ok) return { error: `${redactUrl(url)} answered HTTP ${response.status}` };
      const declared = Number(response.headers.get("content-length") ?? "0");
      if (declared > limits.maxBytes) return { error: `${redactUrl(url)} serves ${declared} bytes, more than the ${limits.maxBytes}-byte limit for a template` };
      const chunks: Buffer[] = [];
      let total = 0;
      const body = (response.body ?? []) as unknown as AsyncIterable<Uint8Array>;
      for await (const chunk of body) {
        total += chunk.byteLength;
        if (total > limits.maxBytes) {
          // stop reading; aborting ends the download (the iterator may throw on the way out)
          oversize = true;
          controller.abort();
          return tooLarge;
        }
        chunks.push(Buffer.from(chunk));
      }
      return { bytes: Buffer.concat(chunks), finalUrl: response.url };
    } catch (e) {
      if (oversize) return tooLarge;
      if (controller.signal.aborted || (e instanceof Error && (e.name === "TimeoutError" || e.name === "AbortError"))) {
        return { error: `${redactUrl(url)} did not answer within ${Math.round(ms / 1000)} s${ms < policy.requestTimeoutMs ? ` (${policy.deadlineLabel})` : ""}` };
      }
      if (e instanceof TypeError && !(e.cause instanceof Error)) return { error: `${redactUrl(url)} ${e.message}` };
      const cause = e instanceof Error && e.cause instanceof Error ? `: ${e.cause.message}` : "";
      return { error: `${redactUrl(url)} could not be fetched (${e instanceof Error ? e.message : String(e)}${cause})` };
    } finally {
      clearTimeout(timer);
    }
  };
}
