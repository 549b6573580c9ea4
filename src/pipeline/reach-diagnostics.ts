// AZP3016 for `azpol validate`: what each built definition's template cannot see of the kinds it
// covers, from the reach cache (reach-cache.ts) that `azpol test` and `validate` fill. On a miss
// validate probes on the engine (started only then, as for the compile cache), so the warnings
// never depend on whether `azpol test` ran first; a warm run starts no engine.
import type { PolicyModel } from "../core/policy-model.js";
import { unsetParameters } from "../core/unset-parameters.js";
import type { Diagnostic } from "../model/diagnostics.js";
import { reachFindings } from "../probe/reach-findings.js";
import { constraintFromPolicy } from "../rego/constraint.js";
import type { RegoEngine } from "../rego/engine-port.js";
import { TemplateCache } from "../rego/template-cache.js";
import { reachOf, ReachCache } from "./reach-cache.js";

export interface ReachDiagnostics {
  diagnostics: Diagnostic[];
  /** definitions whose reach could not be probed here, with why (said, never counted as seen) */
  notProbed: { definition: string; reason: string }[];
}

export async function reachDiagnostics(models: readonly PolicyModel[], engine: () => Promise<RegoEngine>, cache = new ReachCache()): Promise<ReachDiagnostics> {
  let templates: Promise<TemplateCache> | undefined;
  const engineOnMiss = () => (templates ??= engine().then((e) => new TemplateCache(e, "auto")));
  const out: ReachDiagnostics = { diagnostics: [], notProbed: [] };
  for (const model of models) {
    // a parameter with no default has no value to probe with; azpol test asks for it (--param)
    if (unsetParameters([model]).length) continue;
    const constraint = constraintFromPolicy(model);
    if (!constraint) continue;
    try {
      const reach = await reachOf({ template: model.template, constraint, definition: model.name }, cache, "auto", engineOnMiss);
      for (const f of reachFindings(reach)) out.diagnostics.push({ code: f.code, severity: "warning", message: f.message, file: model.sourceFile, pointer: "" });
    } catch (e) {
      out.notProbed.push({ definition: model.name, reason: e instanceof Error ? e.message : String(e) });
    }
  }
  return out;
}
