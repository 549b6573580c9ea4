// The fake ACR's data plane (the Docker Registry HTTP API v2 the registry serves at its login
// server): the Bearer challenge on /v2/, ACR's token exchange (/oauth2/exchange, /oauth2/token) and
// manifest HEAD/GET by tag or digest over what imports put into the registry. SPEC.md beside this
// file, "Data plane", says what it promises and where each behaviour was read.
import { randomUUID } from "node:crypto";

export class FakeAcrContent {
  /** refresh tokens handed out by /oauth2/exchange */
  private readonly refreshTokens = new Set<string>();
  /** access tokens handed out by /oauth2/token → the repository they may pull */
  private readonly accessTokens = new Map<string, string>();
  /** the realm the challenge names instead of the registry's own /oauth2/token (a hostile registry) */
  realmOverride: string | undefined;

  constructor(
    /** "repo:tag" and "repo@digest" in the registry (shared with the management API's imports) */
    private readonly artifacts: Set<string>,
    private readonly loginServer: () => string,
    private readonly url: () => string,
  ) {}

  reset(): void {
    this.refreshTokens.clear();
    this.accessTokens.clear();
    this.realmOverride = undefined;
  }

  /**
   * The registry's data plane (SPEC.md "Data plane"): the Bearer challenge on /v2/, the token
   * exchange, and manifest HEAD by tag or digest over what imports left in `artifacts`.
   */
  handle(method: string, path: string, form: Record<string, string>, bearer: string | undefined): [number, unknown, Record<string, string>?] {
    const service = this.loginServer();
    const realm = this.realmOverride ?? `${this.url()}/oauth2/token`;
    const challenge = (scope?: string, error?: string) => ({ "www-authenticate": `Bearer realm="${realm}",service="${service}"${scope ? `,scope="${scope}"` : ""}${error ? `,error="${error}"` : ""}` });
    const errors = (code: string, message: string) => ({ errors: [{ code, message, detail: null }] });
    if (method === "POST" && path === "/oauth2/exchange") {
      if (form.grant_type !== "access_token") return [400, errors("UNSUPPORTED", "grant_type must be access_token")];
      if (form.service !== service) return [400, errors("INVALID", `service must be ${service}`)];
      if (!form.access_token) return [401, errors("UNAUTHORIZED", "access_token is required")];
      const refresh = `acr-refresh-${randomUUID()}`;
      this.refreshTokens.add(refresh);
      return [200, { refresh_token: refresh }];
    }
    if (method === "POST" && path === "/oauth2/token") {
      if (form.grant_type !== "refresh_token" || !form.refresh_token || !this.refreshTokens.has(form.refresh_token)) return [401, errors("UNAUTHORIZED", "invalid refresh token")];
      if (form.service !== service) return [400, errors("INVALID", `service must be ${service}`)];
      const repo = /^repository:([^:]+):pull$/.exec(form.scope ?? "")?.[1];
      if (!repo) return [400, errors("INVALID", "scope must be repository:<name>:pull")];
      const access = `acr-access-${randomUUID()}`;
      this.accessTokens.set(access, repo);
      return [200, { access_token: access }];
    }
    if ((method === "GET" || method === "HEAD") && path === "/v2/") return [401, errors("UNAUTHORIZED", "authentication required"), challenge()];
    const manifest = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(path);
    if ((method === "GET" || method === "HEAD") && manifest) {
      const [, repo = "", reference = ""] = manifest;
      const scope = `repository:${repo}:pull`;
      if (!bearer || !this.accessTokens.has(bearer)) return [401, errors("UNAUTHORIZED", "authentication required"), challenge(scope)];
      if (this.accessTokens.get(bearer) !== repo) return [401, errors("UNAUTHORIZED", "insufficient scope"), challenge(scope, "insufficient_scope")];
      const key = reference.startsWith("sha256:") ? `${repo}@${reference}` : `${repo}:${reference}`;
      if (!this.artifacts.has(key)) return [404, errors("MANIFEST_UNKNOWN", "manifest unknown")];
      const digest = reference.startsWith("sha256:") ? reference : `sha256:${"0".repeat(64)}`;
      return [200, undefined, { "docker-content-digest": digest, "content-type": "application/vnd.oci.image.index.v1+json" }];
    }
    return [404, errors("NAME_UNKNOWN", `no route for ${method} ${path}`)];
  }
}
