import { createInterface } from "node:readline/promises";
import { Option, type Command } from "commander";
import { applyPlan } from "../../deploy/apply-plan.js";
import { deadlineIn, NO_DEADLINE } from "../../deploy/deadline.js";
import type { EnforcementMode } from "../../deploy/desired-state.js";
import type { PolicyModel } from "../../core/policy-model.js";
import type { InitiativeModel } from "../../initiative/initiative-model.js";
import { AbortError, AzpolError, ExitCode, UsageError } from "../../errors.js";
import { setProjectBoundary } from "../../io/project-boundary.js";
import type { CommandIo } from "../command-io.js";
import { diagnosticJson, formatDiagnostic } from "../render/diagnostics.js";
import { formatOutcome, formatPlan, formatPlanMarkdown, KIND_LABEL } from "../render/plan.js";
import { loadPlanFile, readAndPlan, resolveOwner, writePlanFile } from "./deploy-plan.js";
import { loadEstate, locationScopeId, planTheEstate } from "./deploy-estate.js";
import { hasAssignments } from "../../assignment/load-assignments.js";
import type { ArmOptions } from "./deploy-context.js";
import { collect } from "../flags.js";
import { runBuild } from "../../pipeline/run-build.js";
import { reviewItem } from "../../deploy/plan-review.js";
import { DETAILED_EXIT } from "../detailed-exitcode.js";

interface DeployOptions extends ArmOptions {
  allowOutsideProject?: boolean;
  param?: string[];
  parametersFile?: string;
  /** given: overrides the sources for this run; without assignment sources "Default" */
  enforcementMode?: EnforcementMode;
  env?: string;
  dryRun?: boolean;
  yes?: boolean;
  json?: boolean;
  format: "text" | "json" | "markdown";
  concurrency: string;
  offline?: boolean;
  owner?: string;
  prune?: boolean;
  allowReplace?: boolean;
  out?: string;
  plan?: string;
  deadline?: string;
  detailedExitcode?: boolean;
}

function deadlineSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 86_400) throw new UsageError(`--deadline must be a number of seconds, up to 86400, got ${JSON.stringify(value)}`);
  return n;
}

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

export function registerDeploy(program: Command, io: CommandIo): void {
  const { output } = io;
  program
    .command("deploy")
    .description("create or update the definitions, initiatives, assignments and exemptions in Azure; shows a plan first")
    .argument("[paths...]", "definition or initiative files, or folders (default: definitions, and initiatives if present)")
    .option("-s, --scope <scope>", "where to assign: a resource group name, /subscriptions/<id>[/resourceGroups/<rg>], mg:<name> or a management group id (required unless --plan or assignments/ has sources; with them it narrows the plan to the scopes at or below it)")
    .option("--env <name>", "with assignments/: the environment whose values to deploy (an assignment's environments: entry); assignments that list environments but not this one are excluded")
    .option("--subscription <id-or-name>", "subscription (default: AZURE_SUBSCRIPTION_ID, then the Azure CLI's default)")
    .option("-p, --param <name=value>", "assignment parameter value (repeatable), e.g. effect=Audit or allowedRegistries=a.azurecr.io,b.azurecr.io", collect)
    .option("--parameters-file <file>", 'assignment parameter values as JSON: {"name": value} or an ARM parameters file')
    .addOption(new Option("--enforcement-mode <mode>", "Default denies at admission; DoNotEnforce only reports").choices(["Default", "DoNotEnforce"]))
    .option("--dry-run", "show the plan and stop")
    .option("-y, --yes", "apply without asking")
    .option("--allow-outside-project", "let definitions and suites point at files outside the working folder")
    .option("--json", "print the plan and the result as JSON (implies no prompt: use with --yes or --dry-run)")
    .option("--concurrency <n>", "parallel ARM writes", "8")
    .option("--offline", "do not fetch PublicURL templates to check they are the ones tested here (warns)")
    .option("--owner <id>", "who owns what this deploy writes (a repository or environment); default: owner: in azpol.yaml, else 'default'")
    .option("--prune", "also delete definitions and assignments this owner made that the sources no longer declare")
    .option("--allow-replace", "replace a definition whose parameter change Azure rejects: create <name>-vN, move this owner's assignments, delete the old one")
    .option("--out <plan.json>", "with --dry-run: save the plan for review, to apply later with --plan")
    .option("--plan <plan.json>", "apply exactly this saved plan; refused if Azure changed since it was made")
    .option("--detailed-exitcode", "with --dry-run: exit 0 when there is nothing to do, 2 when changes are pending, 1 on any error (blocked changes too), as terraform plan -detailed-exitcode")
    .addOption(new Option("--format <format>", "text, json (as --json) or markdown (a plan for a pull-request comment)").choices(["text", "json", "markdown"]).default("text"))
    .option("--max-retries <n>", "retries for throttling (429) and server errors (5xx)", "3")
    .option("--request-timeout <seconds>", "seconds to wait for each ARM request before retrying it", "60")
    .option("--credential-timeout <seconds>", "seconds to wait for a token from the Azure credentials", "30")
    .option("--deadline <seconds>", "overall budget for the run: work not started by then is skipped, work in flight abandoned (exit 3; a re-run converges)")
    .addHelpText(
      "after",
      "\nCredentials: DefaultAzureCredential (az login, environment, managed identity, ...).\nWith assignment sources (assignments/) and no paths: the whole estate in one plan, every assignment at\nevery scope it lists, definitions at definitionLocation (azpol.yaml); --scope narrows, --env picks values.\nWithout: definitions and initiatives go to the subscription (or management group) containing the scope; each\ninitiative gets one assignment at the scope, and so does each definition outside an initiative.\nExemptions declared in the sources are made against those assignments (expired ones are skipped).\nThe plan reads paged lists (custom definitions, assignments at the scope; initiatives and exemptions\nwhen used or pruning); only what differs is written; changes Azure would reject are blocked before any write.\nEverything written carries metadata.managedBy: azpol and azpolOwner; --prune deletes only this\nowner's resources, exemptions and assignments first.\nExit codes: 0 applied or nothing to do, 1 invalid definitions or blocked changes, 2 usage error,\n3 Azure error, 4 not confirmed. With --dry-run --detailed-exitcode: 0 nothing to do, 2 changes pending,\n1 any error (blocked changes, invalid definitions, usage, Azure).",
    )
    .action(io.handler(async (paths: string[], options: DeployOptions) => {
      setProjectBoundary(options.allowOutsideProject === true ? undefined : process.cwd());
      if (options.json) options.format = "json";
      const json = options.format === "json";
      const concurrency = Number(options.concurrency);
      if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw new UsageError(`--concurrency must be 1-64, got ${JSON.stringify(options.concurrency)}`);
      if (options.detailedExitcode && !options.dryRun) throw new UsageError("--detailed-exitcode reports whether changes are pending: use it with --dry-run");
      if (options.out !== undefined && !options.dryRun) throw new UsageError("--out saves a plan for review: use it with --dry-run");
      if (options.plan !== undefined && (options.out !== undefined || options.prune || paths.length)) throw new UsageError("--plan applies a saved plan as it is: it takes no sources, --prune or --out");
      if (options.plan !== undefined && options.scope !== undefined) throw new UsageError("--plan applies a saved plan at the scope it was made for; --scope cannot change it (make a new plan for another scope)");
      const estateMode = options.plan === undefined && paths.length === 0 && hasAssignments(process.cwd());
      if (options.plan === undefined && options.scope === undefined && !estateMode) throw new UsageError("--scope is required (or --plan <file>, or assignment sources under assignments/)");
      if (options.env !== undefined && !estateMode) throw new UsageError("--env picks the values of assignment sources (assignments/), and this run has none");
      if (estateMode && options.out !== undefined) throw new UsageError("--out: a saved plan of the estate cannot be applied with --plan yet; review it with --dry-run --format markdown or --detailed-exitcode");
      const owner = options.plan === undefined ? resolveOwner(options.owner, options.prune === true) : "";
      const deadline = options.deadline === undefined ? NO_DEADLINE : deadlineIn(deadlineSeconds(options.deadline) * 1000, `the --deadline of ${options.deadline} s`);
      let models: PolicyModel[] = [];
      let initiatives: InitiativeModel[] = [];
      let warnings: ReturnType<typeof diagnosticJson>[] = [];
      let estate: ReturnType<typeof loadEstate> | undefined;
      if (options.plan === undefined) {
        // a PublicURL must serve the template tested here before anything points Azure at it
        const built = await runBuild({ paths, formats: [], overrides: [], hosted: options.offline === true ? "offline" : "online" });
        if (!built.ok) {
          if (json) output.out(JSON.stringify({ ok: false, diagnostics: built.diagnostics.map(diagnosticJson) }, null, 2));
          else for (const d of built.diagnostics) output.err(formatDiagnostic(d));
          throw new AzpolError("InvalidDefinitions", "the definitions have errors; nothing was deployed (run azpol validate)");
        }
        // said again here: skipped hosted checks, and expired exemptions deploy leaves out
        if (!json) for (const d of built.diagnostics.filter((x) => x.code === "AZP3013" || x.code === "AZP2037")) output.err(formatDiagnostic(d));
        if (built.mutations.length) {
          // said, never skipped silently: deploy does not carry Mutate definitions yet
          throw new AzpolError("InvalidDefinitions", `deploy does not send Mutate definitions (details.mutationInfo) yet: ${built.mutations.map((m) => m.sourceFile).join(", ")}; deploy the others by naming their folders, and create these from azpol build's policy.json (az policy definition create --rules ...)`);
        }
        models = built.models;
        initiatives = built.initiatives;
        warnings = built.diagnostics.filter((d) => d.severity === "warning").map(diagnosticJson);
        if (estateMode) {
          estate = loadEstate(process.cwd(), models, initiatives, options.env);
          if (!estate.ok) {
            if (json) output.out(JSON.stringify({ ok: false, diagnostics: estate.diagnostics.map(diagnosticJson) }, null, 2));
            else for (const d of estate.diagnostics) output.err(formatDiagnostic(d));
            throw new AzpolError("InvalidDefinitions", "the assignment sources have errors; nothing was deployed (run azpol validate)");
          }
          if (!json) for (const d of estate.diagnostics) output.err(formatDiagnostic(d));
          if (!json) for (const f of estate.excluded) output.err(`excluded: ${f} lists environments, not '${options.env ?? ""}'`);
          warnings.push(...estate.diagnostics.map(diagnosticJson));
        }
      }
      // The Azure SDK costs ~0.3 s to load: only the commands that talk to Azure load it.
      const { deployContext } = await import("./deploy-context.js");
      const saved = options.plan === undefined ? undefined : loadPlanFile(options.plan);
      const ctx = deployContext({ ...options, scope: options.scope ?? saved?.plan.scope ?? (estate?.location ? locationScopeId(estate.location) : "") }, output, json);
      if (!json) output.err("reading what azpol manages at the scope from ARM (custom definitions, assignments, and initiatives and exemptions when used)...");
      const values = { param: options.param, parametersFile: options.parametersFile, owner, prune: options.prune === true, allowReplace: options.allowReplace === true };
      const plan =
        estate?.location !== undefined
          ? await deadline.race(planTheEstate(ctx.port, { ...values, models, initiatives, assignments: estate.assignments, location: estate.location, narrow: options.scope === undefined ? undefined : ctx.scope, enforcementMode: options.enforcementMode }), "reading ARM")
          : await readAndPlan(ctx, saved, options.plan ?? "", { ...values, models, initiatives, scope: ctx.scope, enforcementMode: options.enforcementMode ?? "Default" }, deadline);
      const planJson = { scope: plan.scope, definitionLocation: plan.definitionLocation, counts: plan.counts, ...(plan.valueOrigins ? { valueOrigins: plan.valueOrigins } : {}), items: plan.items.map((i) => { const { desired: _d, current: _c, ...rest } = i; return { ...rest, review: reviewItem(i, plan.valueOrigins) }; }) };
      if (options.format === "markdown") output.out(formatPlanMarkdown(plan));
      else if (!json) output.out(formatPlan(plan));
      if (options.out !== undefined) {
        writePlanFile(options.out, plan, owner);
        if (!json) output.err(`saved the plan to ${options.out}; apply it with: azpol deploy --plan ${options.out}`);
      }

      const pending = plan.counts.create + plan.counts.update + plan.counts.delete;
      if (plan.counts.blocked > 0) {
        if (json) output.out(JSON.stringify({ ok: false, plan: planJson, applied: [], warnings }, null, 2));
        else output.err(`${plan.counts.blocked} change(s) are blocked; nothing was changed`);
        return ExitCode.Findings;
      }
      if (pending === 0 || options.dryRun) {
        if (json) output.out(JSON.stringify({ ok: true, dryRun: options.dryRun === true, plan: planJson, applied: [], warnings }, null, 2));
        else output.err(pending === 0 ? "nothing to change" : "dry run: nothing was changed");
        return options.detailedExitcode && pending > 0 ? DETAILED_EXIT.pending : ExitCode.Ok;
      }
      if (!options.yes) {
        if (json || !process.stdin.isTTY) throw new AbortError(`${pending} change(s) planned but not confirmed; rerun with --yes to apply without a prompt`);
        if (!(await confirm(`Apply ${pending} change(s) to ${plan.scope}? [y/N] `))) throw new AbortError("not applied");
      }
      const outcomes = await applyPlan(
        plan,
        ctx.port,
        json
          ? undefined
          : (e) => {
              if (e.type === "start") output.err(`  ${{ create: "creating", update: "updating", delete: "deleting" }[e.item.action as "create"]} ${KIND_LABEL[e.item.kind]} ${e.item.name}...`);
            },
        concurrency,
        deadline,
      );
      const failed = outcomes.filter((o) => o.status !== "done");
      if (json) output.out(JSON.stringify({ ok: failed.length === 0, plan: planJson, applied: outcomes, warnings }, null, 2));
      else {
        for (const o of outcomes) output.out(formatOutcome(o));
        output.err(failed.length ? `${failed.length} of ${outcomes.length} change(s) failed; fix the cause and rerun: azpol only writes what still differs` : `applied ${outcomes.length} change(s)`);
      }
      return failed.length ? ExitCode.Azure : ExitCode.Ok;
    }));
}
