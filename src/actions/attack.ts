// azpol test --attack: each definition's template, with the definition's parameters, against
// the bypass families (src/probe/attack.ts). Returns the reports; nothing is printed.
import type { ParameterOverride } from "../core/parameter-override.js";
import { definitionPolicies } from "../pipeline/definition-policies.js";
import { attack, type AttackReport } from "../probe/attack.js";
import type { EngineChoice } from "../rego/engine-choice.js";
import { TemplateCache } from "../rego/template-cache.js";
import type { ActionContext } from "./context.js";

export interface AttackRequest {
  definitions: string;
  overrides: ParameterOverride[];
  engine: EngineChoice;
}

export async function attackDefinitions(request: AttackRequest, ctx: ActionContext): Promise<{ ok: boolean; attacks: AttackReport[] }> {
  const cache = new TemplateCache(await ctx.engine(), request.engine);
  const { policies } = definitionPolicies(request.definitions, request.overrides, ctx.files);
  const attacks: AttackReport[] = [];
  for (const p of policies) attacks.push(await attack(cache, p));
  return { ok: attacks.every((a) => a.bypasses.length === 0), attacks };
}
