// azpol impact: what the definitions would deny if assigned with effect Deny now, on the live
// cluster (kubeconfig) or on `kubectl get ... -o yaml` read from stdin.
import { resolve } from "node:path";
import { POD_BEARING_KINDS } from "../core/pod-bearing-kinds.js";
import type { ParameterOverride } from "../core/parameter-override.js";
import { AzpolError, UsageError } from "../errors.js";
import type { MutationModel } from "../core/mutation-model.js";
import { mutateObject } from "../rego/mutate.js";
import { summarize, type ImpactSummary } from "../impact/summarize.js";
import { parseManifests, readManifests, type ManifestRead } from "../io/manifests.js";
import { renderKustomization } from "../io/kustomization.js";
import { STDIN } from "../io/read-input.js";
import { definitionPolicies } from "../pipeline/definition-policies.js";
import { namespaceIndex, reviewObjectsWithExclusions } from "../rego/evaluate.js";
import { TemplateCache } from "../rego/template-cache.js";
import { judgeObject } from "../manifest-check/object-verdict.js";
import type { KubeObject } from "../rego/kubernetes-object.js";
import type { RegoEngine } from "../rego/engine-port.js";
import type { ActionContext } from "./context.js";

export interface ImpactRequest {
  /** "-" reads stdin; undefined: the cluster of the kubeconfig context */
  source: string | undefined;
  definitions: string;
  overrides: ParameterOverride[];
  kubeconfig: string | undefined;
  context: string | undefined;
  /** a kustomization folder: what `kubectl apply -k <dir>` would create, instead of a cluster */
  kustomize?: string;
}

export interface ImpactOutcome {
  /** "stdin", or the cluster read */
  from: string;
  summary: ImpactSummary;
  /** kinds that could not be listed, lines that could not be read: never skipped silently */
  problems: string[];
  /** objects read from stdin or -k that the API server would refuse: not judged (they would never run) */
  rejected: RejectedObject[];
  /** why what the API server rejects could not be checked (the js/wasm engine); said, never pretended */
  strictUnavailable?: string;
}

export interface RejectedObject {
  kind: string;
  namespace: string;
  name: string;
  reason: string;
}

/**
 * What the API server would refuse among objects about to be applied, as `azpol test` decides it
 * (the engine's strictValidate). An object with metadata.uid was read back from an API server,
 * which accepted it: it is not judged again (a newer server's fields would look unknown here).
 */
async function withoutRejected(engine: RegoEngine, objects: KubeObject[]): Promise<{ kept: KubeObject[]; rejected: RejectedObject[]; unavailable?: string }> {
  const fresh = objects.filter((o) => typeof (o.metadata as { uid?: unknown } | undefined)?.uid !== "string");
  if (fresh.length === 0) return { kept: objects, rejected: [] };
  const strict = await engine.strictValidate(fresh);
  if (!Array.isArray(strict)) return { kept: objects, rejected: [], unavailable: strict.error };
  const refused = new Map(fresh.flatMap((o, i) => (strict[i]?.length ? [[o, (strict[i] ?? []).join("; ")] as const] : [])));
  return {
    kept: objects.filter((o) => !refused.has(o)),
    rejected: [...refused].map(([o, reason]) => ({ kind: o.kind ?? "", namespace: o.metadata?.namespace ?? "", name: o.metadata?.name ?? o.metadata?.generateName ?? "", reason })),
  };
}

/**
 * The objects as validation would see them: mutating admission runs first, as azpol test applies
 * the Mutate definitions (rego/mutate.ts). Objects read back from a cluster are mutated too: the
 * Pods their controllers create from now on pass the mutators. One that cannot be mutated is judged
 * as read, and the run says so (a problem, exit 1), as test counts a mutation error.
 */
async function mutated(engine: RegoEngine, mutations: MutationModel[], objects: KubeObject[], namespaces: ReadonlyMap<string, KubeObject>, problems: string[]): Promise<KubeObject[]> {
  if (mutations.length === 0) return objects;
  if (!engine.gatekeeper) throw new AzpolError("UnsupportedEngine", `mutation needs the native engine (Gatekeeper's pkg/mutation is linked only there), and the js/wasm engine is in use: ${mutations.map((m) => m.name).join(", ")} cannot be applied. Install Go so npm builds the native engine, or set AZPOL_ENGINE_PATH`);
  // every object at once (the engine answers concurrently); problems in input order
  const outcomes = await Promise.all(objects.map((o) => mutateObject(engine, mutations, o, typeof o.metadata?.namespace === "string" ? namespaces.get(o.metadata.namespace) : undefined)));
  return objects.map((o, i) => {
    const m = outcomes[i];
    if (m === undefined) return o;
    if ("error" in m) {
      problems.push(`${o.kind ?? ""} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ""}${o.metadata?.name ?? ""}: the Mutate definitions could not be applied (${m.error}); judged as read`);
      return o;
    }
    return m.object;
  });
}

export async function impact(request: ImpactRequest, ctx: ActionContext): Promise<ImpactOutcome> {
  // as if assigned with Deny now: the assignment's namespaces and values, enforcement deny
  const built = definitionPolicies(request.definitions, request.overrides, ctx.files);
  const policies = built.policies.map((p) => ({ ...p, constraint: { ...p.constraint, enforcementAction: "deny" } }));
  const definitionOf = new Map(policies.map((p) => [p.constraint.name, p.definition]));
  const engine = await ctx.engine();
  const problems: string[] = [];
  let objects: KubeObject[] = [];
  let namespaces: KubeObject[];
  let from: string;
  let rejected: RejectedObject[] = [];
  let strictUnavailable: string | undefined;
  if (request.kustomize !== undefined && request.source !== undefined) throw new UsageError("impact reads one source: a cluster, '-' for stdin, or -k <dir>");
  if (request.source === STDIN || request.kustomize !== undefined) {
    const shown = request.kustomize !== undefined ? `${request.kustomize} (kustomize)` : "<stdin>";
    let read: ManifestRead;
    if (request.kustomize !== undefined) {
      const rendered = await renderKustomization(engine, resolve(ctx.files.cwd, request.kustomize));
      read = "error" in rendered ? { objects: [], problems: [{ file: shown, document: 0, line: 1, message: rendered.error }] } : await parseManifests(engine, shown, rendered.yaml);
    } else read = await readManifests(engine, STDIN, shown);
    for (const p of read.problems) problems.push(`${shown}:${p.line}: ${p.message}`);
    // every object read is judged as azpol test judges it: one of a kind no definition checks (a
    // Rollout, a ConfigMap, an extensions/v1beta1 Deployment) is "not checked", never dropped
    const all = read.objects.map((o) => o.object);
    namespaces = all.filter((o) => o.kind === "Namespace" && (o.apiVersion ?? "v1") === "v1");
    const checked = await withoutRejected(engine, all);
    objects = checked.kept;
    rejected = checked.rejected;
    if (checked.unavailable !== undefined) strictUnavailable = checked.unavailable;
    from = request.kustomize !== undefined ? shown : "stdin";
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
  const index = namespaceIndex(namespaces);
  objects = await mutated(engine, built.mutations, objects, index, problems);
  const reviews = await reviewObjectsWithExclusions(new TemplateCache(engine), policies, objects, { namespaces: index });
  const judged = objects.map((o, i) => {
    const review = reviews[i] ?? { violations: [], excluded: [] };
    return { review, ...judgeObject(o, review, policies) };
  });
  const summary = summarize(objects, judged, (c) => definitionOf.get(c) ?? c);
  // a rejected object was read too, and judged by nothing (test counts it the same way)
  summary.objectsRead += rejected.length;
  if (objects.length === 0 && rejected.length > 0) summary.nothingChecked = true;
  return { from, summary, problems, rejected, ...(strictUnavailable !== undefined ? { strictUnavailable } : {}) };
}
