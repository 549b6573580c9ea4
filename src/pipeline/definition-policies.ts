// The constraints Azure would install for the definitions (with --param values), for the
// commands that check objects against them: test (manifests), fix and impact. Prints nothing:
// sources that do not build are an error carrying their diagnostics.
import type { PolicyModel } from "../core/policy-model.js";
import type { MutationModel } from "../core/mutation-model.js";
import type { ParameterOverride } from "../core/parameter-override.js";
import { AzpolError, UsageError } from "../errors.js";
import { constraintFromPolicy } from "../rego/constraint.js";
import type { Policy } from "../rego/evaluate.js";
import { buildSources } from "./read-sources.js";
import { describeUnset, unsetParameters } from "../core/unset-parameters.js";
import { shownPath } from "../io/shown-path.js";
import type { FileBoundary } from "../io/project-boundary.js";

export type DefinitionPolicy = Policy & { definition: string };

export function definitionPolicies(definitions: string, overrides: ParameterOverride[], files: FileBoundary): { models: PolicyModel[]; policies: DefinitionPolicy[]; mutations: MutationModel[] } {
  const built = buildSources([definitions], [], overrides, files);
  if (!built.ok) {
    const errors = built.diagnostics.filter((d) => d.severity === "error");
    // A bad --param is the command line's fault, not the definitions'.
    if (errors.every((d) => d.file.startsWith("--param "))) {
      const messages = [...new Set(errors.map((d) => `${d.file}: ${d.message.replace(/^--param \S+:? /, "")}`))];
      throw new UsageError(messages.join("; "), built.diagnostics);
    }
    throw new AzpolError("InvalidDefinitions", `the definitions in ${definitions} have errors; fix them first (azpol validate)`, undefined, { diagnostics: built.diagnostics });
  }
  // --param already replaced the defaults, which is what an assignment without values gets;
  // a parameter left with neither is one Azure would refuse to assign without.
  const unset = unsetParameters(built.models);
  if (unset.length) throw new UsageError(unset.map((p) => describeUnset(p, shownPath(p.sourceFile))).join("\n"));
  const policies = built.models.flatMap((m) => {
    const constraint = constraintFromPolicy(m);
    return constraint ? [{ template: m.template, constraint, definition: m.name }] : [];
  });
  return { models: built.models, policies, mutations: built.mutations };
}
