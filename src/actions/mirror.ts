// azpol mirror: every image the definitions deny (in the files fix reads, or on the live cluster
// as impact reads it), planned into the user's
// registry as ACR artifact-cache rules or imports, with the az commands that carry the plan out;
// with a registry port, planned against the registry as it is and, confirmed, carried out.
// What happens streams through `events`; the outcome is returned; nothing is printed.
import type { ParameterOverride } from "../core/parameter-override.js";
import { engineDenyCheck } from "../fix/image-verdicts.js";
import { chartTemplateFiles, readChartTemplates } from "../fix/chart-templates.js";
import { findFileImages } from "../fix/find-images.js";
import { gatherFixInputs } from "../fix/fix-inputs.js";
import type { NotRead } from "../fix/fix-walk.js";
import { shownPath } from "../io/shown-path.js";
import { imageHosts } from "../mirror/image-hosts.js";
import { azCommands } from "../mirror/az-commands.js";
import { mirrorReplacements, upstreamOf } from "../mirror/mirror-path.js";
import { applyMirror, importedArtifact, readExisting, type MirrorEvent, type MirrorOutcomeStep } from "../mirror/apply-mirror.js";
import { planMirror, type CredentialSetRequest, type ExistingMirror, type MirrorPlan } from "../mirror/plan-mirror.js";
import type { RegistryPort, RegistryRef } from "../mirror/registry-port.js";
import { AbortError, AzureError, UsageError } from "../errors.js";
import { definitionPolicies } from "../pipeline/definition-policies.js";
import { TemplateCache } from "../rego/template-cache.js";
import type { ActionContext } from "./context.js";
import { clusterImages, type ClusterSource } from "./mirror-cluster.js";

export interface MirrorRequest {
  paths: string[];
  /** the registry's login server (myacr.azurecr.io) */
  registry: string;
  definitions: string;
  overrides: ParameterOverride[];
  /** read the images from the live cluster (as impact does) instead of paths */
  cluster?: ClusterSource;
  /** credential sets to create for upstreams the registry has none for */
  credentialSets?: CredentialSetRequest[];
  /** delete the cache rules azpol made that no image of this run needs (needs a registry port) */
  prune?: boolean;
}

export interface MirrorOutcome {
  /** where the images were read: "files", or the cluster impact read */
  source: string;
  /** what could not be read: a cluster's kinds that could not be listed, files that could not be
   * read or checked (packaged subcharts): the run saw less than everything */
  problems: string[];
  /** files and folders not read by rule (shown paths), each with why */
  skipped: NotRead[];
  /** cluster workloads the assignment excludes (their images are not mirrored) */
  excluded: number;
  /** why --prune deleted nothing although asked (the run did not see every image) */
  pruneSkipped: string | undefined;
  plan: MirrorPlan;
  /** the registry's ARM resource, when the plan was made against it (--apply) */
  target: RegistryRef | undefined;
  denied: string[];
  azCommands: string[];
  /** with --apply: the planned imports looked up in the registry's content (data plane) */
  contentCheck: { checked: number; present: number; problem?: string } | undefined;
  /** what --apply did, step by step; undefined without a port (nothing was applied) */
  applied: MirrorOutcomeStep[] | undefined;
}

/** With a port (mirror --apply): the registry to apply to, and how the run unfolds. */
export interface MirrorApply {
  port: RegistryPort;
  /** apply without asking */
  yes: boolean;
  /** the plan is made (shown before anything is asked or written) */
  planned: (outcome: Omit<MirrorOutcome, "applied">) => void;
  /** changes are pending and `yes` is false: whether to apply them */
  confirm: (pending: number, registryName: string) => Promise<boolean>;
  onEvent: (e: MirrorEvent) => void;
}

/**
 * Plans what to mirror. With `apply`, the plan is made against the registry as it is (its cache
 * rules), so what is already there is not planned again, and then carried out once confirmed.
 */
export async function mirror(request: MirrorRequest, ctx: ActionContext, apply?: MirrorApply): Promise<MirrorOutcome> {
  const { models, policies } = definitionPolicies(request.definitions, request.overrides, ctx.files);
  const images = new Set<string>();
  let source = "files";
  let problems: string[];
  let excluded = 0;
  let skipped: NotRead[] = [];
  if (request.cluster) {
    if (request.paths.length) throw new UsageError("mirror reads files or, with --cluster/--context, the live cluster: not both");
    const seen = await clusterImages(request.cluster, request.definitions, request.overrides, ctx);
    ({ problems, excluded } = seen);
    source = seen.from;
    for (const image of seen.images) images.add(image);
  } else {
    // the files fix reads, named and bounded as fix reads them: what is not read is said
    const gathered = gatherFixInputs(request.paths, ctx.files.cwd, request.definitions);
    const templates = readChartTemplates(chartTemplateFiles(gathered.helmTemplates));
    const files = [...gathered.inputs, ...templates.inputs];
    skipped = gathered.skipped.map((s) => ({ path: shownPath(s.path), reason: s.reason }));
    problems = [...gathered.unreadable, ...templates.unreadable].map((u) => `${u.file}: cannot read: ${u.message}`);
    problems.push(...gathered.notChecked.map((n) => `${shownPath(n.path)}: not checked: ${n.reason}`));
    // the images fix moves, read by the same function with the rules of both `fix` (the
    // definitions' replacements) and `fix --to <registry>`: nothing fix points at goes unmirrored
    const replacements = Object.assign({}, ...models.map((m) => m.replacements), mirrorReplacements(request.registry, imageHosts(files))) as Record<string, string>;
    for (const { input, scan } of findFileImages(files, replacements)) {
      if ("error" in scan) problems.push(`${input.shown}:${scan.line}: cannot read: ${scan.error}`);
      // a registry override (global.imageRegistry) is not an image of its own
      else for (const site of scan.sites) if (!site.shown) images.add(site.image);
    }
  }
  // one per-image decision for files and clusters: an image is mirrored when a definition denies it
  const verdicts = await engineDenyCheck(new TemplateCache(await ctx.engine()), policies)([...images]);
  const denied = [...images].filter((i) => (verdicts.get(i) ?? []).length > 0);
  let target: RegistryRef | undefined;
  let existing: ExistingMirror | undefined;
  if (apply) {
    target = await apply.port.findRegistry(request.registry);
    if (!target) throw new AzureError("RegistryNotFound", `no container registry with the login server ${request.registry} in this subscription (pick another with --subscription)`);
    existing = await readExisting(apply.port, target);
  }
  if (request.prune && !apply) throw new UsageError("--prune needs --apply: only the registry itself says which cache rules azpol made");
  // pruning on a partial view would delete rules images still need: refused, and said why
  const partial = [...problems, ...unreadableImages(denied)];
  const pruneSkipped = request.prune && partial.length ? `this run did not see every image (${partial.join("; ")}); nothing is pruned` : undefined;
  const options = { credentialSets: request.credentialSets ?? [], prune: request.prune === true && !pruneSkipped };
  let plan = planMirror(denied, request.registry, existing, options);
  let contentCheck: MirrorOutcome["contentCheck"];
  if (apply && target && existing && plan.imports.length) {
    // imports are invisible to the management API: ask the registry's data plane, then plan again
    const wanted = plan.imports.map(importedArtifact);
    const found = await apply.port.findArtifacts(target, wanted);
    contentCheck = { checked: wanted.length, present: found.present.length, ...(found.problem ? { problem: found.problem } : {}) };
    plan = planMirror(denied, request.registry, { ...existing, artifacts: found.present }, options);
  }
  const planned = { source, problems, skipped, excluded, pruneSkipped, plan, target, denied, azCommands: azCommands(plan), contentCheck };
  if (!apply || !target) return { ...planned, applied: undefined };
  apply.planned(planned);
  const pending = plan.credentialSets.length + plan.cacheRules.length + plan.imports.length + plan.deletes.length;
  if (pending === 0) return { ...planned, applied: [] };
  if (!apply.yes && !(await apply.confirm(pending, target.name))) throw new AbortError("not applied");
  return { ...planned, applied: await applyMirror(plan, apply.port, target, apply.onEvent) };
}

/** The images the plan could not read as references (they would be mirrored by hand). */
function unreadableImages(denied: string[]): string[] {
  const bad = denied.filter((i) => !upstreamOf(i));
  return bad.length ? [`${bad.length} image(s) azpol cannot read`] : [];
}
