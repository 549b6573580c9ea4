// Who made a resource: azpol (metadata.managedBy) for which owner (metadata.azpolOwner). Pure.
import type { ArmResource } from "./arm-port.js";
import { MANAGED_BY } from "./desired-state.js";

export const metadataOf = (r: Record<string, unknown>) => (r.metadata as Record<string, unknown> | undefined) ?? {};

/** made by azpol for this owner (a resource from before owners were recorded counts as the default owner's) */
export function ownedBy(resource: ArmResource, owner: string): boolean {
  const m = metadataOf(resource.properties);
  return m.managedBy === MANAGED_BY.managedBy && (m.azpolOwner ?? "default") === owner;
}

