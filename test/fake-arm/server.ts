// A local HTTPS fake of the ARM policy API on 127.0.0.1, faithful enough to catch client
// bugs: see SPEC.md beside this file for the behaviour it promises.
import { randomUUID } from "node:crypto";
import type { Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import { closeTls, listenTls } from "./tls-listener.js";
import { makeCertificate } from "./certificate.js";
import { subscriptionRoute, unauthenticatedRoute } from "./client-endpoints.js";
import { policyInsightsRoute, type FakeCompliance } from "./policy-insights.js";
import { resourceGraphRoute } from "./resource-graph.js";
import { setAndExemptionRoute } from "./sets-and-exemptions.js";
import { definitionAndAssignmentRoute } from "./definitions-and-assignments.js";
import { builtInRoute } from "./built-ins.js";
import { checkScope, definitionCovers, page, stamp, type ScopeWorld } from "./scope-rules.js";
import { ArmFailure, type RouteContext, type Stored } from "./store.js";
export { ArmFailure, type Stored } from "./store.js";

/**
 * Policy api-versions the fake serves: azpol's SDK (@azure/arm-policy 7.0.1: 2025-03-01), azure-cli
 * 2.91 and the azurerm provider (2021-06-01 / 2022-06-01 definitions and assignments) and ARM
 * template deployments of the emitted templates.
 */
export const POLICY_API_VERSIONS = ["2025-03-01", "2025-11-01", "2025-01-01", "2024-05-01", "2023-04-01", "2022-06-01", "2021-06-01"];
/** Subscription and tenant reads (azure-cli's SubscriptionClient, azurerm, azpol's subscription lookup). */
export const SUBSCRIPTION_API_VERSIONS = ["2016-06-01", "2020-01-01", "2021-01-01", "2022-09-01", "2022-12-01"];

/** subscriptions (others answer SubscriptionNotFound), management groups, resource groups, page size: scope-rules.ts */
export interface FakeArmOptions extends ScopeWorld {
  apiVersions?: string[];
  /** added before every response, to model a remote service */
  latencyMs?: number;
  /** built-in definitions by name (tenant level, read-only), as ARM serves them */
  builtIns?: Record<string, Record<string, unknown>>;
  /** Resource Graph: rows per page (default 1000) and queries allowed before a 429 (default: no limit) */
  resourceGraphPageSize?: number;
  resourceGraphQuota?: number | undefined;
}

export interface Fault {
  method?: string;
  /** tested against the decoded path */
  path?: RegExp;
  status: number;
  code: string;
  message?: string;
  retryAfter?: string;
  /** "reset" destroys the socket instead of answering; "hang" accepts and never answers (until close) */
  kind?: "error" | "reset" | "hang";
  times?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: string;
  status: number;
  authorization: boolean;
}

export class FakeArm {
  readonly requests: RecordedRequest[] = [];
  /** what Policy Insights reports per assignment id (lowercase); policy-insights.ts */
  readonly compliance = new Map<string, FakeCompliance>();
  readonly cert: string;
  private readonly key: string;
  private readonly store = new Map<string, Stored>();
  private faults: (Fault & { left: number })[] = [];
  private readonly graphQuota = { limit: undefined as number | undefined, used: 0 };
  private server: Server | undefined;
  private url = "";
  options: FakeArmOptions;

  constructor(options: FakeArmOptions) {
    this.options = options;
    const { cert, key } = makeCertificate();
    this.cert = cert;
    this.key = key;
  }

  get endpoint(): string {
    return this.url;
  }

  async start(): Promise<string> {
    ({ server: this.server, url: this.url } = await listenTls(this.cert, this.key, (req, res) => void this.handle(req, res)));
    return this.url;
  }

  async stop(): Promise<void> {
    await closeTls(this.server);
  }

  /** Queue a fault for matching requests (once, unless `times`). */
  fault(f: Fault): void {
    this.faults.push({ ...f, left: f.times ?? 1 });
  }

  reset(): void {
    this.store.clear();
    this.compliance.clear();
    this.faults = [];
    this.graphQuota.used = 0;
    this.requests.length = 0;
  }

  /** Resource as stored (ids are case-insensitive). */
  get(id: string): Stored | undefined {
    return this.store.get(id.toLowerCase());
  }

  all(type: "policyDefinitions" | "policyAssignments" | "policySetDefinitions" | "policyExemptions"): Stored[] {
    return [...this.store.values()].filter((r) => r.type === `Microsoft.Authorization/${type}`);
  }

  writes(): RecordedRequest[] {
    return this.requests.filter((r) => r.method === "PUT" || r.method === "DELETE");
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let raw = "";
    try {
      for await (const chunk of req) raw += String(chunk);
    } catch {
      return; // the client went away mid-request
    }
    // never new URL(req.url, base): a path starting with "//" would parse as a host
    const [rawPath = "", query = ""] = (req.url ?? "").split("?");
    const path = decodeURIComponent(rawPath);
    const method = req.method ?? "GET";
    const record = (status: number) =>
      this.requests.push({ method, path, query, status, authorization: /^Bearer \S+$/.test(req.headers.authorization ?? "") });
    if (this.options.latencyMs) await new Promise((r) => setTimeout(r, this.options.latencyMs));

    const fault = this.faults.find((f) => f.left > 0 && (!f.method || f.method === method) && (!f.path || f.path.test(path)));
    if (fault) {
      fault.left--;
      record(fault.kind === "reset" ? 0 : fault.status);
      if (fault.kind === "reset") {
        req.socket.destroy();
        return;
      }
      if (fault.kind === "hang") return; // the socket stays open; stop() destroys it
      const headers: Record<string, string> = fault.retryAfter !== undefined ? { "retry-after": fault.retryAfter } : {};
      this.send(res, fault.status, { error: { code: fault.code, message: fault.message ?? `injected ${fault.code}` } }, headers);
      return;
    }
    try {
      const ctx = { endpoint: this.url, subscriptions: this.options.subscriptions };
      const [status, body, headers] = unauthenticatedRoute(method, path, new URLSearchParams(query), req.headers, raw, ctx) ?? this.route(method, path, query, raw, req.headers.authorization);
      record(status);
      this.send(res, status, body, headers);
    } catch (e) {
      const f = e instanceof ArmFailure ? e : new ArmFailure(500, "InternalServerError", String(e));
      record(f.status);
      this.send(res, f.status, { error: { code: f.code, message: f.message } });
    }
  }

  private send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { "content-type": "application/json; charset=utf-8", "x-ms-request-id": randomUUID(), "x-ms-correlation-request-id": randomUUID(), ...headers });
    res.end(body === undefined ? "" : JSON.stringify(body));
  }

  private route(method: string, path: string, query: string, raw: string, authorization: string | undefined): [number, unknown, Record<string, string>?] {
    if (!authorization) throw new ArmFailure(401, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.");
    if (!/^Bearer \S+$/.test(authorization)) throw new ArmFailure(401, "InvalidAuthenticationToken", "The access token is invalid.");
    const params = new URLSearchParams(query);
    const apiVersion = params.get("api-version");
    if (!apiVersion) throw new ArmFailure(400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.");
    if (path.startsWith("//")) throw new ArmFailure(400, "InvalidRequestUri", `The request URI '${path}' is not valid: it has an empty segment.`);
    this.graphQuota.limit = this.options.resourceGraphQuota;
    const graph = resourceGraphRoute(method, path, params, raw, { compliance: this.compliance, subscriptions: this.options.subscriptions, managementGroups: this.options.managementGroups ?? {}, pageSize: this.options.resourceGraphPageSize ?? 1000, quota: this.graphQuota });
    if (graph) return graph;
    const insights = policyInsightsRoute(method, path, params, this.compliance);
    if (insights) return insights;
    const setsOrExemptions = setAndExemptionRoute(method, path, params, raw, this.context());
    if (setsOrExemptions) return setsOrExemptions;
    const subscriptionRead = subscriptionRoute(method, path, { endpoint: this.url, subscriptions: this.options.subscriptions });
    if (subscriptionRead) {
      if (!SUBSCRIPTION_API_VERSIONS.includes(apiVersion)) throw new ArmFailure(400, "InvalidApiVersionParameter", `The api-version '${apiVersion}' is invalid. The supported versions are '${SUBSCRIPTION_API_VERSIONS.join(",")}'.`);
      return subscriptionRead;
    }
    const versions = this.options.apiVersions ?? POLICY_API_VERSIONS;
    if (!versions.includes(apiVersion)) throw new ArmFailure(400, "InvalidApiVersionParameter", `The api-version '${apiVersion}' is invalid. The supported versions are '${versions.join(",")}'.`);
    const builtIn = builtInRoute(method, path, this.options.builtIns ?? {});
    if (builtIn) return builtIn;
    const resource = definitionAndAssignmentRoute(method, path, params, raw, this.context());
    if (resource) return resource;
    throw new ArmFailure(404, "InvalidResourceType", `The resource type could not be found for path '${path}'.`);
  }

  /** What the resource routes share: the store, scope checks, stamps and paging. */
  private context(): RouteContext {
    return {
      store: this.store,
      all: (type) => this.all(type),
      checkScope: (scope, type) => checkScope(this.options, scope, type),
      stamp,
      covers: (outer, inner) => definitionCovers(this.options, outer, inner),
      page: (scope, type, all, p) => page(this.options, this.url, scope, type, all, p),
      policyApiVersions: this.options.apiVersions ?? POLICY_API_VERSIONS,
    };
  }
}
