// Which resources a definition made from a template matches (details.apiGroups/kinds): what
// --kinds says ("Pod,apps/Deployment"), else what the template's own sample constraints match
// (gatekeeper-library layout: samples/*/constraint.yaml beside the template), else Pods and every
// pod-bearing workload, as the presets do.
import { asRecord } from "../core/constraint-template.js";
import { DEFAULT_API_GROUPS, DEFAULT_KINDS } from "../core/policy-model.js";

export interface ProposedKinds {
  apiGroups: string[];
  kinds: string[];
  from: "--kinds" | "samples" | "default";
}

export function parseKindsFlag(value: string): { apiGroups: string[]; kinds: string[] } | string {
  const groups = new Set<string>();
  const kinds = new Set<string>();
  for (const raw of value.split(",").map((s) => s.trim()).filter(Boolean)) {
    const slash = raw.lastIndexOf("/");
    const group = slash < 0 ? "" : raw.slice(0, slash);
    const kind = slash < 0 ? raw : raw.slice(slash + 1);
    if (!/^[A-Z][A-Za-z0-9]*$/.test(kind)) return `--kinds: ${JSON.stringify(raw)} is not a Kind (e.g. Pod, apps/Deployment)`;
    if (group !== "" && !/^[a-z0-9.-]+$/.test(group)) return `--kinds: ${JSON.stringify(group)} is not an API group`;
    groups.add(group);
    kinds.add(kind);
  }
  if (kinds.size === 0) return "--kinds is empty; name at least one kind, e.g. --kinds Pod,apps/Deployment";
  return { apiGroups: [...groups], kinds: [...kinds] };
}

/** The kinds the sample constraints match (spec.match.kinds), if any name some. */
export function kindsOfSamples(constraints: unknown[]): { apiGroups: string[]; kinds: string[] } | undefined {
  const groups = new Set<string>();
  const kinds = new Set<string>();
  for (const c of constraints) {
    const entries = asRecord(asRecord(asRecord(c)?.spec)?.match)?.kinds;
    for (const entry of Array.isArray(entries) ? entries : []) {
      const e = asRecord(entry);
      for (const g of Array.isArray(e?.apiGroups) ? e.apiGroups : []) if (typeof g === "string" && g !== "*") groups.add(g);
      for (const k of Array.isArray(e?.kinds) ? e.kinds : []) if (typeof k === "string" && k !== "*") kinds.add(k);
    }
  }
  return kinds.size ? { apiGroups: groups.size ? [...groups] : [""], kinds: [...kinds] } : undefined;
}

export function proposeKinds(flag: { apiGroups: string[]; kinds: string[] } | undefined, samples: { apiGroups: string[]; kinds: string[] } | undefined): ProposedKinds {
  if (flag) return { ...flag, from: "--kinds" };
  if (samples) return { ...samples, from: "samples" };
  return { apiGroups: [...DEFAULT_API_GROUPS], kinds: [...DEFAULT_KINDS], from: "default" };
}
