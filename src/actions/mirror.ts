// azpol mirror: every image the definitions deny (in the files fix reads), planned into the user's
// registry as ACR artifact-cache rules or imports, with the az commands that carry the plan out;
// with a registry port, planned against the registry as it is and, confirmed, carried out.
// What happens streams through `events`; the outcome is returned; nothing is printed.
import type { ParameterOverride } from "../core/parameter-override.js";
import { engineDenyCheck } from "../fix/deny-check.js";
import { findImages } from "../fix/find-images.js";
import { azCommands } from "../mirror/az-commands.js";
import { applyMirror, importedArtifact, readExisting, type MirrorEvent, type MirrorOutcomeStep } from "../mirror/apply-mirror.js";
import { planMirror, type ExistingMirror, type MirrorPlan } from "../mirror/plan-mirror.js";
import type { RegistryPort, RegistryRef } from "../mirror/registry-port.js";
import { AbortError, AzureError } from "../errors.js";
import { definitionPolicies } from "../pipeline/definition-policies.js";
import { TemplateCache } from "../rego/evaluate.js";
import type { ActionContext } from "./context.js";
import { gatherFixInputs } from "./fix.js";

export interface MirrorRequest {
  paths: string[];
  /** the registry's login server (myacr.azurecr.io) */
  registry: string;
  definitions: string;
  overrides: ParameterOverride[];
}

export interface MirrorOutcome {
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
  const { policies } = definitionPolicies(request.definitions, request.overrides);
  const { inputs } = gatherFixInputs(request.paths, ctx.files.cwd);
  const images = new Set<string>();
  for (const input of inputs) {
    const scan = findImages(input.text);
    // a registry override (global.imageRegistry) is not an image of its own
    if (!("error" in scan)) for (const site of scan.sites) if (!site.shown) images.add(site.image);
  }
  const verdicts = await engineDenyCheck(new TemplateCache(await ctx.engine()), policies)([...images]);
  const denied = [...images].filter((i) => (verdicts.get(i) ?? []).length > 0);
  let target: RegistryRef | undefined;
  let existing: ExistingMirror | undefined;
  if (apply) {
    target = await apply.port.findRegistry(request.registry);
    if (!target) throw new AzureError("RegistryNotFound", `no container registry with the login server ${request.registry} in this subscription (pick another with --subscription)`);
    existing = await readExisting(apply.port, target);
  }
  let plan = planMirror(denied, request.registry, existing);
  let contentCheck: MirrorOutcome["contentCheck"];
  if (apply && target && existing && plan.imports.length) {
    // imports are invisible to the management API: ask the registry's data plane, then plan again
    const wanted = plan.imports.map(importedArtifact);
    const found = await apply.port.findArtifacts(target, wanted);
    contentCheck = { checked: wanted.length, present: found.present.length, ...(found.problem ? { problem: found.problem } : {}) };
    plan = planMirror(denied, request.registry, { ...existing, artifacts: found.present });
  }
  const planned = { plan, target, denied, azCommands: azCommands(plan), contentCheck };
  if (!apply || !target) return { ...planned, applied: undefined };
  apply.planned(planned);
  const pending = plan.cacheRules.length + plan.imports.length;
  if (pending === 0) return { ...planned, applied: [] };
  if (!apply.yes && !(await apply.confirm(pending, target.name))) throw new AbortError("not applied");
  return { ...planned, applied: await applyMirror(plan, apply.port, target, apply.onEvent) };
}
