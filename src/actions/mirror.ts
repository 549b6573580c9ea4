// azpol mirror: every image the definitions deny (in the files fix reads), planned into the user's
// registry as ACR artifact-cache rules or imports, with the az commands that carry the plan out.
import type { ParameterOverride } from "../core/parameter-override.js";
import { engineDenyCheck } from "../fix/deny-check.js";
import { findImages } from "../fix/find-images.js";
import { azCommands } from "../mirror/az-commands.js";
import { planMirror, type MirrorPlan } from "../mirror/plan-mirror.js";
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
  denied: string[];
  azCommands: string[];
}

export async function mirror(request: MirrorRequest, ctx: ActionContext): Promise<MirrorOutcome> {
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
  const plan = planMirror(denied, request.registry);
  return { plan, denied, azCommands: azCommands(plan) };
}
