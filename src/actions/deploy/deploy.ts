// azpol deploy: the sources built (a PublicURL must serve the template tested here), then a plan
// against what Azure has (at one scope, for the whole estate of assignments/, or from a saved plan
// file), then, confirmed, the writes. What happens streams through `events`; the outcome is
// returned; nothing is printed. The ARM port comes from `connect`, so a test gives its own.
import type { Diagnostic } from "../../model/diagnostics.js";
import { applyPlan, type ApplyEvent, type ApplyOutcome } from "../../deploy/apply-plan.js";
import type { ArmPort } from "../../deploy/arm-port.js";
import { deadlineIn, NO_DEADLINE } from "../../deploy/deadline.js";
import type { EnforcementMode } from "../../deploy/desired-state.js";
import type { Plan } from "../../deploy/plan.js";
import type { Scope } from "../../deploy/scope.js";
import type { DefinitionModel } from "../../core/mutation-model.js";
import type { InitiativeModel } from "../../initiative/initiative-model.js";
import { hasAssignments } from "../../assignment/load-assignments.js";
import { AbortError, UsageError } from "../../errors.js";
import { runBuild } from "../../pipeline/run-build.js";
import type { ActionContext } from "../context.js";
import { readAndPlan, resolveOwner } from "./plan-at-scope.js";
import { loadEstate, locationScopeId, planFromSavedEstate, planTheEstate } from "./plan-estate.js";
import { loadPlanFile, writePlanFile } from "./saved-plan.js";

export interface DeployRequest {
  /** definition or initiative files or folders; [] = the project's (and its assignments/ when it has some) */
  paths: string[];
  /** --scope as given; undefined with --plan or assignment sources */
  scope: string | undefined;
  env: string | undefined;
  param: string[] | undefined;
  parametersFile: string | undefined;
  /** given: overrides the sources for this run; without assignment sources "Default" */
  enforcementMode: EnforcementMode | undefined;
  dryRun: boolean;
  yes: boolean;
  /** parallel ARM writes, 1-64 */
  concurrency: number;
  offline: boolean;
  owner: string | undefined;
  prune: boolean;
  allowReplace: boolean;
  /** save the plan for review (with dryRun) */
  out: string | undefined;
  /** apply this saved plan file */
  plan: string | undefined;
  /** the overall budget in seconds, as given (checked here) */
  deadline: string | undefined;
  detailedExitcode: boolean;
}

/** Where deploy reads and writes: the ARM port at the scope the run resolved. */
export interface DeployConnection {
  scope: Scope;
  port: ArmPort;
}

export interface DeployEvents {
  /** build diagnostics said again before the plan: skipped hosted checks, expired exemptions left out */
  notice: (d: Diagnostic) => void;
  /** an assignment source left out: it lists environments, not this --env */
  excluded: (file: string, env: string) => void;
  /** about to read what azpol manages at the scope */
  reading: () => void;
  /** the plan is made (and, with --out, about to be saved) */
  planned: (plan: Plan) => void;
  saved: (file: string) => void;
  /** changes are pending and --yes was not given: whether to apply them */
  confirm: (pending: number, scope: string) => Promise<boolean>;
  /** one write started, done, failed or skipped */
  applying: (e: ApplyEvent) => void;
}

export type DeployOutcome =
  /** the definitions, or the assignment sources, have errors: nothing was read or written */
  | { status: "invalid"; stage: "definitions" | "assignments"; diagnostics: Diagnostic[] }
  | { status: "blocked" | "nothing" | "dryRun" | "applied"; plan: Plan; pending: number; warnings: Diagnostic[]; applied: ApplyOutcome[] };

function deadlineSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 86_400) throw new UsageError(`--deadline must be a number of seconds, up to 86400, got ${JSON.stringify(value)}`);
  return n;
}

/** The combinations of flags deploy refuses, in the order it says so; true = the estate of assignments/. */
function estateModeOf(r: DeployRequest, cwd: string): boolean {
  if (r.detailedExitcode && !r.dryRun) throw new UsageError("--detailed-exitcode reports whether changes are pending: use it with --dry-run");
  if (r.out !== undefined && !r.dryRun) throw new UsageError("--out saves a plan for review: use it with --dry-run");
  if (r.plan !== undefined && (r.out !== undefined || r.prune || r.paths.length)) throw new UsageError("--plan applies a saved plan as it is: it takes no sources, --prune or --out");
  if (r.plan !== undefined && r.scope !== undefined) throw new UsageError("--plan applies a saved plan at the scope it was made for; --scope cannot change it (make a new plan for another scope)");
  const estateMode = r.plan === undefined && r.paths.length === 0 && hasAssignments(cwd);
  if (r.plan === undefined && r.scope === undefined && !estateMode) throw new UsageError("--scope is required (or --plan <file>, or assignment sources under assignments/)");
  if (r.env !== undefined && !estateMode) throw new UsageError("--env picks the values of assignment sources (assignments/), and this run has none");
  return estateMode;
}

export async function deploy(request: DeployRequest, ctx: ActionContext, connect: (scope: string) => Promise<DeployConnection>, events: DeployEvents): Promise<DeployOutcome> {
  const cwd = ctx.files.cwd;
  if (!Number.isInteger(request.concurrency) || request.concurrency < 1 || request.concurrency > 64) throw new UsageError(`--concurrency must be 1-64, got ${JSON.stringify(String(request.concurrency))}`);
  const estateMode = estateModeOf(request, cwd);
  const owner = request.plan === undefined ? resolveOwner(request.owner, request.prune, cwd) : "";
  const deadline = request.deadline === undefined ? NO_DEADLINE : deadlineIn(deadlineSeconds(request.deadline) * 1000, `the --deadline of ${request.deadline} s`);
  let models: DefinitionModel[] = [];
  let initiatives: InitiativeModel[] = [];
  const warnings: Diagnostic[] = [];
  let estate: ReturnType<typeof loadEstate> | undefined;
  if (request.plan === undefined) {
    // a PublicURL must serve the template tested here before anything points Azure at it
    const built = await runBuild({ paths: request.paths, formats: [], overrides: [], hosted: request.offline ? "offline" : "online", engine: ctx.engine, fetcher: ctx.net.templateFetcher(), files: ctx.files });
    if (!built.ok) return { status: "invalid", stage: "definitions", diagnostics: built.diagnostics };
    for (const d of built.diagnostics.filter((x) => x.code === "AZP3013" || x.code === "AZP2037")) events.notice(d);
    // Mutate definitions are definitions like the others: made at the location, assigned on their own
    models = [...built.models, ...built.mutations];
    initiatives = built.initiatives;
    warnings.push(...built.diagnostics.filter((d) => d.severity === "warning"));
    if (estateMode) {
      estate = loadEstate(cwd, models, initiatives, request.env);
      if (!estate.ok) return { status: "invalid", stage: "assignments", diagnostics: estate.diagnostics };
      for (const d of estate.diagnostics) events.notice(d);
      for (const f of estate.excluded) events.excluded(f, request.env ?? "");
      warnings.push(...estate.diagnostics);
    }
  }
  const saved = request.plan === undefined ? undefined : loadPlanFile(request.plan);
  // a saved plan of the estate is read where it was made: its definition location and its scopes
  const savedEstate = saved?.plan.estate;
  const arm = await connect(request.scope ?? (savedEstate ? locationScopeId(savedEstate.location) : saved?.plan.scope) ?? (estate?.location ? locationScopeId(estate.location) : ""));
  events.reading();
  const values = { param: request.param, parametersFile: request.parametersFile, owner, prune: request.prune, allowReplace: request.allowReplace };
  const plan =
    estate?.location !== undefined
      ? await deadline.race(planTheEstate(arm.port, { ...values, models, initiatives, assignments: estate.assignments, location: estate.location, narrow: request.scope === undefined ? undefined : arm.scope, enforcementMode: request.enforcementMode }), "reading ARM")
      : saved !== undefined && savedEstate !== undefined
        ? await deadline.race(planFromSavedEstate(arm.port, saved, request.plan ?? ""), "reading ARM")
        : await readAndPlan(arm, saved, request.plan ?? "", { ...values, models, initiatives, scope: arm.scope, enforcementMode: request.enforcementMode ?? "Default" }, deadline);
  events.planned(plan);
  if (request.out !== undefined) {
    writePlanFile(request.out, plan, owner, ctx.write);
    events.saved(request.out);
  }
  const pending = plan.counts.create + plan.counts.update + plan.counts.delete;
  const result = { plan, pending, warnings, applied: [] as ApplyOutcome[] };
  if (plan.counts.blocked > 0) return { status: "blocked", ...result };
  if (pending === 0 || request.dryRun) return { status: pending === 0 ? "nothing" : "dryRun", ...result };
  if (!request.yes && !(await events.confirm(pending, plan.scope))) throw new AbortError("not applied");
  const applied = await applyPlan(plan, arm.port, events.applying, request.concurrency, deadline);
  return { status: "applied", ...result, applied };
}
