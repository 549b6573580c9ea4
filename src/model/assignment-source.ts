// The shape of assignments/<file>.yaml, as the schema admits it: one policy assignment, made at
// one or more scopes, of an azpol definition or initiative. Per-environment values (like EPAC's
// pacSelector) are picked with `deploy --env <name>`.

export interface NonComplianceMessageSource {
  message: string;
  /** for an initiative: the member the message is for (default: the whole assignment) */
  policyDefinitionReferenceId?: string;
}

/** What an environment may set differently: replaces the base value (parameters merge by name). */
export interface AssignmentValuesSource {
  scopes?: string[];
  notScopes?: string[];
  enforcementMode?: "Default" | "DoNotEnforce";
  parameters?: Record<string, unknown>;
  nonComplianceMessages?: NonComplianceMessageSource[];
  definitionVersion?: string;
}

export interface AssignmentSource extends AssignmentValuesSource {
  /** the assignment's name at each scope */
  name: string;
  displayName?: string;
  description?: string;
  /** an azpol definition of this build; or `initiative` */
  definition?: string;
  initiative?: string;
  /** values per environment; an assignment that has environments is deployed only in those */
  environments?: Record<string, AssignmentValuesSource>;
}
