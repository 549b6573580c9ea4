// Carries out a plan through the ArmPort, in the order ARM needs: deleted exemptions, assignments
// and initiatives; then definitions, initiatives, assignments and exemptions; then deleted
// definitions (nothing can be deleted while it is referenced, nor referenced before it exists).
// A failure is recorded and the rest goes on (what depends on a failed write is skipped: an
// initiative on its members, an assignment on what it assigns, an exemption on its assignment),
// so a re-run converges on what is left.
import type { AzureError } from "../errors.js";
import { mapConcurrent } from "./concurrency.js";
import { NO_DEADLINE, type Deadline } from "./deadline.js";
import type { ArmPort } from "./arm-port.js";
import type { DesiredAssignment, DesiredDefinition, DesiredExemption, DesiredSetDefinition } from "./desired-state.js";
import type { Plan, PlanItem } from "./plan.js";
import { locationOfId, scopeOfId } from "./scope.js";

const EXEMPTION_SUFFIX = /\/providers\/Microsoft\.Authorization\/policyExemptions\/[^/]+$/i;
const SET_SUFFIX = /\/providers\/Microsoft\.Authorization\/policySetDefinitions\/([^/]+)$/i;

/** Why an item cannot be written now: what it depends on failed or was skipped. */
function missingDependency(item: PlanItem, failed: Set<string>): string | undefined {
  const d = item.desired;
  if (d.kind === "setDefinition" && "members" in d) {
    const m = d.members.find((x) => failed.has(`definition ${x}`));
    return m ? `its member definition ${m} was not written` : undefined;
  }
  if (d.kind === "assignment" && "definitionName" in d) {
    const what = d.initiative ? "setDefinition" : "definition";
    return failed.has(`${what} ${d.definitionName}`) ? `its ${d.initiative ? "initiative" : "definition"} was not written` : undefined;
  }
  if (d.kind === "exemption" && "assignmentName" in d) return failed.has(`assignment ${d.assignmentName}`) ? "its assignment was not written" : undefined;
  return undefined;
}

export interface ApplyOutcome {
  kind: PlanItem["kind"];
  name: string;
  action: "create" | "update" | "delete";
  status: "done" | "failed" | "skipped";
  /** why it was skipped */
  reason?: string;
  error?: { code: string; message: string; statusCode?: number | undefined; requestId?: string | undefined };
}

export type ApplyEvent = { type: "start" | "done"; item: PlanItem } | { type: "failed"; item: PlanItem; error: AzureError } | { type: "skipped"; item: PlanItem; reason: string };

/** The one ARM call an item needs. */
async function writeItem(item: PlanItem, port: ArmPort): Promise<void> {
  if (item.action === "delete") {
    const target = item.current;
    if (!target) throw new Error(`nothing read for ${item.kind} ${item.name}`);
    if (item.kind === "assignment") await port.deleteAssignment(scopeOfId(target.id), target.name);
    else if (item.kind === "exemption") await port.deleteExemption(target.id.replace(EXEMPTION_SUFFIX, ""), target.name);
    else if (item.kind === "setDefinition") await port.deleteSetDefinition(locationOfId(target.id.replace(SET_SUFFIX, "/providers/Microsoft.Authorization/policyDefinitions/$1")), target.name);
    else await port.deleteDefinition(locationOfId(target.id), target.name);
  } else if (item.kind === "definition") {
    const d = item.desired as DesiredDefinition;
    await port.putDefinition(d.location, d.name, d.properties);
  } else if (item.kind === "setDefinition") {
    const d = item.desired as DesiredSetDefinition;
    await port.putSetDefinition(d.location, d.name, d.properties);
  } else if (item.kind === "exemption") {
    const e = item.desired as DesiredExemption;
    await port.putExemption(e.scopeId, e.name, e.properties);
  } else {
    const a = item.desired as DesiredAssignment;
    await port.putAssignment(a.scope, a.name, a.properties);
  }
}

export async function applyPlan(plan: Plan, port: ArmPort, onEvent: (e: ApplyEvent) => void = () => {}, concurrency = 8, deadline: Deadline = NO_DEADLINE): Promise<ApplyOutcome[]> {
  /** "<kind> <name>" of writes that failed or were skipped */
  const failed = new Set<string>();
  const writes = plan.items.filter((i) => i.action === "create" || i.action === "update");
  const deletes = plan.items.filter((i) => i.action === "delete");
  const run = async (item: PlanItem): Promise<ApplyOutcome> => {
    const base = { kind: item.kind, name: item.name, action: item.action as "create" | "update" | "delete" };
    const missing = deadline.expired() ? "the --deadline passed before it started" : item.action === "delete" ? undefined : missingDependency(item, failed);
    if (missing) {
      failed.add(`${item.kind} ${item.name}`);
      onEvent({ type: "skipped", item, reason: missing });
      return { ...base, status: "skipped", reason: missing };
    }
    onEvent({ type: "start", item });
    try {
      await deadline.race(writeItem(item, port), `${item.action} ${item.kind} ${item.name}`);
      onEvent({ type: "done", item });
      return { ...base, status: "done" };
    } catch (e) {
      if (!(e instanceof Error) || !("statusCode" in e)) throw e;
      const error = e as AzureError;
      if (item.action !== "delete") failed.add(`${item.kind} ${item.name}`);
      onEvent({ type: "failed", item, error });
      return { ...base, status: "failed", error: { code: error.code, message: error.message, statusCode: error.statusCode, requestId: error.requestId } };
    }
  };
  const stage = (list: PlanItem[], kind: PlanItem["kind"]) => mapConcurrent(list.filter((i) => i.kind === kind), concurrency, run);
  const outcomes: ApplyOutcome[] = [];
  for (const kind of ["exemption", "assignment", "setDefinition"] as const) outcomes.push(...(await stage(deletes, kind)));
  // what is referenced before what references it
  for (const kind of ["definition", "setDefinition", "assignment", "exemption"] as const) outcomes.push(...(await stage(writes, kind)));
  outcomes.push(...(await stage(deletes, "definition")));
  return outcomes;
}
