// The normalized initiative: everything the emitters and deploy need, already validated.
import type { ExemptionModel } from "../model/exemption-source.js";
import type { PolicyHeader } from "../core/policy-model.js";

export interface InitiativeMember {
  referenceId: string;
  /** the azpol definition it references (built in the same run) */
  definitionName: string;
  /** per member parameter: "[parameters('x')]" or a literal value */
  parameters: Record<string, unknown>;
  /** the member definition's version this set pins (api-version 2023-04-01+) */
  definitionVersion?: string;
}

export interface InitiativeModel extends PolicyHeader {
  /** initiative parameters that feed a registry-list parameter (checked as registries when assigned) */
  registryParameters: string[];
  members: InitiativeMember[];
  exemptions: ExemptionModel[];
}
