// deploy without --scope when the project has assignment sources (assignments/): the whole
// estate in one plan. Definitions and initiatives at the definitions' location, every assignment
// at every scope it names (--scope narrows to the scopes at or below it), with the values for
// --env, and this run's flags over them, marked in the plan.
import type { AssignmentModel } from "../../assignment/assignment-model.js";
import type { DefinitionModel } from "../../core/mutation-model.js";
import type { ArmPort } from "../../deploy/arm-port.js";
import { assignmentValues, readParametersDocument } from "../../deploy/assignment-values.js";
import { desiredEstate, type DesiredEstate } from "../../assignment/desired-estate.js";
import type { EnforcementMode } from "../../deploy/desired-state.js";
import { planDeployment, type Current, type Plan } from "../../deploy/plan.js";
import { definitionLocation, describeLocation, parseScope, type DefinitionLocation, type Scope } from "../../deploy/scope.js";
import { UsageError } from "../../errors.js";
import type { InitiativeModel } from "../../initiative/initiative-model.js";
import { buildAssignmentSources } from "../../pipeline/assignment-sources.js";
import { parseOverrides } from "../../core/parameter-override.js";
import { planFromSaved, readJsonFile } from "./saved-plan.js";
import type { SavedPlan } from "../../deploy/plan-file.js";

/** The assignment sources, built for one environment against the definitions and initiatives. */
export function loadEstate(root: string, models: DefinitionModel[], initiatives: InitiativeModel[], env: string | undefined) {
  const built = buildAssignmentSources(root, models, initiatives, env);
  return { ...built, location: built.location ?? (built.ok ? inferLocation(built.assignments) : undefined) };
}

/** Without definitionLocation in azpol.yaml: the one subscription (or management group) every scope is in. */
function inferLocation(assignments: AssignmentModel[]): DefinitionLocation {
  const locations = new Map(assignments.flatMap((a) => a.scopes).map((s) => [JSON.stringify(definitionLocation(s)).toLowerCase(), definitionLocation(s)]));
  const only = [...locations.values()];
  if (only.length === 1 && only[0]) return only[0];
  if (only.length === 0) throw new UsageError("assignments/ makes no assignment here (for this --env); nothing to deploy");
  throw new UsageError(`the assignments span ${only.map(describeLocation).join(", ")}; say where the definitions are made with definitionLocation: in azpol.yaml (a management group above them all, e.g. definitionLocation: mg:platform)`);
}

export interface EstateInput {
  models: DefinitionModel[];
  initiatives: InitiativeModel[];
  assignments: AssignmentModel[];
  location: DefinitionLocation;
  narrow: Scope | undefined;
  param: string[] | undefined;
  parametersFile: string | undefined;
  /** --enforcement-mode, when given */
  enforcementMode: EnforcementMode | undefined;
  owner: string;
}

export function desiredFromEstate(input: EstateInput): { estate: DesiredEstate; valueOrigins: Record<string, string> } {
  const fileValues = input.parametersFile ? readParametersDocument(readJsonFile("--parameters-file", input.parametersFile), input.parametersFile) : {};
  const overrides = parseOverrides(input.param);
  const targets = [...new Set(input.assignments.map((a) => a.target.name))].map((name) => input.models.find((m) => m.name === name) ?? input.initiatives.find((i) => i.name === name)).filter((t) => t !== undefined);
  const values = assignmentValues(targets, overrides, fileValues);
  const estate = desiredEstate(input.models, input.initiatives, input.assignments, input.location, input.owner, { values, ...(input.enforcementMode ? { enforcementMode: input.enforcementMode } : {}) }, input.narrow);
  const valueOrigins: Record<string, string> = {
    ...Object.fromEntries(Object.keys(fileValues).map((k) => [`parameters.${k}`, "--parameters-file"])),
    ...Object.fromEntries(overrides.map((o) => [`parameters.${o.name}`, "--param"])),
    ...(input.enforcementMode ? { enforcementMode: "--enforcement-mode" } : {}),
  };
  return { estate, valueOrigins };
}

/** What Azure has: definitions (and initiatives) at the location, assignments at each scope: one paged list each. */
export async function readEstate(port: ArmPort, estate: Pick<DesiredEstate, "location" | "scopes">, setDefinitions: boolean): Promise<Current> {
  const [definitions, sets, ...lists] = await Promise.all([port.listDefinitions(estate.location), setDefinitions ? port.listSetDefinitions(estate.location) : Promise.resolve([]), ...estate.scopes.map((s) => port.listAssignments(s))]);
  return { definitions, setDefinitions: sets, assignments: [...new Map(lists.flat().map((a) => [a.id.toLowerCase(), a])).values()], exemptions: [] };
}

export function planEstate(estate: DesiredEstate, valueOrigins: Record<string, string>, current: Current, options: { owner: string; prune: boolean; allowReplace: boolean; narrow: Scope | undefined }): Plan {
  const plan = planDeployment(estate, current, describeLocation(estate.location), { owner: options.owner, prune: options.prune, allowReplace: options.allowReplace });
  const scope = `${options.narrow ? `${options.narrow.id}: ` : ""}the estate, assignments at ${estate.scopes.length} scope(s)`;
  return { ...plan, scope, estate: { location: estate.location, scopes: estate.scopes.map((s) => s.id) }, ...(Object.keys(valueOrigins).length ? { valueOrigins } : {}) };
}

/** Reads what the estate needs from ARM and plans it. */
export async function planTheEstate(port: ArmPort, input: EstateInput & { prune: boolean; allowReplace: boolean }): Promise<Plan> {
  const { estate, valueOrigins } = desiredFromEstate(input);
  const current = await readEstate(port, estate, input.initiatives.length > 0 || input.prune);
  return planEstate(estate, valueOrigins, current, { owner: input.owner, prune: input.prune, allowReplace: input.allowReplace, narrow: input.narrow });
}

/** The id of the location as a scope, for the ARM context (its subscription is the default client's). */
export function locationScopeId(location: DefinitionLocation): string {
  return "subscriptionId" in location ? `/subscriptions/${location.subscriptionId}` : `/providers/Microsoft.Management/managementGroups/${location.managementGroupId}`;
}

/** A saved plan of the estate: today's resources where it was made (the location, each of its scopes), then the plan as saved, or PlanStale. */
export async function planFromSavedEstate(port: ArmPort, saved: SavedPlan, file: string): Promise<Plan> {
  const where = saved.plan.estate;
  if (where === undefined) throw new UsageError(`--plan ${file} is not a plan of the estate`);
  const current = await readEstate(port, { location: where.location, scopes: where.scopes.map((id) => parseScope(id, undefined)) }, saved.plan.items.some((i) => i.kind === "setDefinition"));
  return planFromSaved(file, saved, current);
}
