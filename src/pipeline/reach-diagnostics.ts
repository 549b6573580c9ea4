// AZP3016 for `azpol validate`: what each built definition's template cannot see of the kinds it
// covers, from the reach cache (reach-cache.ts) that `azpol test` and `validate` fill. On a miss
// validate probes on the engine (started only then, as for the compile cache), so the warnings
// never depend on whether `azpol test` ran first; a warm run starts no engine.
import type { PolicyModel } from "../core/policy-model.js";
import { exampleValue, unsetParameters, type UnsetParameter } from "../core/unset-parameters.js";
import type { Diagnostic } from "../model/diagnostics.js";
import { reachFindings } from "../probe/reach-findings.js";
import { constraintFromPolicy } from "../rego/constraint.js";
import type { RegoEngine } from "../rego/engine-port.js";
import { TemplateCache } from "../rego/template-cache.js";
import { reachOf, ReachCache } from "./reach-cache.js";

export interface ReachDiagnostics {
  diagnostics: Diagnostic[];
  /** definitions whose reach could not be probed here, with why (said, never counted as seen) */
  notProbed: NotProbed[];
}

export interface NotProbed {
  definition: string;
  file: string;
  reason: string;
  /** the parameters with no default and no --param that stopped the probe, if that was why */
  parameters?: string[];
  /** what to run to probe it */
  hint?: string;
}

export async function reachDiagnostics(models: readonly PolicyModel[], engine: () => Promise<RegoEngine>, cache = new ReachCache()): Promise<ReachDiagnostics> {
  let templates: Promise<TemplateCache> | undefined;
  const engineOnMiss = () => (templates ??= engine().then((e) => new TemplateCache(e, "auto")));
  const out: ReachDiagnostics = { diagnostics: [], notProbed: [] };
  for (const model of models) {
    // a parameter with no default has no value to probe with: said (a note naming the --param
    // that would probe it), never passed over as if the template could see everything
    const unset = unsetParameters([model]);
    if (unset.length) {
      out.notProbed.push(unsetNote(model, unset));
      continue;
    }
    const constraint = constraintFromPolicy(model);
    if (!constraint) continue;
    try {
      const reach = await reachOf({ template: model.template, constraint, definition: model.name }, cache, "auto", engineOnMiss);
      // a template that does not decide by image could not be probed: a note, as azpol test gives
      if (!reach.probed) out.notProbed.push({ definition: model.name, file: model.sourceFile, reason: reach.note ?? "nothing could be probed" });
      for (const f of reachFindings(reach)) out.diagnostics.push({ code: f.code, severity: "warning", message: f.message, file: model.sourceFile, pointer: "" });
    } catch (e) {
      out.notProbed.push({ definition: model.name, file: model.sourceFile, reason: e instanceof Error ? e.message : String(e) });
    }
  }
  return out;
}

function unsetNote(model: PolicyModel, unset: readonly UnsetParameter[]): NotProbed {
  const names = unset.map((p) => p.name);
  const which = names.length === 1 ? `parameter ${JSON.stringify(names[0])} has` : `parameters ${names.map((n) => JSON.stringify(n)).join(", ")} have`;
  return {
    definition: model.name,
    file: model.sourceFile,
    reason: `${which} no default and no --param, so there is no constraint to probe with (AZP3016 not checked)`,
    parameters: names,
    hint: `pass ${unset.map((p) => `--param ${p.name}=${exampleValue(p.type)}`).join(" ")} to probe it`,
  };
}
