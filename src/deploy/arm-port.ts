// The one port between azpol and Azure Resource Manager. The PolicyClient adapter
// (policy-client-port.ts) implements it for real; tests can swap it.
import type { DefinitionLocation, Scope } from "./scope.js";

export interface ArmResource {
  id: string;
  name: string;
  properties: Record<string, unknown>;
}

export interface ArmPort {
  getDefinition(location: DefinitionLocation, name: string): Promise<ArmResource | undefined>;
  /** a built-in definition (tenant level) by name */
  getBuiltInDefinition(name: string): Promise<ArmResource | undefined>;
  /** one policy set (initiative) at a location, or a built-in one (location undefined); undefined when not found */
  getSetDefinition(location: DefinitionLocation | undefined, name: string): Promise<ArmResource | undefined>;
  putDefinition(location: DefinitionLocation, name: string, properties: Record<string, unknown>): Promise<ArmResource>;
  getAssignment(scope: Scope, name: string): Promise<ArmResource | undefined>;
  putAssignment(scope: Scope, name: string, properties: Record<string, unknown>): Promise<ArmResource>;
  /** assignments made exactly at this scope (one paged list) */
  listAssignments(scope: Scope): Promise<ArmResource[]>;
  /** the custom definitions visible at the location (one paged list, $filter=policyType eq 'Custom') */
  listDefinitions(location: DefinitionLocation): Promise<ArmResource[]>;
  deleteDefinition(location: DefinitionLocation, name: string): Promise<void>;
  deleteAssignment(scope: Scope, name: string): Promise<void>;
  /** the custom policy set definitions (initiatives) at the location (one paged list) */
  listSetDefinitions(location: DefinitionLocation): Promise<ArmResource[]>;
  putSetDefinition(location: DefinitionLocation, name: string, properties: Record<string, unknown>): Promise<ArmResource>;
  deleteSetDefinition(location: DefinitionLocation, name: string): Promise<void>;
  /** the policy exemptions at and below the scope (one paged list) */
  listExemptions(scope: Scope): Promise<ArmResource[]>;
  /** an exemption at `scopeId` (an ARM id: management group, subscription, resource group or resource) */
  putExemption(scopeId: string, name: string, properties: Record<string, unknown>): Promise<ArmResource>;
  deleteExemption(scopeId: string, name: string): Promise<void>;
}
