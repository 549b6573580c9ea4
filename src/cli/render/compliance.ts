// An assignment's compliance as status prints it: clusters by state, the Kubernetes objects by
// state, and the non-compliant objects themselves (the first 20 in text; all in --json).
import type { AssignmentCompliance } from "../../compliance/assignment-compliance.js";
import { paint } from "./colour.js";

const states = (r: Record<string, number>) => Object.entries(r).map(([k, v]) => `${v} ${k}`).join(", ") || "no data yet (the add-on reports every 15 minutes)";

export function formatCompliance(c: AssignmentCompliance): string[] {
  const lines = [`clusters: ${states(c.clusters)}`];
  if (!c.components) lines.push("kubernetes objects: not reported for management group assignments (query a subscription or resource group)");
  else {
    lines.push(`kubernetes objects: ${states(c.components)}`);
    for (const o of (c.nonCompliantComponents ?? []).slice(0, 20)) lines.push(`  ${paint.red("non-compliant")} ${o.componentType} ${o.componentId} (${o.resourceId.split("/").pop() ?? ""})`);
    if ((c.nonCompliantComponents?.length ?? 0) > 20) lines.push(`  ... and ${(c.nonCompliantComponents?.length ?? 0) - 20} more (--json lists all)`);
  }
  return lines;
}
