// Carries out a plan through the ArmPort, in the order ARM needs: deleted assignments, then
// definitions, then assignments, then deleted definitions (a definition cannot be deleted while it
// is assigned, nor assigned before it exists). A failure is recorded and the rest goes on
// (assignments of a failed definition are skipped), so a re-run converges on what is left.
import type { AzureError } from "../errors.js";
import { mapConcurrent } from "./concurrency.js";
import type { ArmPort } from "./arm-port.js";
import type { DesiredAssignment, DesiredDefinition } from "./desired-state.js";
import type { Plan, PlanItem } from "./plan.js";
import { locationOfId, scopeOfId } from "./scope.js";

export interface ApplyOutcome {
  kind: PlanItem["kind"];
  name: string;
  action: "create" | "update" | "delete";
  status: "done" | "failed" | "skipped";
  error?: { code: string; message: string; statusCode?: number | undefined; requestId?: string | undefined };
}

export type ApplyEvent = { type: "start" | "done"; item: PlanItem } | { type: "failed"; item: PlanItem; error: AzureError } | { type: "skipped"; item: PlanItem; reason: string };

export async function applyPlan(plan: Plan, port: ArmPort, onEvent: (e: ApplyEvent) => void = () => {}, concurrency = 8): Promise<ApplyOutcome[]> {
  const failedDefinitions = new Set<string>();
  const writes = plan.items.filter((i) => i.action === "create" || i.action === "update");
  const deletes = plan.items.filter((i) => i.action === "delete");
  const run = async (item: PlanItem): Promise<ApplyOutcome> => {
    const base = { kind: item.kind, name: item.name, action: item.action as "create" | "update" | "delete" };
    if (item.kind === "assignment" && failedDefinitions.has((item.desired as DesiredAssignment).definitionName)) {
      onEvent({ type: "skipped", item, reason: "its definition was not written" });
      return { ...base, status: "skipped" };
    }
    onEvent({ type: "start", item });
    try {
      if (item.action === "delete") {
        const target = item.current;
        if (!target) throw new Error(`nothing read for ${item.kind} ${item.name}`);
        if (item.kind === "assignment") await port.deleteAssignment(scopeOfId(target.id), target.name);
        else await port.deleteDefinition(locationOfId(target.id), target.name);
      } else if (item.kind === "definition") {
        const d = item.desired as DesiredDefinition;
        await port.putDefinition(d.location, d.name, d.properties);
      } else {
        const a = item.desired as DesiredAssignment;
        await port.putAssignment(a.scope, a.name, a.properties);
      }
      onEvent({ type: "done", item });
      return { ...base, status: "done" };
    } catch (e) {
      if (!(e instanceof Error) || !("statusCode" in e)) throw e;
      const error = e as AzureError;
      if (item.kind === "definition") failedDefinitions.add(item.name);
      onEvent({ type: "failed", item, error });
      return { ...base, status: "failed", error: { code: error.code, message: error.message, statusCode: error.statusCode, requestId: error.requestId } };
    }
  };
  const removedAssignments = await mapConcurrent(deletes.filter((i) => i.kind === "assignment"), concurrency, run);
  // definitions first: an assignment needs its definition to exist
  const definitions = await mapConcurrent(writes.filter((i) => i.kind === "definition"), concurrency, run);
  const assignments = await mapConcurrent(writes.filter((i) => i.kind === "assignment"), concurrency, run);
  const removedDefinitions = await mapConcurrent(deletes.filter((i) => i.kind === "definition"), concurrency, run);
  return [...removedAssignments, ...definitions, ...assignments, ...removedDefinitions];
}
