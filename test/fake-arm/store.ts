// What the fake ARM's routes share: stored resources, the error they throw, and the context the
// server gives them (its store, scope checks, stamps and paging).
export interface Stored {
  id: string;
  type: string;
  name: string;
  scope: string;
  properties: Record<string, unknown>;
  systemData: Record<string, unknown>;
}

export class ArmFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export type ResourceType = "policyDefinitions" | "policyAssignments" | "policySetDefinitions" | "policyExemptions";

export interface RouteContext {
  store: Map<string, Stored>;
  all(type: ResourceType): Stored[];
  checkScope(scope: string, type: string): void;
  stamp(existing: Stored | undefined, metadata: unknown): Record<string, unknown>;
  covers(outer: string, inner: string): boolean;
  page(scope: string, type: string, all: Stored[], params: URLSearchParams): unknown;
  policyApiVersions: string[];
}

export function typeMatches(type: string | undefined, value: unknown): boolean {
  switch ((type ?? "").toLowerCase()) {
    case "string":
    case "datetime":
      return typeof value === "string";
    case "array":
      return Array.isArray(value);
    case "object":
      return value !== null && typeof value === "object" && !Array.isArray(value);
    case "boolean":
      return typeof value === "boolean";
    case "integer":
      return Number.isInteger(value);
    case "float":
      return typeof value === "number";
    default:
      return true;
  }
}
