// A local HTTPS fake of the ACR management API (Microsoft.ContainerRegistry, api-version
// 2025-11-01) on 127.0.0.1: registries list, cache rules, credential sets and importImage, with the
// long-running operations, throttling and ARM error bodies the real service uses. SPEC.md beside
// this file says what it promises and where each behaviour was read.
import { randomUUID } from "node:crypto";
import type { Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import { closeTls, listenTls } from "../fake-arm/tls-listener.js";
import { makeCertificate } from "../fake-arm/certificate.js";
import { FakeAcrContent } from "./content.js";
import { FakeCredentialSets } from "./credential-sets.js";
import { Failure } from "./failure.js";

export const ACR_API_VERSIONS = ["2025-11-01"];

export interface FakeRegistry {
  subscription: string;
  resourceGroup: string;
  name: string;
  location: string;
}

export interface AcrFault {
  method?: string;
  path?: RegExp;
  status: number;
  code: string;
  message?: string;
  retryAfter?: string;
  times?: number;
}

export interface AcrRequest {
  method: string;
  path: string;
  query: string;
  status: number;
  authorization: boolean;
  /** the bearer token sent, if any (to prove the Azure token goes to the token exchange only) */
  bearer: string | undefined;
  /** the form fields of a token request (the data plane's /oauth2/exchange and /oauth2/token) */
  form?: Record<string, string>;
}

interface CacheRule {
  name: string;
  sourceRepository: string;
  targetRepository: string;
  credentialSetResourceId?: string;
  creationDate: string;
  provisioningState: string;
}

interface Operation {
  /** polls answered "InProgress" before the outcome */
  left: number;
  outcome: () => void;
  error?: { code: string; message: string };
}


const RULE_NAME = /^[a-zA-Z0-9-]{5,50}$/;

export class FakeAcr {
  readonly requests: AcrRequest[] = [];
  readonly cert: string;
  private readonly key: string;
  readonly cacheRules = new Map<string, CacheRule>();
  /** credential sets, by lower-case name (tests seed them, or azpol creates them) */
  readonly sets = new FakeCredentialSets(() => this.registryId, (done) => this.startOperation("credentialsets", done));
  get credentialSets() {
    return this.sets.all;
  }
  /** "repo:tag" and "repo@digest" in the registry, after imports */
  readonly artifacts = new Set<string>();
  private readonly operations = new Map<string, Operation>();
  /** the registry's data plane (/v2/, /oauth2/), over the same artifacts */
  readonly content = new FakeAcrContent(this.artifacts, () => this.loginServer, () => this.url);
  private faults: (AcrFault & { left: number })[] = [];
  private server: Server | undefined;
  private url = "";

  constructor(
    readonly registry: FakeRegistry,
    /** what the upstreams serve ("registry.k8s.io/pause:3.9", "quay.io/x@sha256:..."); an import of anything else fails */
    readonly upstream: string[] = [],
  ) {
    const { cert, key } = makeCertificate();
    this.cert = cert;
    this.key = key;
  }

  get endpoint(): string {
    return this.url;
  }

  get loginServer(): string {
    return `${this.registry.name}.azurecr.io`;
  }

  get registryId(): string {
    const r = this.registry;
    return `/subscriptions/${r.subscription}/resourceGroups/${r.resourceGroup}/providers/Microsoft.ContainerRegistry/registries/${r.name}`;
  }

  async start(): Promise<string> {
    ({ server: this.server, url: this.url } = await listenTls(this.cert, this.key, (req, res) => void this.handle(req, res)));
    return this.url;
  }

  async stop(): Promise<void> {
    await closeTls(this.server);
  }

  fault(f: AcrFault): void {
    this.faults.push({ ...f, left: f.times ?? 1 });
  }

  reset(): void {
    this.cacheRules.clear();
    this.credentialSets.clear();
    this.artifacts.clear();
    this.operations.clear();
    this.content.reset();
    this.faults = [];
    this.requests.length = 0;
  }

  writes(): AcrRequest[] {
    return this.requests.filter((r) => r.method === "PUT" || r.method === "DELETE" || (r.method === "POST" && r.path.endsWith("/importImage")));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let raw = "";
    try {
      for await (const chunk of req) raw += String(chunk);
    } catch {
      return;
    }
    const [rawPath = "", query = ""] = (req.url ?? "").split("?");
    const path = decodeURIComponent(rawPath);
    const method = req.method ?? "GET";
    const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? "")?.[1];
    const dataPlane = /^\/(v2|oauth2)\//.test(path);
    const form = dataPlane && method === "POST" ? Object.fromEntries(new URLSearchParams(raw)) : undefined;
    const record = (status: number) => this.requests.push({ method, path, query, status, authorization: bearer !== undefined, bearer, ...(form ? { form } : {}) });
    const fault = this.faults.find((f) => f.left > 0 && (!f.method || f.method === method) && (!f.path || f.path.test(path)));
    if (fault) {
      fault.left--;
      record(fault.status);
      const message = fault.message ?? `injected ${fault.code}`;
      // the data plane's errors are the distribution spec's {"errors": [...]}, ARM's are {"error": {...}}
      this.send(res, fault.status, dataPlane ? { errors: [{ code: fault.code, message }] } : { error: { code: fault.code, message } }, fault.retryAfter !== undefined ? { "retry-after": fault.retryAfter } : {});
      return;
    }
    if (dataPlane) {
      const [status, body, headers] = this.content.handle(method, path, form ?? {}, bearer);
      record(status);
      this.send(res, status, method === "HEAD" ? undefined : body, headers);
      return;
    }
    try {
      const [status, body, headers] = this.route(method, path, new URLSearchParams(query), raw, req.headers.authorization);
      record(status);
      this.send(res, status, body, headers);
    } catch (e) {
      const f = e instanceof Failure ? e : new Failure(500, "InternalServerError", String(e));
      record(f.status);
      this.send(res, f.status, { error: { code: f.code, message: f.message } });
    }
  }

  private send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { "content-type": "application/json; charset=utf-8", "x-ms-request-id": randomUUID(), "x-ms-correlation-request-id": randomUUID(), ...headers });
    res.end(body === undefined ? "" : JSON.stringify(body));
  }

  private route(method: string, path: string, params: URLSearchParams, raw: string, authorization: string | undefined): [number, unknown, Record<string, string>?] {
    if (!authorization) throw new Failure(401, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.");
    if (!/^Bearer \S+$/.test(authorization)) throw new Failure(401, "InvalidAuthenticationToken", "The access token is invalid.");
    const apiVersion = params.get("api-version");
    if (!apiVersion) throw new Failure(400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.");
    if (!ACR_API_VERSIONS.includes(apiVersion)) throw new Failure(400, "InvalidApiVersionParameter", `The api-version '${apiVersion}' is invalid. The supported versions are '${ACR_API_VERSIONS.join(",")}'.`);
    const r = this.registry;
    const sub = `/subscriptions/${r.subscription}`.toLowerCase();
    const lower = path.toLowerCase();
    if (!lower.startsWith(`${sub}/`)) throw new Failure(404, "SubscriptionNotFound", `The subscription '${path.split("/")[2] ?? ""}' could not be found.`);
    if (method === "GET" && lower === `${sub}/providers/microsoft.containerregistry/registries`) return [200, { value: [this.registryResource()] }];
    const op = /\/operationStatuses\/([^/]+)$/i.exec(path);
    if (method === "GET" && op) return this.poll(op[1] ?? "", lower.includes("/operationresults/"));
    const base = this.registryId.toLowerCase();
    if (!lower.startsWith(base)) {
      if (/\/providers\/microsoft\.containerregistry\/registries\/[^/]+/.test(lower)) throw new Failure(404, "ResourceNotFound", `The Resource 'Microsoft.ContainerRegistry/registries/${path.split("/")[8] ?? ""}' under resource group '${path.split("/")[4] ?? ""}' was not found.`);
      throw new Failure(404, "InvalidResourceType", `The resource type could not be found for path '${path}'.`);
    }
    const rest = path.slice(base.length);
    if (method === "POST" && /^\/importImage$/i.test(rest)) return this.importImage(raw);
    let m: RegExpExecArray | null;
    if ((m = /^\/cacheRules(?:\/([^/]+))?$/i.exec(rest))) return this.cacheRule(method, m[1], raw);
    if ((m = /^\/credentialSets(?:\/([^/]+))?$/i.exec(rest))) return this.sets.handle(method, m[1], raw, this.url);
    throw new Failure(404, "InvalidResourceType", `The resource type could not be found for path '${path}'.`);
  }

  private registryResource(): unknown {
    const r = this.registry;
    return { id: this.registryId, name: r.name, type: "Microsoft.ContainerRegistry/registries", location: r.location, sku: { name: "Premium", tier: "Premium" }, properties: { loginServer: `${r.name}.azurecr.io`, provisioningState: "Succeeded", adminUserEnabled: false } };
  }

  private ruleResource(rule: CacheRule): unknown {
    const { name, ...properties } = rule;
    return { id: `${this.registryId}/cacheRules/${name}`, name, type: "Microsoft.ContainerRegistry/registries/cacheRules", properties };
  }

  /** Starts a long-running operation; its status URL answers InProgress `polls` times, then the outcome. */
  private startOperation(kind: "cacherules" | "registries" | "credentialsets", outcome: () => void, error?: { code: string; message: string }): string {
    const id = `${kind}-${randomUUID()}`;
    this.operations.set(id, { left: 1, outcome, ...(error ? { error } : {}) });
    return id;
  }

  private poll(id: string, location: boolean): [number, unknown, Record<string, string>?] {
    const op = this.operations.get(id);
    if (!op) throw new Failure(404, "OperationNotFound", `The operation '${id}' was not found.`);
    const retry = { "retry-after": "0" };
    if (op.left > 0) {
      op.left--;
      // Location polling: 202 while running (ARM async operations guideline); Azure-AsyncOperation: a status body
      return location ? [202, undefined, { ...retry, location: `${this.url}${this.locationPath(id)}` }] : [200, { id, status: "InProgress" }, retry];
    }
    if (op.error) return location ? [400, { error: op.error }] : [200, { id, status: "Failed", error: op.error }];
    op.outcome();
    return location ? [200, undefined] : [200, { id, status: "Succeeded" }];
  }

  private locationPath(id: string): string {
    return `/subscriptions/${this.registry.subscription}/resourceGroups/${this.registry.resourceGroup}/providers/Microsoft.ContainerRegistry/locations/${this.registry.location}/operationResults/operationStatuses/${id}?api-version=${ACR_API_VERSIONS[0]}`;
  }

  private cacheRule(method: string, name: string | undefined, raw: string): [number, unknown, Record<string, string>?] {
    if (name === undefined) {
      if (method !== "GET") throw new Failure(405, "MethodNotAllowed", `${method} is not supported on the cacheRules collection.`);
      return [200, { value: [...this.cacheRules.values()].map((c) => this.ruleResource(c)) }];
    }
    const key = name.toLowerCase();
    const existing = this.cacheRules.get(key);
    if (method === "GET") {
      if (!existing) throw new Failure(404, "ResourceNotFound", `The cache rule '${name}' was not found.`);
      return [200, this.ruleResource(existing)];
    }
    if (method === "DELETE") {
      if (!existing) return [204, undefined];
      const id = this.startOperation("cacherules", () => this.cacheRules.delete(key));
      return [202, undefined, { location: `${this.url}${this.locationPath(id)}` }];
    }
    if (method !== "PUT") throw new Failure(405, "MethodNotAllowed", `${method} is not supported on cache rules.`);
    if (!RULE_NAME.test(name)) throw new Failure(400, "InvalidParameter", `The cache rule name '${name}' is invalid: use 5-50 letters, digits and '-'.`);
    let body: { properties?: { sourceRepository?: unknown; targetRepository?: unknown; credentialSetResourceId?: unknown } };
    try {
      body = JSON.parse(raw) as typeof body;
    } catch {
      throw new Failure(400, "InvalidRequestContent", "The request content was invalid and could not be deserialized.");
    }
    const p = body.properties ?? {};
    if (typeof p.sourceRepository !== "string" || typeof p.targetRepository !== "string") throw new Failure(400, "InvalidParameter", "properties.sourceRepository and properties.targetRepository are required.");
    const clash = [...this.cacheRules.values()].find((c) => c.name.toLowerCase() !== key && c.targetRepository === p.targetRepository);
    if (clash) throw new Failure(409, "Conflict", `The target repository '${p.targetRepository}' is already used by the cache rule '${clash.name}'.`);
    const rule: CacheRule = { name, sourceRepository: p.sourceRepository, targetRepository: p.targetRepository, ...(typeof p.credentialSetResourceId === "string" ? { credentialSetResourceId: p.credentialSetResourceId } : {}), creationDate: existing?.creationDate ?? new Date().toISOString(), provisioningState: "Creating" };
    const id = this.startOperation("cacherules", () => this.cacheRules.set(key, { ...rule, provisioningState: "Succeeded" }));
    this.cacheRules.set(key, rule);
    const asyncOp = `${this.url}${this.registryId}/cacheRules/${name}/operationStatuses/${id}?api-version=${ACR_API_VERSIONS[0]}`;
    return [existing ? 200 : 201, this.ruleResource(rule), { "azure-asyncoperation": asyncOp }];
  }

  private importImage(raw: string): [number, unknown, Record<string, string>?] {
    let body: { source?: { registryUri?: string; sourceImage?: string }; targetTags?: string[]; untaggedTargetRepositories?: string[]; mode?: string };
    try {
      body = JSON.parse(raw) as typeof body;
    } catch {
      throw new Failure(400, "InvalidRequestContent", "The request content was invalid and could not be deserialized.");
    }
    const source = body.source;
    if (!source?.sourceImage) throw new Failure(400, "InvalidParameter", "source.sourceImage is required.");
    const from = `${source.registryUri ?? ""}/${source.sourceImage}`;
    const tags = body.targetTags ?? [];
    const untagged = body.untaggedTargetRepositories ?? [];
    if (tags.length === 0 && untagged.length === 0) throw new Failure(400, "InvalidParameter", "targetTags or untaggedTargetRepositories is required.");
    // NoForce and a target tag already there: the request is accepted and the operation fails
    // (azure-cli PR #10938 shows az reporting "Operation registries-… failed. … Tag hello-world:v3
    // already exists in target registry."); the error code is not shown there (unconfirmed)
    const there = (body.mode ?? "NoForce") === "NoForce" ? tags.find((t) => this.artifacts.has(t)) : undefined;
    const digest = /@(sha256:[0-9a-f]{64})$/.exec(from)?.[1];
    const error = there ? { code: "Conflict", message: `Tag ${there} already exists in target registry.` } : this.upstream.includes(from) ? undefined : { code: "InvalidParameter", message: `The source image ${from} does not exist.` };
    const id = this.startOperation("registries", () => {
      for (const t of tags) this.artifacts.add(t);
      // a manifest imported by digest is there by digest too, under each repository it landed in
      if (digest) for (const repo of [...untagged, ...tags.map((t) => t.replace(/:[^/:]+$/, ""))]) this.artifacts.add(`${repo}@${digest}`);
    }, error);
    return [202, undefined, { location: `${this.url}${this.locationPath(id)}` }];
  }
}
