// The exemptions in Azure, by the assignment they exempt from, for `azpol status`. Pure.
import type { ArmResource } from "./arm-port.js";
import { compareText } from "../model/compare-text.js";

export interface ExemptionRow {
  name: string;
  id: string;
  category: string;
  expiresOn: string | null;
  /** expiresOn has passed: Azure no longer honours it */
  expired: boolean;
  referenceIds: string[];
  managedByAzpol: boolean;
}

const text = (v: unknown): string => (typeof v === "string" ? v : "");

export function exemptionsByAssignment(exemptions: ArmResource[], now: Date): Map<string, ExemptionRow[]> {
  const out = new Map<string, ExemptionRow[]>();
  for (const e of exemptions) {
    const p = e.properties;
    const expires = text(p.expiresOn);
    const row: ExemptionRow = {
      name: e.name,
      id: e.id,
      category: text(p.exemptionCategory),
      expiresOn: expires === "" ? null : expires,
      expired: expires !== "" && Date.parse(expires) <= now.getTime(),
      referenceIds: Array.isArray(p.policyDefinitionReferenceIds) ? p.policyDefinitionReferenceIds.map(text) : [],
      managedByAzpol: (p.metadata as Record<string, unknown> | undefined)?.managedBy === "azpol",
    };
    const key = text(p.policyAssignmentId).toLowerCase();
    out.set(key, [...(out.get(key) ?? []), row].sort((a, b) => compareText(a.name, b.name)));
  }
  return out;
}
