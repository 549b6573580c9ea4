// The shape of initiatives/<name>/initiative.yaml, as the schema admits it: a policy set
// (initiative) of azpol definitions, assigned as one.
import type { ExemptionSource } from "./exemption-source.js";
import type { ParameterDeclaration, SourceHeader } from "./source-header.js";

export type InitiativeParameterSource = ParameterDeclaration;

export interface MemberSource {
  /** the name of an azpol definition built with this initiative */
  definition: string;
  /** policyDefinitionReferenceId; default: the definition name */
  referenceId?: string;
  /**
   * values for the member's parameters: "[parameters('x')]" (an initiative parameter) or a literal.
   * A parameter not listed here is passed through from the initiative parameter of the same name.
   */
  parameters?: Record<string, unknown>;
  /** definitionVersion: the member definition's version this set uses ("1.2.0", "1.*.*", "1.*.*-preview") */
  definitionVersion?: string;
}

/** `parameters`: the initiative parameters declared explicitly; pass-through ones are declared from the members. */
export interface InitiativeSource extends SourceHeader<InitiativeParameterSource> {
  definitions: MemberSource[];
  exemptions?: ExemptionSource[];
}
