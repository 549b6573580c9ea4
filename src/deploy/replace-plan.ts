// Safe replace: a parameter change Azure rejects on an existing definition (a parameter removed,
// retyped, or added without a default) cannot be an update. With --allow-replace the definition is
// created under the next versioned name (<name>-v2, -v3, ...), this owner's assignments are moved
// to it, and the old one is deleted after them. Later runs keep using the newest version this
// owner has, so the name does not flip back. Without the flag the change stays blocked, and the
// plan says what replacing would do.
import type { ArmResource } from "./arm-port.js";
import type { DesiredDefinition, DesiredState } from "./desired-state.js";
import { definitionBlocks } from "./definition-compat.js";
import { ownedBy } from "./ownership.js";
import { definitionId } from "./scope.js";

export interface Replacement {
  from: ArmResource;
  to: string;
}

const AZURE_NAME_LIMIT = 64;

function versionOf(base: string, name: string): number | undefined {
  if (name.toLowerCase() === base.toLowerCase()) return 1;
  const m = new RegExp(`^${base.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}-v(\\d+)$`, "i").exec(name);
  return m ? Number(m[1]) : undefined;
}

export function withReplacements(desired: DesiredState, current: ArmResource[], owner: string, allowReplace: boolean): { desired: DesiredState; replaced: Replacement[]; wouldReplace: Map<string, string> } {
  const replaced: Replacement[] = [];
  const wouldReplace = new Map<string, string>();
  const renamed = new Map<string, DesiredDefinition>();
  const definitions = desired.definitions.map((d) => {
    const prefix = d.id.slice(0, d.id.length - d.name.length).toLowerCase();
    const versions = current
      .filter((r) => r.id.toLowerCase().startsWith(prefix) && ownedBy(r, owner))
      .map((r) => ({ r, v: versionOf(d.name, r.name) }))
      .filter((x): x is { r: ArmResource; v: number } => x.v !== undefined)
      .sort((a, b) => b.v - a.v);
    const latest = versions[0];
    if (!latest) return d;
    let name = latest.r.name;
    if (definitionBlocks(latest.r.properties, d.properties).length) {
      const next = `${d.name}-v${latest.v + 1}`;
      if (next.length > AZURE_NAME_LIMIT) return d; // stays blocked: no room for a version suffix
      if (!allowReplace) {
        wouldReplace.set(latest.r.id.toLowerCase(), next);
      } else {
        replaced.push({ from: latest.r, to: next });
        name = next;
      }
    }
    if (name === d.name) return d;
    const moved: DesiredDefinition = { ...d, name, id: definitionId(d.location, name) };
    renamed.set(d.name, moved);
    return moved;
  });
  const assignments = desired.assignments.map((a) => {
    const target = renamed.get(a.definitionName);
    return target ? { ...a, definitionName: target.name, properties: { ...a.properties, policyDefinitionId: target.id } } : a;
  });
  // initiatives point at the new version too (their update is written before the old one goes)
  const setDefinitions = desired.setDefinitions.map((set) => {
    if (!set.members.some((m) => renamed.has(m))) return set;
    const refs = (set.properties.policyDefinitions as Record<string, unknown>[]).map((r) => {
      const member = set.members.find((m) => String(r.policyDefinitionId).toLowerCase() === definitionId(set.location, m).toLowerCase());
      const target = member === undefined ? undefined : renamed.get(member);
      return target ? { ...r, policyDefinitionId: target.id } : r;
    });
    return { ...set, members: set.members.map((m) => renamed.get(m)?.name ?? m), properties: { ...set.properties, policyDefinitions: refs } };
  });
  return { desired: { ...desired, definitions, setDefinitions, assignments }, replaced, wouldReplace };
}
