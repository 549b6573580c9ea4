// The one network policy every call goes through (ARM and Policy Insights through the SDK
// pipeline, Storage, the Kubernetes API, template downloads): a timeout per request, an overall
// deadline for the run, Retry-After waits capped by both (and said so), and https checked at
// every redirect hop before that hop's request is sent. The adapters translate it into their
// SDK's knobs; this file has no SDK in it, so tests can check it directly.
//
// Retry-After is delay-seconds or an HTTP-date (RFC 9110 §10.2.3); the Azure SDK also honours
// retry-after-ms and x-ms-retry-after-ms (core-rest-pipeline throttlingRetryStrategy).

export interface NetworkPolicy {
  /** each request (one attempt) is aborted after this long */
  requestTimeoutMs: number;
  /** the run's overall budget ends at this instant (ms since the epoch), if there is one */
  deadlineAt: number | undefined;
  /** how the deadline is named in messages, e.g. "--deadline 30 s" */
  deadlineLabel: string;
  now: () => number;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

export function networkPolicy(options: { requestTimeoutMs?: number | undefined; deadlineMs?: number | undefined; now?: () => number }): NetworkPolicy {
  const now = options.now ?? Date.now;
  return {
    requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    deadlineAt: options.deadlineMs === undefined ? undefined : now() + options.deadlineMs,
    deadlineLabel: options.deadlineMs === undefined ? "" : `--deadline ${Math.round(options.deadlineMs / 1000)} s`,
    now,
  };
}

/** Milliseconds left before the deadline (Infinity without one; never negative). */
export function remainingMs(policy: NetworkPolicy): number {
  return policy.deadlineAt === undefined ? Number.POSITIVE_INFINITY : Math.max(0, policy.deadlineAt - policy.now());
}

/** The wait a Retry-After value asks for, in ms: delay-seconds or an HTTP-date; undefined if neither. */
export function parseRetryAfter(value: string | null | undefined, now: number, unit: "s" | "ms" = "s"): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * (unit === "s" ? 1000 : 1);
  if (unit === "ms") return undefined;
  // IMF-fixdate, and the obsolete RFC 850 / asctime forms Date.parse also reads
  const at = /[a-z]/i.test(text) ? Date.parse(text) : Number.NaN;
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export interface RetryWait {
  /** what to wait */
  ms: number;
  /** what the server asked for */
  askedMs: number;
  /** why it is shorter than asked, for the message */
  cappedBy: string | undefined;
}

/** The wait before retrying a throttled request: the server's ask, capped by the request timeout and the time left. */
export function retryWait(policy: NetworkPolicy, askedMs: number): RetryWait {
  const left = remainingMs(policy);
  const caps: [number, string][] = [[policy.requestTimeoutMs, `the request timeout (${Math.round(policy.requestTimeoutMs / 1000)} s)`]];
  if (Number.isFinite(left)) caps.push([left, `what is left of ${policy.deadlineLabel}`]);
  let ms = askedMs;
  let cappedBy: string | undefined;
  for (const [cap, why] of caps) {
    if (cap < ms) {
      ms = cap;
      cappedBy = why;
    }
  }
  return { ms, askedMs, cappedBy };
}

/** How a capped wait is told: "Retry-After asked 27.8 h; waiting 60 s (capped by ...)". */
export function describeWait(wait: RetryWait): string {
  const shown = (ms: number) => (ms >= 3_600_000 ? `${(ms / 3_600_000).toFixed(1)} h` : ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms)} ms`);
  return wait.cappedBy ? `the server asked to wait ${shown(wait.askedMs)} (Retry-After); waiting ${shown(wait.ms)}, capped by ${wait.cappedBy}` : `waiting ${shown(wait.ms)} (Retry-After)`;
}

/** An AbortSignal for one request: the request timeout or the deadline, whichever comes first. */
export function requestSignal(policy: NetworkPolicy, outer?: AbortSignal): AbortSignal {
  const signals = [AbortSignal.timeout(Math.max(1, Math.min(policy.requestTimeoutMs, remainingMs(policy))))];
  if (outer) signals.push(outer);
  return AbortSignal.any(signals);
}

/** Why a request to `url` (a first request or a redirect hop) may not be sent, or undefined. */
export function insecureHop(url: string, from?: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url, from);
  } catch {
    return `redirect to something that is not a URL`;
  }
  if (parsed.protocol !== "https:") return from === undefined ? "is not an https URL" : `redirected to a ${parsed.protocol.replace(/:$/, "")} URL; azpol follows only https redirects, and sent nothing there`;
  if (parsed.username !== "" || parsed.password !== "") return from === undefined ? "carries a user name or password" : "redirected to a URL with a user name or password; azpol sent nothing there";
  return undefined;
}

export class NetworkTimeout extends Error {
  constructor(readonly which: "request" | "deadline", message: string) {
    super(message);
    this.name = "NetworkTimeout";
  }
}

/** Races `work` against the request timeout and the deadline (for clients that take no signal). */
export async function withinPolicy<T>(policy: NetworkPolicy, what: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const left = remainingMs(policy);
  const which: "request" | "deadline" = left < policy.requestTimeoutMs ? "deadline" : "request";
  const ms = Math.min(policy.requestTimeoutMs, left);
  if (ms <= 0) throw new NetworkTimeout("deadline", `${what}: ${policy.deadlineLabel} passed before it started`);
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new NetworkTimeout(which, which === "deadline" ? `${what}: ${policy.deadlineLabel} passed` : `${what}: no answer within ${Math.round(policy.requestTimeoutMs / 1000)} s (--request-timeout)`));
    }, ms);
  });
  try {
    return await Promise.race([work(controller.signal), expiry]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Races `work` (many requests, each bounded by the request timeout in its own client) against the
 * deadline alone: a NetworkTimeout when it passes first. Without a deadline, `work` itself.
 */
export async function withinDeadline<T>(policy: NetworkPolicy, what: string, work: Promise<T>): Promise<T> {
  if (policy.deadlineAt === undefined) return work;
  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new NetworkTimeout("deadline", `${what}: ${policy.deadlineLabel} passed`)), remainingMs(policy));
  });
  try {
    return await Promise.race([work, expiry]);
  } finally {
    clearTimeout(timer);
  }
}

const MAX_HOPS = 5;

/**
 * fetch with the policy: https checked before every hop, each hop bounded by the timeout and the
 * deadline. Only GET and HEAD follow redirects: a POST's body (a token exchange) is never re-sent
 * to wherever a redirect points; its 3xx is returned as it is.
 */
export async function policyFetch(policy: NetworkPolicy, url: string, init: { method?: "GET" | "HEAD" | "POST"; body?: string; headers?: Record<string, string>; signal?: AbortSignal } = {}): Promise<Response> {
  let current = url;
  const first = insecureHop(url);
  if (first) throw new TypeError(first);
  const method = init.method ?? "GET";
  for (let hop = 0; ; hop++) {
    const response = await fetch(current, { method, redirect: "manual", ...(init.headers ? { headers: init.headers } : {}), ...(init.body !== undefined ? { body: init.body } : {}), signal: requestSignal(policy, init.signal) });
    if (response.status < 300 || response.status >= 400 || response.status === 304 || method === "POST") return response;
    const location = response.headers.get("location");
    if (!location) return response;
    await response.body?.cancel();
    if (hop >= MAX_HOPS) throw new TypeError(`more than ${MAX_HOPS} redirects`);
    const problem = insecureHop(location, current);
    if (problem) throw new TypeError(problem);
    current = new URL(location, current).toString();
  }
}
