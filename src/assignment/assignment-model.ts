// The normalized assignment: what deploy makes at each scope, already validated, with the
// environment (deploy --env) applied.
import type { Scope } from "../deploy/scope.js";
import type { NonComplianceMessageSource } from "../model/assignment-source.js";

export interface AssignmentModel {
  name: string;
  displayName: string;
  description: string;
  /** what it assigns: an azpol definition or initiative of the same build */
  target: { kind: "definition" | "initiative"; name: string };
  scopes: Scope[];
  /** ARM ids below the scopes that the assignment leaves out */
  notScopes: string[];
  enforcementMode: "Default" | "DoNotEnforce";
  /** only the values the source sets; the rest take the definition's defaults */
  parameters: Record<string, unknown>;
  nonComplianceMessages: NonComplianceMessageSource[];
  definitionVersion?: string;
  sourceFile: string;
}
