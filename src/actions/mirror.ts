// azpol mirror: every image the definitions deny (in the files fix reads), planned into the user's
// registry as ACR artifact-cache rules or imports, with the az commands that carry the plan out.
import type { ParameterOverride } from "../core/parameter-override.js";
import { engineDenyCheck } from "../fix/deny-check.js";
import { findImages } from "../fix/find-images.js";
import { azCommands } from "../mirror/az-commands.js";
import { applyMirror, importedArtifact, readExisting, type MirrorEvent, type MirrorOutcomeStep } from "../mirror/apply-mirror.js";
import { planMirror, type ExistingMirror, type MirrorPlan } from "../mirror/plan-mirror.js";
import type { RegistryPort, RegistryRef } from "../mirror/registry-port.js";
import { AzureError } from "../errors.js";
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
}

/**
 * Plans what to mirror. With a port, the plan is made against the registry as it is (its cache
 * rules), so what is already there is not planned again.
 */
export async function mirror(request: MirrorRequest, ctx: ActionContext, port?: RegistryPort): Promise<MirrorOutcome> {
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
  if (port) {
    target = await port.findRegistry(request.registry);
    if (!target) throw new AzureError("RegistryNotFound", `no container registry with the login server ${request.registry} in this subscription (pick another with --subscription)`);
    existing = await readExisting(port, target);
  }
  let plan = planMirror(denied, request.registry, existing);
  let contentCheck: MirrorOutcome["contentCheck"];
  if (port && target && existing && plan.imports.length) {
    // imports are invisible to the management API: ask the registry's data plane, then plan again
    const wanted = plan.imports.map(importedArtifact);
    const found = await port.findArtifacts(target, wanted);
    contentCheck = { checked: wanted.length, present: found.present.length, ...(found.problem ? { problem: found.problem } : {}) };
    plan = planMirror(denied, request.registry, { ...existing, artifacts: found.present });
  }
  return { plan, target, denied, azCommands: azCommands(plan), contentCheck };
}

/** Carries the plan out in the registry (cache rules, then imports). */
export function applyMirrorPlan(plan: MirrorPlan, port: RegistryPort, target: RegistryRef, onEvent?: (e: MirrorEvent) => void): Promise<MirrorOutcomeStep[]> {
  return applyMirror(plan, port, target, onEvent);
}
