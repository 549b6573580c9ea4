// --scope in the forms people type, turned into ARM scope ids. Definitions live at the
// subscription (or management group) that contains the assignment scope.
import { UsageError } from "../errors.js";

export type Scope =
  | { kind: "managementGroup"; id: string; managementGroupId: string }
  | { kind: "subscription"; id: string; subscriptionId: string }
  | { kind: "resourceGroup"; id: string; subscriptionId: string; resourceGroup: string };

/** Where definitions are created: a subscription or a management group. */
export type DefinitionLocation = { subscriptionId: string } | { managementGroupId: string };

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const RG_NAME = /^[-\w._()]{1,90}$/u;
const MG_NAME = /^[-\w._()]{1,90}$/u;

/**
 * Accepts: `rg-demo` (a resource group in the current subscription), `/subscriptions/<id>`,
 * `/subscriptions/<id>/resourceGroups/<rg>`, `mg:<name>`, and
 * `/providers/Microsoft.Management/managementGroups/<name>`.
 */
export function parseScope(input: string, subscriptionId: string | undefined): Scope {
  const value = input.trim().replace(/\/+$/, "");
  let m: RegExpExecArray | null;
  if ((m = /^mg:(.+)$/i.exec(value)) || (m = /^\/providers\/Microsoft\.Management\/managementGroups\/([^/]+)$/i.exec(value))) {
    const mg = m[1] ?? "";
    // Azure forbids a trailing period, which also rules out "." and "..", path segments that
    // would climb out of the management group collection in the request URL.
    if (!MG_NAME.test(mg) || mg.endsWith(".")) throw new UsageError(`--scope: management group name ${JSON.stringify(mg)} is not valid (letters, digits, - _ . ( ), not ending with '.')`);
    return { kind: "managementGroup", managementGroupId: mg, id: `/providers/Microsoft.Management/managementGroups/${mg}` };
  }
  // "mg:" with no name (or "/subscriptions/" with no id) is not a resource group: say what is missing
  if (/^mg:$/i.test(value) || /^\/providers\/Microsoft\.Management\/managementGroups$/i.test(value)) throw new UsageError(`--scope ${JSON.stringify(input)} names no management group; write mg:<name>`);
  if (/^\/?subscriptions$/i.test(value)) throw new UsageError(`--scope ${JSON.stringify(input)} names no subscription; write /subscriptions/<id>`);
  if ((m = /^\/?subscriptions\/([^/]+)(?:\/resourceGroups\/([^/]+))?$/i.exec(value))) {
    const sub = m[1] ?? "";
    if (!GUID.test(sub)) throw new UsageError(`--scope: subscription id ${JSON.stringify(sub)} is not a GUID`);
    const rg = m[2];
    if (rg === undefined) return { kind: "subscription", subscriptionId: sub, id: `/subscriptions/${sub}` };
    if (!RG_NAME.test(rg) || rg.endsWith(".")) throw new UsageError(`--scope: resource group name ${JSON.stringify(rg)} is not valid`);
    return { kind: "resourceGroup", subscriptionId: sub, resourceGroup: rg, id: `/subscriptions/${sub}/resourceGroups/${rg}` };
  }
  if (value.includes("/")) {
    throw new UsageError(`--scope ${JSON.stringify(input)} is not a scope azpol knows; use a resource group name, /subscriptions/<id>[/resourceGroups/<rg>], mg:<name> or /providers/Microsoft.Management/managementGroups/<name>`);
  }
  if (!RG_NAME.test(value) || value.endsWith(".")) throw new UsageError(`--scope: resource group name ${JSON.stringify(value)} is not valid`);
  if (!subscriptionId) throw new UsageError(`--scope ${value} is a resource group, so azpol needs a subscription: pass --subscription, set AZURE_SUBSCRIPTION_ID, or run 'az account set'`);
  return { kind: "resourceGroup", subscriptionId, resourceGroup: value, id: `/subscriptions/${subscriptionId}/resourceGroups/${value}` };
}

export function definitionLocation(scope: Scope): DefinitionLocation {
  return scope.kind === "managementGroup" ? { managementGroupId: scope.managementGroupId } : { subscriptionId: scope.subscriptionId };
}

export function definitionId(location: DefinitionLocation, name: string): string {
  const base = "subscriptionId" in location ? `/subscriptions/${location.subscriptionId}` : `/providers/Microsoft.Management/managementGroups/${location.managementGroupId}`;
  return `${base}/providers/Microsoft.Authorization/policyDefinitions/${name}`;
}

export function assignmentId(scope: Scope, name: string): string {
  return `${scope.id}/providers/Microsoft.Authorization/policyAssignments/${name}`;
}

export function describeLocation(location: DefinitionLocation): string {
  return "subscriptionId" in location ? `subscription ${location.subscriptionId}` : `management group ${location.managementGroupId}`;
}

/** The scope of an assignment id, or the location of a definition id (ids as ARM returns them). */
export function scopeOfId(id: string): Scope {
  const at = id.replace(/\/providers\/Microsoft\.Authorization\/policy(?:Assignments|Definitions)\/[^/]+$/i, "");
  return parseScope(at, undefined);
}

export function locationOfId(id: string): DefinitionLocation {
  return definitionLocation(scopeOfId(id));
}
