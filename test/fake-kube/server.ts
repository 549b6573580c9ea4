// A local HTTPS fake of the Kubernetes API's list endpoints on 127.0.0.1, for azpol impact: see
// SPEC.md beside this file for what it promises.
import { createServer, type Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { makeCertificate } from "../fake-arm/certificate.js";

export interface FakeKubeOptions {
  token: string;
  /** objects by "<group>/<plural>" ("" group for core), as stored (with apiVersion and kind) */
  objects: Record<string, Record<string, unknown>[]>;
  /** "<group>/<plural>" the token may not list (403 Forbidden) */
  forbidden?: string[];
  /** "<group>/<plural>" whose lists are accepted and never answered (an API server that hangs) */
  silent?: string[];
}

const RESOURCES: Record<string, { group: string; version: string; kind: string }> = {
  namespaces: { group: "", version: "v1", kind: "Namespace" },
  pods: { group: "", version: "v1", kind: "Pod" },
  podtemplates: { group: "", version: "v1", kind: "PodTemplate" },
  replicationcontrollers: { group: "", version: "v1", kind: "ReplicationController" },
  deployments: { group: "apps", version: "v1", kind: "Deployment" },
  statefulsets: { group: "apps", version: "v1", kind: "StatefulSet" },
  daemonsets: { group: "apps", version: "v1", kind: "DaemonSet" },
  replicasets: { group: "apps", version: "v1", kind: "ReplicaSet" },
  jobs: { group: "batch", version: "v1", kind: "Job" },
  cronjobs: { group: "batch", version: "v1", kind: "CronJob" },
};

export class FakeKube {
  readonly cert: string;
  private readonly key: string;
  private server: Server | undefined;
  readonly requests: { path: string; query: string; status: number }[] = [];
  /** silent requests whose client closed the connection (an aborted call), by path */
  readonly closedByClient: string[] = [];
  endpoint = "";

  constructor(readonly options: FakeKubeOptions) {
    ({ cert: this.cert, key: this.key } = makeCertificate());
  }

  async start(): Promise<void> {
    this.server = createServer({ cert: this.cert, key: this.key }, (req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    this.endpoint = `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** A kubeconfig for this server: its CA, a bearer token, one context. */
  kubeconfig(context = "fake"): string {
    return JSON.stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: "fake", cluster: { server: this.endpoint, "certificate-authority-data": Buffer.from(this.cert).toString("base64") } }],
      users: [{ name: "dev", user: { token: this.options.token } }],
      contexts: [{ name: context, context: { cluster: "fake", user: "dev" } }],
      "current-context": context,
    });
  }

  private status(res: ServerResponse, code: number, reason: string, message: string, details?: Record<string, string>): void {
    res.writeHead(code, { "content-type": "application/json" });
    res.end(JSON.stringify({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, ...(details ? { details } : {}), code }));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const [path = "", query = ""] = (req.url ?? "").split("?");
    const record = (status: number) => this.requests.push({ path, query, status });
    if (req.headers.authorization !== `Bearer ${this.options.token}`) {
      record(401);
      return this.status(res, 401, "Unauthorized", "Unauthorized");
    }
    const m = /^\/(?:api\/v1|apis\/(apps|batch)\/v1)\/([a-z]+)$/.exec(path);
    const resource = m ? RESOURCES[m[2] ?? ""] : undefined;
    if (req.method !== "GET" || !m || !resource || resource.group !== (m[1] ?? "")) {
      record(404);
      return this.status(res, 404, "NotFound", "the server could not find the requested resource");
    }
    const key = `${resource.group}/${m[2]}`;
    if (this.options.forbidden?.includes(key)) {
      record(403);
      return this.status(res, 403, "Forbidden", `${m[2]}${resource.group ? `.${resource.group}` : ""} is forbidden: User "dev" cannot list resource "${m[2]}" in API group "${resource.group}" at the cluster scope`, { group: resource.group, kind: m[2] ?? "" });
    }
    if (this.options.silent?.includes(key)) {
      record(0);
      // the client gives up by closing its socket: recorded, so a test can tell an aborted call
      // from one only raced (whose socket would stay open until stop())
      req.socket.once("close", () => this.closedByClient.push(path));
      return; // the connection stays open and nothing is sent; stop() closes it
    }
    const params = new URLSearchParams(query);
    const limit = Number(params.get("limit") ?? "0");
    const offset = Number(Buffer.from(params.get("continue") ?? "", "base64").toString() || "0");
    const all = this.options.objects[key] ?? [];
    const page = limit > 0 ? all.slice(offset, offset + limit) : all.slice(offset);
    const next = limit > 0 && offset + limit < all.length ? Buffer.from(String(offset + limit)).toString("base64") : undefined;
    record(200);
    res.writeHead(200, { "content-type": "application/json" });
    // list items carry no apiVersion or kind, as the real API sends them
    res.end(
      JSON.stringify({
        kind: `${resource.kind}List`,
        apiVersion: resource.group ? `${resource.group}/${resource.version}` : resource.version,
        metadata: { resourceVersion: "4242", ...(next ? { continue: next, remainingItemCount: all.length - offset - page.length } : {}) },
        items: page.map(({ apiVersion: _a, kind: _k, ...rest }) => rest),
      }),
    );
  }
}
