// The constraints Azure would install for the definitions (with --param values), for the commands
// that check objects against them: test (manifests), fix and impact.
import type { PolicyModel } from "../../core/policy-model.js";
import { AzpolError, UsageError } from "../../errors.js";
import { constraintFromPolicy } from "../../rego/constraint.js";
import type { Policy } from "../../rego/evaluate.js";
import type { Output } from "../output.js";
import { formatDiagnostic } from "../render/diagnostics.js";
import { loadAndBuild, parseOverrides } from "./load.js";

export type DefinitionPolicy = Policy & { definition: string };

export function definitionPolicies(definitions: string, params: string[] | undefined, output: Output): { models: PolicyModel[]; policies: DefinitionPolicy[] } {
  const built = loadAndBuild([definitions], [], parseOverrides(params));
  if (!built.ok) {
    for (const d of built.diagnostics) output.err(formatDiagnostic(d));
    const errors = built.diagnostics.filter((d) => d.severity === "error");
    // A bad --param is the command line's fault, not the definitions'.
    if (errors.every((d) => d.file.startsWith("--param "))) {
      const messages = [...new Set(errors.map((d) => `${d.file}: ${d.message.replace(/^--param \S+:? /, "")}`))];
      throw new UsageError(messages.join("; "));
    }
    throw new AzpolError("InvalidDefinitions", `the definitions in ${definitions} have errors; fix them first (azpol validate)`);
  }
  // --param already replaced the defaults, which is what an assignment without values gets.
  const policies = built.models.flatMap((m) => {
    const constraint = constraintFromPolicy(m);
    return constraint ? [{ template: m.template, constraint, definition: m.name }] : [];
  });
  return { models: built.models, policies };
}
