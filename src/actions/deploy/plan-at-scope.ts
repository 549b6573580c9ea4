// deploy's plan at one scope: what is in Azure (the fewest paged lists), then the plan from the
// sources, or from a saved plan file (saved-plan.ts).
import type { ArmPort } from "../../deploy/arm-port.js";
import { assignmentValues, readParametersDocument } from "../../deploy/assignment-values.js";
import { desiredState, type EnforcementMode } from "../../deploy/desired-state.js";
import { assignedThroughInitiatives } from "../../deploy/desired-initiatives.js";
import type { SavedPlan } from "../../deploy/plan-file.js";
import { planDeployment, type Current, type Plan } from "../../deploy/plan.js";
import type { InitiativeModel } from "../../initiative/initiative-model.js";
import { definitionLocation, describeLocation, parseScope, type Scope } from "../../deploy/scope.js";
import type { DefinitionModel } from "../../core/mutation-model.js";
import { UsageError } from "../../errors.js";
import { OWNER_PATTERN, projectOwner } from "../../io/project-file.js";
import { parseOverrides } from "../../core/parameter-override.js";
import { planFromSaved, readJsonFile } from "./saved-plan.js";
import type { Deadline } from "../../deploy/deadline.js";

/**
 * The fewest reads a plan needs: one paged list of custom definitions, one of assignments, and,
 * only when the plan involves them (or prunes), one of initiatives and one of exemptions.
 */
export async function readCurrent(port: ArmPort, scope: Scope, needs: { setDefinitions: boolean; exemptions: boolean; exemptionIds?: string[] }): Promise<Current> {
  const location = definitionLocation(scope);
  // A management group's list may not include exemptions made on subscriptions below it
  // (unconfirmed), so those subscriptions are listed too: one more list each.
  const below = scope.kind === "managementGroup" ? [...new Set((needs.exemptionIds ?? []).map((id) => /^\/subscriptions\/[^/]+/i.exec(id)?.[0]?.toLowerCase()).filter((x): x is string => x !== undefined))] : [];
  const [definitions, assignments, setDefinitions, ...exemptionLists] = await Promise.all([
    port.listDefinitions(location),
    port.listAssignments(scope),
    needs.setDefinitions ? port.listSetDefinitions(location) : Promise.resolve([]),
    ...(needs.exemptions ? [scope, ...below.map((id) => parseScope(id, undefined))].map((s) => port.listExemptions(s)) : []),
  ]);
  const exemptions = [...new Map(exemptionLists.flat().map((e) => [e.id.toLowerCase(), e])).values()];
  return { definitions, assignments, setDefinitions, exemptions };
}

/**
 * Which lists a plan reads beyond definitions and assignments: initiatives when the sources have
 * any (or a saved plan touches one, or prune may delete one), exemptions likewise, and where the
 * sources' exemptions will be made (subscriptions below a management group are listed too).
 */
export function listsNeeded(holders: { exemptions: { scope?: string | undefined; expired: boolean }[] }[], hasInitiatives: boolean, prune: boolean, saved: SavedPlan | undefined): { setDefinitions: boolean; exemptions: boolean; exemptionIds: string[] } {
  const kinds = new Set(saved?.plan.items.map((i) => i.kind) ?? []);
  const declared = holders.flatMap((h) => h.exemptions.filter((e) => !e.expired && e.scope?.startsWith("/")).map((e) => e.scope as string));
  return {
    setDefinitions: hasInitiatives || prune || kinds.has("setDefinition"),
    exemptions: holders.some((h) => h.exemptions.length > 0) || prune || kinds.has("exemption"),
    exemptionIds: [...declared, ...(saved?.plan.items.filter((i) => i.kind === "exemption").map((i) => i.id) ?? [])],
  };
}

/** --owner, else owner: in azpol.yaml; explicit is required to prune. */
export function resolveOwner(flag: string | undefined, prune: boolean, cwd: string): string {
  if (flag !== undefined && !OWNER_PATTERN.test(flag)) throw new UsageError(`--owner must be 1-64 letters, digits, '.', '_' or '-', got ${JSON.stringify(flag)}`);
  const owner = flag ?? projectOwner(cwd);
  if (prune && owner === undefined) throw new UsageError("--prune deletes what this owner made: say who that is with --owner <id> or owner: in azpol.yaml, so it never deletes another repository's or environment's resources");
  return owner ?? "default";
}

export interface SourcePlanInput {
  /** ConstraintTemplate and Mutate definitions alike: each is a definition with its own assignment */
  models: DefinitionModel[];
  initiatives: InitiativeModel[];
  scope: Scope;
  param?: string[] | undefined;
  parametersFile?: string | undefined;
  enforcementMode: EnforcementMode;
  owner: string;
  prune: boolean;
  allowReplace: boolean;
}

export function planFromSources(input: SourcePlanInput, current: Current): Plan {
  const fileValues = input.parametersFile ? readParametersDocument(readJsonFile("--parameters-file", input.parametersFile), input.parametersFile) : {};
  const viaInitiative = assignedThroughInitiatives(input.models, input.initiatives);
  const assigned = [...input.models.filter((m) => !viaInitiative.has(m.name)), ...input.initiatives];
  const overrides = parseOverrides(input.param);
  const values = assignmentValues(assigned, overrides, fileValues);
  const desired = desiredState(input.models, input.scope, (m) => values.get(m.name) ?? {}, input.enforcementMode, input.owner, input.initiatives);
  const plan = planDeployment(desired, current, describeLocation(desired.location), { owner: input.owner, prune: input.prune, allowReplace: input.allowReplace });
  // the plan says which values come from this run's flags (a --param wins over the file)
  const valueOrigins = { ...Object.fromEntries(Object.keys(fileValues).map((k) => [`parameters.${k}`, "--parameters-file"])), ...Object.fromEntries(overrides.map((o) => [`parameters.${o.name}`, "--param"])) };
  return Object.keys(valueOrigins).length ? { ...plan, valueOrigins } : plan;
}

/** Reads what the plan needs from ARM (racing the deadline), then plans from a saved plan or from the sources at one scope. */
export async function readAndPlan(ctx: { port: ArmPort; scope: Scope }, saved: SavedPlan | undefined, file: string, input: SourcePlanInput, deadline: Deadline): Promise<Plan> {
  const current = await deadline.race(readCurrent(ctx.port, ctx.scope, listsNeeded([...input.models, ...input.initiatives], input.initiatives.length > 0, input.prune, saved)), "reading ARM");
  return saved !== undefined ? planFromSaved(file, saved, current) : planFromSources(input, current);
}
