import { readInputText } from "../../io/read-input.js";
import { createInterface } from "node:readline/promises";
import { Option, type Command } from "commander";
import { applyPlan } from "../../deploy/apply-plan.js";
import { assignmentValues, readParametersDocument } from "../../deploy/assignment-values.js";
import { mapConcurrent } from "../../deploy/concurrency.js";
import { desiredState, type EnforcementMode } from "../../deploy/desired-state.js";
import { planDeployment } from "../../deploy/plan.js";
import { describeLocation } from "../../deploy/scope.js";
import { AbortError, AzpolError, ExitCode, UsageError } from "../../errors.js";
import { setProjectBoundary } from "../../io/project-boundary.js";
import type { Output } from "../output.js";
import { diagnosticJson, formatDiagnostic } from "../render/diagnostics.js";
import { formatOutcome, formatPlan } from "../render/plan.js";
import type { ArmOptions } from "./deploy-context.js";
import { collect, loadAndBuild, parseOverrides, withRegoCheck } from "./load.js";
import { withHostedCheck } from "./hosted-check.js";

interface DeployOptions extends ArmOptions {
  allowOutsideProject?: boolean;
  param?: string[];
  parametersFile?: string;
  enforcementMode: EnforcementMode;
  dryRun?: boolean;
  yes?: boolean;
  json?: boolean;
  concurrency: string;
  offline?: boolean;
}

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

export function registerDeploy(program: Command, output: Output, setExit: (code: number) => void): void {
  program
    .command("deploy")
    .description("create or update the definitions and their assignments in Azure; shows a plan first")
    .argument("[paths...]", "definition files or folders (default: definitions)")
    .requiredOption("-s, --scope <scope>", "where to assign: a resource group name, /subscriptions/<id>[/resourceGroups/<rg>], mg:<name> or a management group id")
    .option("--subscription <id-or-name>", "subscription (default: AZURE_SUBSCRIPTION_ID, then the Azure CLI's default)")
    .option("-p, --param <name=value>", "assignment parameter value (repeatable), e.g. effect=Audit or allowedRegistries=a.azurecr.io,b.azurecr.io", collect)
    .option("--parameters-file <file>", 'assignment parameter values as JSON: {"name": value} or an ARM parameters file')
    .addOption(new Option("--enforcement-mode <mode>", "Default denies at admission; DoNotEnforce only reports").choices(["Default", "DoNotEnforce"]).default("Default"))
    .option("--dry-run", "show the plan and stop")
    .option("-y, --yes", "apply without asking")
    .option("--allow-outside-project", "let definitions and suites point at files outside the working folder")
    .option("--json", "print the plan and the result as JSON (implies no prompt: use with --yes or --dry-run)")
    .option("--concurrency <n>", "parallel ARM writes", "8")
    .option("--offline", "do not fetch PublicURL templates to check they are the ones tested here (warns)")
    .option("--max-retries <n>", "retries for throttling (429) and server errors (5xx)", "3")
    .option("--request-timeout <seconds>", "seconds to wait for each ARM request before retrying it", "60")
    .option("--credential-timeout <seconds>", "seconds to wait for a token from the Azure credentials", "30")
    .addHelpText(
      "after",
      "\nCredentials: DefaultAzureCredential (az login, environment, managed identity, ...).\nDefinitions go to the subscription (or management group) containing the scope; each gets one\nassignment at the scope. Only what differs is written; changes Azure would reject are blocked\nbefore any write.\nExit codes: 0 applied or nothing to do, 1 invalid definitions or blocked changes, 2 usage error,\n3 Azure error, 4 not confirmed.",
    )
    .action(async (paths: string[], options: DeployOptions) => {
      setProjectBoundary(options.allowOutsideProject === true ? undefined : process.cwd());
      const json = options.json === true;
      const concurrency = Number(options.concurrency);
      if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw new UsageError(`--concurrency must be 1-64, got ${JSON.stringify(options.concurrency)}`);
      // a PublicURL must serve the template tested here before anything points Azure at it
      const built = await withHostedCheck(await withRegoCheck(loadAndBuild(paths, [], [])), options.offline === true);
      if (!built.ok) {
        if (json) output.out(JSON.stringify({ ok: false, diagnostics: built.diagnostics.map(diagnosticJson) }, null, 2));
        else for (const d of built.diagnostics) output.err(formatDiagnostic(d));
        throw new AzpolError("InvalidDefinitions", "the definitions have errors; nothing was deployed (run azpol validate)");
      }
      if (!json) for (const d of built.diagnostics.filter((x) => x.code === "AZP3013")) output.err(formatDiagnostic(d));
      let fileValues: Record<string, unknown> = {};
      if (options.parametersFile) {
        let doc: unknown;
        const read = readInputText(options.parametersFile);
        if ("error" in read) throw new UsageError(`--parameters-file ${JSON.stringify(options.parametersFile)} ${read.error}`);
        try {
          doc = JSON.parse(read.text);
        } catch (e) {
          throw new UsageError(`--parameters-file ${options.parametersFile}: ${e instanceof Error ? e.message : String(e)}`);
        }
        fileValues = readParametersDocument(doc, options.parametersFile);
      }
      const values = assignmentValues(built.models, parseOverrides(options.param), fileValues);
      // The Azure SDK costs ~0.3 s to load: only the commands that talk to Azure load it.
      const { deployContext } = await import("./deploy-context.js");
      const ctx = deployContext(options, output, json);
      const desired = desiredState(built.models, ctx.scope, (m) => values.get(m.name) ?? {}, options.enforcementMode);

      if (!json) output.err(`reading ${desired.definitions.length + desired.assignments.length} resources from ARM...`);
      const [definitions, assignments] = await Promise.all([
        mapConcurrent(desired.definitions, concurrency, (d) => ctx.port.getDefinition(d.location, d.name)),
        mapConcurrent(desired.assignments, concurrency, (a) => ctx.port.getAssignment(a.scope, a.name)),
      ]);
      const plan = planDeployment(desired, { definitions, assignments }, describeLocation(desired.location));
      const planJson = { scope: plan.scope, definitionLocation: plan.definitionLocation, counts: plan.counts, items: plan.items.map(({ desired: _d, ...rest }) => rest) };
      if (!json) output.out(formatPlan(plan));

      const pending = plan.counts.create + plan.counts.update;
      if (plan.counts.blocked > 0) {
        if (json) output.out(JSON.stringify({ ok: false, plan: planJson, applied: [] }, null, 2));
        else output.err(`${plan.counts.blocked} change(s) are blocked; nothing was changed`);
        setExit(ExitCode.Findings);
        return;
      }
      if (pending === 0 || options.dryRun) {
        if (json) output.out(JSON.stringify({ ok: true, dryRun: options.dryRun === true, plan: planJson, applied: [] }, null, 2));
        else output.err(pending === 0 ? "nothing to change" : "dry run: nothing was changed");
        setExit(ExitCode.Ok);
        return;
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
              if (e.type === "start") output.err(`  ${e.item.action === "create" ? "creating" : "updating"} ${e.item.kind} ${e.item.name}...`);
            },
        concurrency,
      );
      const failed = outcomes.filter((o) => o.status !== "done");
      if (json) output.out(JSON.stringify({ ok: failed.length === 0, plan: planJson, applied: outcomes }, null, 2));
      else {
        for (const o of outcomes) output.out(formatOutcome(o));
        output.err(failed.length ? `${failed.length} of ${outcomes.length} change(s) failed; fix the cause and rerun: azpol only writes what still differs` : `applied ${outcomes.length} change(s)`);
      }
      setExit(failed.length ? ExitCode.Azure : ExitCode.Ok);
    });
}
