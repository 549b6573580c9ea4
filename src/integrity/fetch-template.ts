// Fetches a hosted template the way the add-on would (https GET), bounded: https only (also after
// redirects), a size cap, a timeout. The port lets tests and other callers swap the transport.
import { redactSecrets, userinfoProblem } from "../io/redact.js";

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

export function httpsTemplateFetcher(limits: FetchLimits = DEFAULT_FETCH_LIMITS): TemplateFetcher {
  return async (url) => {
    if (!url.startsWith("https://")) return { error: `${redactUrl(url)} is not an https URL; the add-on fetches templates over https only` };
    if (userinfoProblem(url)) return { error: `${redactUrl(url)} carries a user name or password; the add-on fetches templates anonymously, and azpol neither sends nor prints credentials: remove 'user:password@'` };
    const controller = new AbortController();
    let timedOut = false;
    let oversize = false;
    const tooLarge = { error: `${redactUrl(url)} serves more than the ${limits.maxBytes}-byte limit for a template` };
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, limits.timeoutMs);
    try {
      const response = await fetch(url, { signal: controller.signal, redirect: "follow", headers: { accept: "application/yaml, text/plain, */*" } });
      if (!response.url.startsWith("https://")) return { error: `${redactUrl(url)} redirected to a non-https URL` };
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
      if (timedOut) return { error: `${redactUrl(url)} did not answer within ${Math.round(limits.timeoutMs / 1000)} s` };
      const cause = e instanceof Error && e.cause instanceof Error ? `: ${e.cause.message}` : "";
      return { error: `${redactUrl(url)} could not be fetched (${e instanceof Error ? e.message : String(e)}${cause})` };
    } finally {
      clearTimeout(timer);
    }
  };
}
