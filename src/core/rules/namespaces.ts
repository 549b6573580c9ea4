// AZP2002/AZP2003: namespaces are DNS-1123 labels, each listed once. Gatekeeper knows
// "kube-*" globs, but whether Azure passes them through is unconfirmed, so they are refused.
import { joinPointer } from "../../model/diagnostics.js";
import type { Rule } from "./rule-context.js";

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** The nearest valid DNS-1123 label ("Kube_System" → "kube-system"), or undefined if none is near. */
function dns1123Label(ns: string): string | undefined {
  const label = ns
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, "-")
    .replace(/^-+|-+$/g, "");
  return label !== "" && label.length <= 63 && DNS1123_LABEL.test(label) ? label : undefined;
}

export function namespaceProblem(ns: string): string | undefined {
  if (ns.length > 63) return `namespace ${JSON.stringify(ns)} is longer than 63 characters`;
  if (ns.includes("*")) return `namespace ${JSON.stringify(ns)} has a wildcard; Azure does not document namespace globs, so list each namespace`;
  if (!DNS1123_LABEL.test(ns)) {
    const fixed = dns1123Label(ns);
    const hint = fixed ? `; did you mean '${fixed}'?` : "; use lowercase letters, digits and '-', starting and ending with a letter or digit";
    return `namespace ${JSON.stringify(ns)} is not a DNS-1123 label${hint}`;
  }
  return undefined;
}

export const namespacesRule: Rule = ({ source, report }) => {
  for (const field of ["excludedNamespaces", "namespaces"] as const) {
    const list = source[field] ?? [];
    const seen = new Map<string, number>();
    list.forEach((ns, i) => {
      const problem = namespaceProblem(ns);
      if (problem) report("AZP2002", joinPointer(field, i), problem);
      const first = seen.get(ns);
      if (first !== undefined) report("AZP2003", joinPointer(field, i), `namespace ${JSON.stringify(ns)} is already listed at ${field}[${first}]; remove this one`);
      else seen.set(ns, i);
    });
  }
};
