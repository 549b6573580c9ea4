// A Mutate definition (details.mutationInfo → a Gatekeeper mutator), beside PolicyModel (a
// ConstraintTemplate definition). Azure's effect-mutate doc: mutationInfo "can't be used with
// constraint, constraintTemplate, apiGroups, or kinds" and "can't be parameterized"; Microsoft's
// built-ins (MutateContainerAllowedCapabilitiesContainers.json) pass only source,
// mutationInfo and excludedNamespaces, target AKS only, and list the effects Mutate and Disabled.
import type { ExemptionModel } from "../model/exemption-source.js";
import type { Mutator } from "./mutator.js";
import type { DetailsParameter, PolicyHeader, PolicyModel, TemplateInfo } from "./policy-model.js";

export interface MutationModel extends PolicyHeader {
  /** details.mutationInfo, same two shapes as templateInfo */
  mutationInfo: TemplateInfo;
  mutator: Mutator;
  /** policyRule.if: the cluster types, in the source's order (default: AKS only, as the built-ins) */
  clusterTypes: string[];
  /** details.source, when declared (warn does not exist for mutators) */
  detailsParameters: DetailsParameter[];
  preview?: boolean;
  deprecated?: boolean;
  versioned: boolean;
  exemptions: ExemptionModel[];
}

/** Every definition a build makes: a ConstraintTemplate one or a mutation. */
export type DefinitionModel = PolicyModel | MutationModel;

export function isMutation(model: DefinitionModel): model is MutationModel {
  return "mutator" in model;
}

export const MUTATION_EFFECTS = ["Mutate", "Disabled"] as const;
