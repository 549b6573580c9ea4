// azpol impact: what the definitions would deny if assigned with effect Deny now, on the live
// cluster (kubeconfig) or on `kubectl get ... -o yaml` read from stdin.
import { POD_BEARING_KINDS } from "../core/pod-bearing-kinds.js";
import type { ParameterOverride } from "../core/parameter-override.js";
import { UsageError } from "../errors.js";
import { summarize, type ImpactSummary } from "../impact/summarize.js";
import { readManifests } from "../io/manifests.js";
import { STDIN } from "../io/read-input.js";
import { definitionPolicies } from "../pipeline/definition-policies.js";
import { namespaceIndex, reviewObjectsWithExclusions, TemplateCache } from "../rego/evaluate.js";
import type { KubeObject } from "../rego/kubernetes-object.js";
import type { ActionContext } from "./context.js";

export interface ImpactRequest {
  /** "-" reads stdin; undefined: the cluster of the kubeconfig context */
  source: string | undefined;
  definitions: string;
  overrides: ParameterOverride[];
  kubeconfig: string | undefined;
  context: string | undefined;
}

export interface ImpactOutcome {
  /** "stdin", or the cluster read */
  from: string;
  summary: ImpactSummary;
  /** kinds that could not be listed, lines that could not be read: never skipped silently */
  problems: string[];
}

export async function impact(request: ImpactRequest, ctx: ActionContext): Promise<ImpactOutcome> {
  // as if assigned with Deny now: the assignment's namespaces and values, enforcement deny
  const policies = definitionPolicies(request.definitions, request.overrides).policies.map((p) => ({ ...p, constraint: { ...p.constraint, enforcementAction: "deny" } }));
  const definitionOf = new Map(policies.map((p) => [p.constraint.name, p.definition]));
  const engine = await ctx.engine();
  const problems: string[] = [];
  let objects: KubeObject[] = [];
  let namespaces: KubeObject[];
  let from: string;
  if (request.source === STDIN) {
    const read = await readManifests(engine, STDIN, "<stdin>");
    for (const p of read.problems) problems.push(`<stdin>:${p.line}: ${p.message}`);
    const all = read.objects.map((o) => o.object);
    namespaces = all.filter((o) => o.kind === "Namespace" && (o.apiVersion ?? "v1") === "v1");
    objects = all.filter((o) => POD_BEARING_KINDS.some((k) => k.kind === o.kind));
    from = "stdin";
  } else if (request.source !== undefined) {
    throw new UsageError(`impact reads a live cluster, or '-' for stdin; to check files use azpol test ${request.source}`);
  } else {
    // @kubernetes/client-node is loaded only when a cluster is read (startup time)
    const { kubeClientPort } = await import("../impact/kube-client-port.js");
    const cluster = kubeClientPort({ kubeconfig: request.kubeconfig, context: request.context, network: ctx.net.policy });
    from = cluster.describe;
    ctx.progress(`reading workloads from ${from}...`);
    namespaces = await cluster.listNamespaces();
    for (const kind of POD_BEARING_KINDS) {
      const listed = await cluster.list(kind);
      if ("error" in listed) problems.push(`cannot list ${kind.kind}: ${listed.error}`);
      else objects.push(...listed);
    }
  }
  const reviews = await reviewObjectsWithExclusions(new TemplateCache(engine), policies, objects, { namespaces: namespaceIndex(namespaces) });
  return { from, summary: summarize(objects, reviews, (c) => definitionOf.get(c) ?? c), problems };
}
