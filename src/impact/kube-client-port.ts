// ClusterPort on @kubernetes/client-node: the user's kubeconfig (KUBECONFIG or ~/.kube/config, or
// --kubeconfig) and context, paged lists (limit/continue) across all namespaces. Objects come back
// as the API sent them (JSON round trip of the client's models), with apiVersion and kind set,
// which list items leave out.
import { AppsV1Api, BatchV1Api, CoreV1Api, KubeConfig, Observable, type ConfigurationOptions, type RequestContext, type ResponseContext } from "@kubernetes/client-node";
import type { PodBearingKind } from "../core/pod-bearing-kinds.js";
import { AzpolError, ExitCode, UsageError } from "../errors.js";
import { NetworkTimeout, withinPolicy, type NetworkPolicy } from "../net/network-policy.js";
import type { KubeObject } from "../rego/kubernetes-object.js";
import type { ClusterPort } from "./cluster-port.js";

type Page = { items: unknown[]; metadata?: { _continue?: string } };
type Lister = (args: { limit: number; _continue?: string }, options?: ConfigurationOptions) => Promise<Page>;

const PAGE = 500;

async function all(list: Lister, apiVersion: string, kind: string): Promise<KubeObject[]> {
  const out: KubeObject[] = [];
  let next: string | undefined;
  do {
    const page = await list({ limit: PAGE, ...(next ? { _continue: next } : {}) });
    for (const item of page.items) out.push({ ...(JSON.parse(JSON.stringify(item)) as KubeObject), apiVersion, kind });
    next = page.metadata?._continue || undefined;
  } while (next);
  return out;
}

function reason(e: unknown): string {
  const code = (e as { code?: unknown }).code;
  const body = (e as { body?: unknown }).body;
  const message = typeof body === "string" ? (() => { try { return (JSON.parse(body) as { message?: string }).message; } catch { return body; } })() : (body as { message?: string } | undefined)?.message;
  return `${typeof code === "number" ? `HTTP ${code}: ` : ""}${message ?? (e instanceof Error ? e.message : String(e))}`;
}

/**
 * The request never got an HTTP answer: refused, no such host, reset, a TLS failure. client-node
 * 1.3 fetches with node-fetch, whose FetchError carries the system error's string code
 * (ECONNREFUSED, ENOTFOUND, DEPTH_ZERO_SELF_SIGNED_CERT) and type "system"; an HTTP answer is an
 * ApiException with the numeric status as its code.
 */
function unanswered(e: unknown): boolean {
  const { code, type } = e as { code?: unknown; type?: unknown };
  return type === "system" || (typeof code === "string" && code !== "");
}

// What loadFromDefault falls back to when it finds no kubeconfig (no KUBECONFIG, no
// ~/.kube/config, not in a pod): @kubernetes/client-node 1.3 config.js loadFromDefault ends with
// loadFromClusterAndUser({name: "cluster", server: "http://localhost:8080"}, {name: "user"}),
// whose context is "loaded-context". Reading it as a cluster only says "HTTP protocol is not allowed".
function isNoKubeconfigFallback(kc: KubeConfig): boolean {
  const cluster = kc.getCurrentCluster();
  return kc.getCurrentContext() === "loaded-context" && kc.getContexts().length === 1 && cluster?.name === "cluster" && cluster.server === "http://localhost:8080";
}

const NO_KUBECONFIG =
  "no kubeconfig found (KUBECONFIG is not set and ~/.kube/config does not exist): pass --kubeconfig <file> (and --context <name>), " +
  "or read objects from kubectl instead: kubectl get pods,podtemplates,replicationcontrollers,deployments,statefulsets,daemonsets,replicasets,jobs,cronjobs,namespaces -A -o yaml | azpol impact -";

export function kubeClientPort(options: { kubeconfig?: string | undefined; context?: string | undefined; network: NetworkPolicy }): ClusterPort {
  const kc = new KubeConfig();
  try {
    if (options.kubeconfig) kc.loadFromFile(options.kubeconfig);
    else kc.loadFromDefault();
  } catch (e) {
    throw new UsageError(`cannot read the kubeconfig: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!options.kubeconfig && isNoKubeconfigFallback(kc)) throw new UsageError(NO_KUBECONFIG);
  if (options.context) {
    if (!kc.getContexts().some((c) => c.name === options.context)) throw new UsageError(`--context ${JSON.stringify(options.context)} is not in the kubeconfig (contexts: ${kc.getContexts().map((c) => c.name).join(", ") || "none"})`);
    kc.setCurrentContext(options.context);
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new UsageError("the kubeconfig has no current context; pass --context");
  const core = kc.makeApiClient(CoreV1Api);
  const apps = kc.makeApiClient(AppsV1Api);
  const batch = kc.makeApiClient(BatchV1Api);
  // every page is one request under the network policy: an API server that accepts the connection
  // and never answers times out. client-node 1.3 passes no AbortSignal to its fetch, but it makes
  // one https.Agent per request (KubeConfig.applySecurityAuthentication → createAgent) and runs
  // per-call middleware after that: the middleware destroys that agent when the policy aborts the
  // call, which destroys its socket, so the request is really aborted, not only no longer awaited.
  const abortWith = (signal: AbortSignal): ConfigurationOptions => ({
    middleware: [
      {
        pre: (ctx: RequestContext) => {
          const agent = ctx.getAgent() as { destroy?: () => void } | undefined;
          if (signal.aborted) agent?.destroy?.();
          else signal.addEventListener("abort", () => agent?.destroy?.(), { once: true });
          return new Observable(Promise.resolve(ctx));
        },
        post: (rsp: ResponseContext) => new Observable(Promise.resolve(rsp)),
      },
    ],
    middlewareMergeStrategy: "append",
  });
  const bounded = (list: Lister, what: string): Lister => (a) => withinPolicy(options.network, `listing ${what} from ${cluster.server}`, (signal) => list(a, abortWith(signal)));
  // no answer at all (timed out, refused, unreachable) ends the run with exit 3: nothing can be read
  const unreachable = (e: unknown, what: string): AzpolError | undefined => {
    if (e instanceof NetworkTimeout) return new AzpolError("ClusterTimeout", e.message, ExitCode.Azure);
    if (unanswered(e)) return new AzpolError("ClusterUnreachable", `cannot reach the cluster at ${cluster.server} (listing ${what}): ${reason(e)}; check the kubeconfig's server and your network (kubectl --context ${kc.getCurrentContext()} get ns)`, ExitCode.Azure, { cause: e });
    return undefined;
  };
  const listers: Record<string, Lister> = {
    Pod: (a, o) => core.listPodForAllNamespaces(a, o),
    PodTemplate: (a, o) => core.listPodTemplateForAllNamespaces(a, o),
    ReplicationController: (a, o) => core.listReplicationControllerForAllNamespaces(a, o),
    Deployment: (a, o) => apps.listDeploymentForAllNamespaces(a, o),
    StatefulSet: (a, o) => apps.listStatefulSetForAllNamespaces(a, o),
    DaemonSet: (a, o) => apps.listDaemonSetForAllNamespaces(a, o),
    ReplicaSet: (a, o) => apps.listReplicaSetForAllNamespaces(a, o),
    Job: (a, o) => batch.listJobForAllNamespaces(a, o),
    CronJob: (a, o) => batch.listCronJobForAllNamespaces(a, o),
  };
  return {
    describe: `context ${kc.getCurrentContext()} (${cluster.server})`,
    async listNamespaces() {
      try {
        return await all(bounded((a, o) => core.listNamespace(a, o), "namespaces"), "v1", "Namespace");
      } catch (e) {
        const failed = unreachable(e, "namespaces");
        if (failed) throw failed;
        // an HTTP answer (401, 403): the cluster refused; a config error (an http:// server) is the user's to fix
        if (typeof (e as { code?: unknown }).code === "number") throw new AzpolError("ClusterError", `the cluster at ${cluster.server} refused to list namespaces: ${reason(e)}`, ExitCode.Azure, { cause: e });
        throw new UsageError(`cannot list namespaces in ${cluster.server}: ${reason(e)}`);
      }
    },
    async list(kind: PodBearingKind) {
      const lister = listers[kind.kind];
      if (!lister) return { error: `azpol cannot list ${kind.kind}` };
      try {
        return await all(bounded(lister, kind.kind), kind.group ? `${kind.group}/${kind.version}` : kind.version, kind.kind);
      } catch (e) {
        const failed = unreachable(e, kind.kind);
        if (failed) throw failed;
        return { error: reason(e) };
      }
    },
  };
}
