// azpol deploy: flags → the deploy action (src/actions/deploy) → the plan and what was applied
// (cli/render/deploy-run.ts) → exit code.
import { Option, type Command } from "commander";
import type { EnforcementMode } from "../../deploy/desired-state.js";
import { AzpolError, ExitCode, UsageError } from "../../errors.js";
import type { CommandIo } from "../command-io.js";
import type { ArmOptions } from "../azure/deploy-context.js";
import { collect } from "../flags.js";
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
      if (options.json) options.format = "json";
      const json = options.format === "json";
      const concurrency = Number(options.concurrency);
      if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw new UsageError(`--concurrency must be 1-64, got ${JSON.stringify(options.concurrency)}`);
      const { scope, env, param, parametersFile, enforcementMode, owner, out, plan, deadline } = options;
      const flag = (on: boolean | undefined) => on === true;
      const request = { paths, scope, env, param, parametersFile, enforcementMode, owner, out, plan, deadline, concurrency, dryRun: flag(options.dryRun), yes: flag(options.yes), offline: flag(options.offline), prune: flag(options.prune), allowReplace: flag(options.allowReplace), detailedExitcode: flag(options.detailedExitcode) };
      // The Azure SDK costs ~0.3 s to load: only the commands that talk to Azure load it.
      const connect = async (scope: string) => (await import("../azure/deploy-context.js")).deployContext({ ...options, scope }, output, json);
      // loaded when the command runs, not for --help: the action, its renderers and the network policy
      const [{ deploy }, { deployEvents, renderDeployOutcome }, { fetchNetworkFromFlags }] = await Promise.all([import("../../actions/deploy/deploy.js"), import("../render/deploy-run.js"), import("../network-options.js")]);
      // the PublicURL downloads before the plan are bounded by --deadline too (15 s each)
      const network = fetchNetworkFromFlags(deadline === undefined ? {} : { deadline });
      const outcome = await deploy(request, await io.context({ allowOutsideProject: options.allowOutsideProject, quiet: json, network }), connect, deployEvents(output, options.format));
      renderDeployOutcome(output, outcome, json, request.dryRun);
      if (outcome.status === "invalid") throw new AzpolError("InvalidDefinitions", `the ${outcome.stage === "definitions" ? "definitions" : "assignment sources"} have errors; nothing was deployed (run azpol validate)`);
      if (outcome.status === "blocked") return ExitCode.Findings;
      if (outcome.status === "applied") return outcome.applied.some((o) => o.status !== "done") ? ExitCode.Azure : ExitCode.Ok;
      return request.detailedExitcode && outcome.pending > 0 ? DETAILED_EXIT.pending : ExitCode.Ok;
    }));
}
