// Problems found in user files are data: a Diagnostic names the file, the position and
// the JSON path, and says what to change. Codes: AZP1xxx syntax/schema, AZP2xxx semantics,
// AZP3xxx templates.
import { compareText } from "./compare-text.js";

export type Severity = "error" | "warning";

export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  /** lowercase start, quotes the bad value, says what to change */
  message: string;
  file: string;
  /** JSON pointer into the source document, "" for the whole file */
  pointer: string;
  line?: number;
  col?: number;
}

export const DIAGNOSTIC_CODES = {
  AZP1001: "YAML or JSON syntax error",
  AZP1002: "source does not match the definition schema",
  AZP1003: "command-line parameter override is malformed",
  AZP2001: "effect is not Audit, Deny or Disabled",
  AZP2002: "namespace is not a DNS-1123 label",
  AZP2003: "namespace listed twice",
  AZP2004: "registry is not a plain registry host",
  AZP2005: "registry listed twice",
  AZP2006: "registry list is empty",
  AZP2007: "details.values key is not a template parameter",
  AZP2008: "details.values type does not match the template schema",
  AZP2009: "parameter is used but not declared",
  AZP2010: "definition name is not a valid Azure resource name",
  AZP2011: "displayName is too long",
  AZP2012: "description is too long",
  AZP2013: "too many parameters",
  AZP2014: "policy definition body is larger than Azure accepts",
  AZP2015: "default value does not match the parameter type",
  AZP2016: "two definitions share a name",
  AZP2017: "apiGroups or kinds are invalid",
  AZP2018: "parameter is declared but never used",
  AZP2019: "metadata value is too long",
  AZP2020: "version is not #.#.#",
  AZP2021: "template parameter is set twice",
  AZP2022: "parameter name is reserved for a standard parameter",
  AZP2023: "default value is not in allowedValues",
  AZP2024: "text holds invisible or direction-changing characters",
  AZP2025: "labelSelector is not a Kubernetes label selector",
  AZP2026: "a replacement is not a registry rule",
  AZP2027: "an initiative member names no definition of this build",
  AZP2028: "a policyDefinitionReferenceId is empty, too long or used twice",
  AZP2029: "a member parameter is not declared by its definition",
  AZP2030: "a member parameter refers to an undeclared initiative parameter",
  AZP2031: "an initiative parameter does not fit the member parameter it feeds",
  AZP2032: "a literal member value does not fit its parameter",
  AZP2033: "pass-through parameters of two members disagree",
  AZP2034: "initiative is larger than Azure accepts",
  AZP2035: "exemption is invalid (name, scope or referenceIds)",
  AZP2036: "exemption expiresOn is not an ISO 8601 date-time",
  AZP2037: "exemption has expired",
  AZP2038: "two initiatives share a name",
  AZP2401: "an assignment names no definition or initiative of this build",
  AZP2402: "an assignment parameter value is undeclared, missing, or does not fit its parameter",
  AZP2403: "an assignment scope or notScope is malformed",
  AZP2404: "an assignment scope is outside the definitions' location",
  AZP2405: "an assignment name is not valid at its scopes",
  AZP2406: "two assignments share a name at a scope",
  AZP2050: "an ARM expression is not valid or cannot be evaluated",
  AZP2051: "a Mutate definition uses a field Azure does not allow with mutationInfo",
  AZP2052: "a Mutate definition's effects are not Mutate and Disabled",
  AZP3001: "constraint template cannot be read",
  AZP3002: "template name is not the lowercase of its CRD kind",
  AZP3003: "templateInfo URL is not https",
  AZP3004: "template needs synced data, which Azure blocks for custom definitions",
  AZP3005: "templateInfo URL may carry a secret",
  AZP3006: "template does not target admission.k8s.gatekeeper.sh",
  AZP3007: "template Rego does not compile",
  AZP3008: "template name collides with the add-on's own templates",
  AZP3009: "template has CEL code, which AKS evaluates instead of its Rego",
  AZP3010: "the local template no longer matches the recorded sha256",
  AZP3011: "a PublicURL template has no recorded sha256",
  AZP3012: "the hosted template differs from the local one that was tested",
  AZP3013: "the hosted template was not checked (--offline)",
  AZP3014: "the mutator is not one Gatekeeper accepts",
  AZP3015: "the add-on running this mutation is unconfirmed",
  AZP3016: "the template cannot see a kind or pod-spec place its definition covers",
} as const;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

/** Stable order: file, then position, then code. */
export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      compareText(a.file, b.file) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.col ?? 0) - (b.col ?? 0) ||
      compareText(a.code, b.code) ||
      compareText(a.pointer, b.pointer),
  );
}

/** Escapes one JSON pointer segment (RFC 6901). */
export function pointerSegment(key: string | number): string {
  return String(key).replace(/~/g, "~0").replace(/\//g, "~1");
}

export function joinPointer(...segments: (string | number)[]): string {
  return segments.map((s) => `/${pointerSegment(s)}`).join("");
}

export function splitPointer(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}
