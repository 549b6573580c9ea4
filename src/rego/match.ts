// Gatekeeper's spec.match for one object (GK pkg/mutation/match/match.go): every present
// matcher must match. namespaceSelector needs the cluster's Namespace objects, so it is
// only honoured when they are among the inputs; otherwise Gatekeeper's own answer is an
// error ("autoreject"), which is what this returns too.
import { groupVersionKind, type KubeObject } from "./kubernetes-object.js";
import { selectorMatches, type LabelSelector } from "./label-selector.js";

export interface ConstraintMatch {
  kinds?: { apiGroups?: string[]; kinds?: string[] }[];
  scope?: string;
  namespaces?: string[];
  excludedNamespaces?: string[];
  labelSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  name?: string;
  /** Original, Generated (ExpansionTemplate resultants) or All (the default) */
  source?: string;
}

/** Where a reviewed object came from: the object itself, or an ExpansionTemplate resultant. */
export type ReviewSource = "Original" | "Generated";
const SOURCES = new Set(["All", "Original", "Generated"]);

/** `excluded` says why an object of a kind the constraint covers is left out of it: its namespace or
 * labels. Such an object is "excluded", never "ok"; one of another kind is simply not matched. */
export type MatchOutcome = { matches: true } | { matches: false; excluded?: string } | { error: string };

/** Gatekeeper's wildcard: "pre*", "*suf", "*mid*", else exact. */
export function wildcardMatches(pattern: string, value: string): boolean {
  const starts = pattern.startsWith("*");
  const ends = pattern.endsWith("*") && pattern.length > 1;
  if (starts && ends) return value.includes(pattern.slice(1, -1));
  if (ends) return value.startsWith(pattern.slice(0, -1));
  if (starts) return value.endsWith(pattern.slice(1));
  return pattern === value;
}

function kindsMatch(match: ConstraintMatch, obj: KubeObject): boolean {
  if (!match.kinds || match.kinds.length === 0) return true;
  const { group, kind } = groupVersionKind(obj);
  return match.kinds.some((entry) => {
    const kinds = entry.kinds ?? [];
    const groups = entry.apiGroups ?? [];
    const kindOk = kinds.length === 0 || kinds.includes("*") || kinds.includes(kind);
    const groupOk = groups.length === 0 || groups.includes("*") || groups.includes(group);
    return kindOk && groupOk;
  });
}

/** The namespace an object is judged by: a Namespace's own name, else metadata.namespace. */
function namespaceOf(obj: KubeObject): string | undefined {
  const { group, kind } = groupVersionKind(obj);
  if (group === "" && kind === "Namespace") return obj.metadata?.name;
  return obj.metadata?.namespace || undefined;
}

export function matchObject(match: ConstraintMatch | undefined, obj: KubeObject, namespaces: ReadonlyMap<string, KubeObject>, source: ReviewSource = "Original"): MatchOutcome {
  if (!match) return { matches: true };
  if (!kindsMatch(match, obj)) return { matches: false };
  const ns = namespaceOf(obj);
  const isNamespace = groupVersionKind(obj).kind === "Namespace" && groupVersionKind(obj).group === "";
  if (match.scope === "Cluster" && !(isNamespace || ns === undefined)) return { matches: false };
  if (match.scope === "Namespaced" && (isNamespace || ns === undefined)) return { matches: false };
  // cluster-scoped objects that are not Namespaces pass namespace matchers
  if (ns !== undefined) {
    if (match.namespaces && match.namespaces.length > 0 && !match.namespaces.some((p) => wildcardMatches(p, ns))) return { matches: false, excluded: `namespace ${ns} is not in namespaces` };
    if (match.excludedNamespaces?.some((p) => wildcardMatches(p, ns))) return { matches: false, excluded: `namespace ${ns} is in excludedNamespaces` };
  }
  try {
    if (match.labelSelector && !selectorMatches(match.labelSelector, obj.metadata?.labels ?? {})) return { matches: false, excluded: "its labels do not match labelSelector" };
    if (match.namespaceSelector && ns !== undefined) {
      const nsObject = isNamespace ? obj : namespaces.get(ns);
      if (!nsObject) return { error: `namespaceSelector: the Namespace ${JSON.stringify(ns)} is not among the inputs, so it cannot be matched` };
      if (!selectorMatches(match.namespaceSelector, nsObject.metadata?.labels ?? {})) return { matches: false, excluded: `the labels of namespace ${ns} do not match namespaceSelector` };
    }
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
  if (match.name !== undefined) {
    const name = obj.metadata?.name;
    const generated = obj.metadata?.generateName;
    if (name ? !wildcardMatches(match.name, name) : !(generated && (generated.startsWith(match.name.replace(/\*$/, "")) || wildcardMatches(match.name, generated)))) {
      return { matches: false, excluded: `its name does not match name ${match.name}` };
    }
  }
  // GK match.go sourceMatch, the last matcher: empty is All; anything else must be a known source.
  const wanted = match.source === undefined || match.source === "" ? "All" : match.source;
  if (!SOURCES.has(wanted)) return { error: `invalid source field ${JSON.stringify(wanted)}` };
  if (wanted !== "All" && wanted !== source) return { matches: false };
  return { matches: true };
}
