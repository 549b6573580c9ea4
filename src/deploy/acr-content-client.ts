// What is already in the user's registry, read from its data plane (the Docker Registry HTTP API v2
// that ACR serves at https://<login server>/v2/): the management API cannot list tags, so this is
// how `mirror --apply` knows an import was already made and plans nothing for it.
//
// Auth is ACR's token exchange, as azure-cli does it (acr/_docker_utils.py,
// _handle_challenge_phase and _get_aad_token_after_challenge):
//   1. GET /v2/ answers 401 with `WWW-Authenticate: Bearer realm="https://<ls>/oauth2/token",service="<ls>"`;
//   2. POST <realm host>/oauth2/exchange, form grant_type=access_token, service, access_token=<AAD token>
//      → {"refresh_token"} (azure-rest-api-specs containerregistry data-plane 2021-07-01, PostRefreshToken.json);
//   3. POST <realm host>/oauth2/token, form grant_type=refresh_token, service,
//      scope=repository:<repo>:pull, refresh_token → {"access_token"} (PostAccessToken.json);
//   4. HEAD /v2/<repo>/manifests/<tag|digest> with that bearer: 200 present, 404 absent
//      (OCI distribution-spec, "Checking if content exists in the registry").
// The AAD token is the ARM-audience token the management client already holds (azure-cli sends
// its ARM token too). It is sent only to the realm on the registry's own host: a challenge that
// points anywhere else is refused. No token is ever put into an error or a message.
import { describeWait, parseRetryAfter, policyFetch, retryWait, type NetworkPolicy } from "../net/network-policy.js";
import type { RetryNotice } from "./network-pipeline.js";

/** The part of a TokenCredential this needs (no SDK type: the data plane is plain HTTPS). */
export interface AadTokenSource {
  getToken(scopes: string | string[]): Promise<{ token: string } | null>;
}

export interface ContentClientOptions {
  loginServer: string;
  /** base URL of the data plane (default https://<loginServer>); tests point it at the fake */
  endpoint?: string | undefined;
  credential: AadTokenSource;
  /** the AAD scope of the token to exchange */
  aadScope: string;
  network: NetworkPolicy;
  maxRetries: number;
  retryDelayMs?: number | undefined;
  onRetry?: ((notice: RetryNotice) => void) | undefined;
}

/** Why the registry's content could not be read (the caller plans the import anyway, NoForce). */
export class ContentCheckError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ContentCheckError";
  }
}

// what a manifest HEAD accepts: Docker v2 and OCI manifests and indexes (a registry may answer 404
// for a manifest whose media type the request does not accept)
const MANIFEST_TYPES = [
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.docker.distribution.manifest.v2+json",
].join(", ");

const FORM = { "content-type": "application/x-www-form-urlencoded" };

/** `Bearer realm="…",service="…"` → its parameters (quoted values may hold commas). */
export function parseChallenge(header: string | null): Record<string, string> | undefined {
  if (!header || !/^bearer\s/i.test(header)) return undefined;
  const params: Record<string, string> = {};
  for (const m of header.slice(header.indexOf(" ") + 1).matchAll(/([a-z_]+)\s*=\s*(?:"([^"]*)"|([^,\s]*))/gi)) params[m[1]!.toLowerCase()] = m[2] ?? m[3] ?? "";
  return params;
}

export function acrContentClient(options: ContentClientOptions) {
  const base = (options.endpoint ?? `https://${options.loginServer}`).replace(/\/+$/, "");
  let auth: Promise<{ origin: string; service: string; refresh: string }> | undefined;
  const access = new Map<string, Promise<string>>();

  /** One request, retried on 429 and 5xx after Retry-After (capped by the network policy). */
  const send = async (what: string, url: string, init: Parameters<typeof policyFetch>[2]): Promise<Response> => {
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await policyFetch(options.network, url, init);
      } catch (e) {
        throw new ContentCheckError(`${what}: ${e instanceof Error ? (e.name === "TimeoutError" || e.name === "AbortError" ? "no answer in time (--request-timeout)" : e.message) : String(e)}`);
      }
      if ((response.status !== 429 && response.status < 500) || attempt >= options.maxRetries) return response;
      await response.body?.cancel();
      const asked = parseRetryAfter(response.headers.get("retry-after"), options.network.now()) ?? (options.retryDelayMs ?? 1000) * 2 ** attempt;
      const wait = retryWait(options.network, asked);
      options.onRetry?.({ status: response.status, url, wait: describeWait(wait) });
      await new Promise((r) => setTimeout(r, wait.ms));
    }
  };

  const form = async (what: string, url: string, fields: Record<string, string>, key: "refresh_token" | "access_token"): Promise<string> => {
    const response = await send(what, url, { method: "POST", headers: FORM, body: new URLSearchParams(fields).toString() });
    // the body may hold a token: never quoted in an error
    const body = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
    const value = body?.[key];
    if (response.status !== 200 || typeof value !== "string" || value === "") throw new ContentCheckError(`${what}: the registry answered ${response.status}${response.status === 401 || response.status === 403 ? " (the signed-in identity may not read this registry: it needs AcrPull or a role with content read)" : ""}`);
    return value;
  };

  const signIn = async () => {
    const challenge = await send("reading the registry's sign-in challenge", `${base}/v2/`, { method: "GET" });
    await challenge.body?.cancel();
    const params = parseChallenge(challenge.headers.get("www-authenticate"));
    if (challenge.status !== 401 || !params?.realm || !params.service) throw new ContentCheckError(`the registry's /v2/ answered ${challenge.status} without a Bearer challenge (realm and service)`);
    let realm: URL;
    try {
      realm = new URL(params.realm);
    } catch {
      throw new ContentCheckError("the registry's challenge names a realm that is not a URL");
    }
    // the AAD token goes to the registry itself, nowhere else
    if (realm.protocol !== "https:" || realm.host !== new URL(base).host) throw new ContentCheckError(`the registry's challenge asks for the Azure token to be sent to ${realm.protocol}//${realm.host}, which is not the registry; refused`);
    const aad = await options.credential.getToken(options.aadScope);
    if (!aad) throw new ContentCheckError("no Azure token for the registry's token exchange");
    const refresh = await form("exchanging the Azure token for a registry token", `${realm.origin}/oauth2/exchange`, { grant_type: "access_token", service: params.service, access_token: aad.token }, "refresh_token");
    return { origin: realm.origin, service: params.service, refresh };
  };

  const tokenFor = (repository: string): Promise<string> => {
    let token = access.get(repository);
    if (!token) {
      auth ??= signIn();
      token = auth.then((a) => form(`getting a pull token for ${repository}`, `${a.origin}/oauth2/token`, { grant_type: "refresh_token", service: a.service, scope: `repository:${repository}:pull`, refresh_token: a.refresh }, "access_token"));
      access.set(repository, token);
    }
    return token;
  };

  return {
    /** true when <repository>:<tag> or <repository>@<digest> is in the registry */
    async hasManifest(repository: string, reference: string): Promise<boolean> {
      const token = await tokenFor(repository);
      const what = `checking ${options.loginServer}/${repository}${reference.includes(":") ? "@" : ":"}${reference}`;
      const response = await send(what, `${base}/v2/${repository}/manifests/${reference}`, { method: "HEAD", headers: { authorization: `Bearer ${token}`, accept: MANIFEST_TYPES } });
      await response.body?.cancel();
      if (response.status === 200) return true;
      if (response.status === 404) return false;
      throw new ContentCheckError(`${what}: the registry answered ${response.status}${response.status === 401 || response.status === 403 ? " (not allowed to read it: the identity needs AcrPull)" : ""}`);
    },
  };
}

export type AcrContentClient = ReturnType<typeof acrContentClient>;
