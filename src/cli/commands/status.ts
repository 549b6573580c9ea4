// azpol status --scope <scope>: flags → the status action (src/actions/status.ts) → the assignments
// azpol made there, with exemptions and compliance → exit code.
import type { Command } from "commander";
import { deadlineIn, NO_DEADLINE } from "../../deploy/deadline.js";
import { ExitCode, UsageError } from "../../errors.js";
import type { CommandIo } from "../command-io.js";
import type { ArmOptions } from "../azure/deploy-context.js";
import { formatCompliance } from "../render/compliance.js";

const isTenantScope = (scope: string): boolean => /^tenant$/i.test(scope.trim());

interface StatusOptions extends ArmOptions {
  json?: boolean;
  all?: boolean;
  compliance?: boolean;
}

export function registerStatus(program: Command, io: CommandIo): void {
  const { output } = io;
  program
    .command("status")
    .description("list the policy assignments azpol made at a scope, with their exemptions")
    .requiredOption("-s, --scope <scope>", "a resource group name, /subscriptions/<id>[/resourceGroups/<rg>], mg:<name>, a management group id, or tenant (the tenant root group)")
    .option("--subscription <id-or-name>", "subscription (default: AZURE_SUBSCRIPTION_ID, then the Azure CLI's default)")
    .option("--all", "also list assignments azpol did not make")
    .option("--compliance", "add each assignment's compliance: clusters by state (at a management group from Azure Resource Graph, one paged query) and, at a subscription or resource group, the non-compliant Kubernetes objects from Policy Insights")
    .option("--json", "print as JSON")
    .option("--max-retries <n>", "retries for throttling (429) and server errors (5xx)", "3")
    .option("--request-timeout <seconds>", "seconds to wait for each ARM request before retrying it", "60")
    .option("--credential-timeout <seconds>", "seconds to wait for a token from the Azure credentials", "30")
    .option("--deadline <seconds>", "overall budget for the run's ARM, Policy Insights and Resource Graph calls; a Retry-After longer than what is left is cut short (exit 3 when it passes)")
    .addHelpText("after", "\nExit codes: 0 ok, 2 usage error, 3 Azure error (or --deadline passed).")
    .action(io.handler(async (options: StatusOptions) => {
      // The Azure SDK costs ~0.3 s to load: only the commands that talk to Azure load it.
      const { deployContext } = await import("../azure/deploy-context.js");
      const { status } = await import("../../actions/status.js"); // loaded when the command runs, not for --help
      const json = options.json === true;
      // each request is bounded in the SDK pipeline; the deadline also bounds the waits between them
      // and the tenant root lookup (checked here, before anything is read)
      const seconds = Number(options.deadline);
      if (options.deadline !== undefined && !(seconds > 0 && seconds <= 86_400)) throw new UsageError(`--deadline must be a number of seconds, above 0 and up to 86400, got ${JSON.stringify(options.deadline)}`);
      const deadline = options.deadline === undefined ? NO_DEADLINE : deadlineIn(seconds * 1000, `the --deadline of ${options.deadline} s`);
      const read = async () => {
        // tenant-wide: the tenant root group (tenant-root.ts); every other scope as deploy reads it
        const scopeArg = isTenantScope(options.scope) ? await (await import("../azure/tenant-root.js")).tenantRootScope(options, output, json) : options.scope;
        const arm = deployContext({ ...options, scope: scopeArg }, output, json);
        return status({ all: options.all === true, compliance: options.compliance === true }, await io.context({ quiet: json }), arm);
      };
      const { scope, rows } = await deadline.race(read(), "reading the assignments");
      if (json) output.out(JSON.stringify({ scope, assignments: rows }, null, 2));
      else {
        output.out(`${rows.length} assignment${rows.length === 1 ? "" : "s"} ${options.all ? "" : "made by azpol "}at ${scope}`);
        for (const r of rows) {
          output.out(`  ${r.name}  ${r.enforcementMode}${r.managedByAzpol ? "" : "  (not azpol)"}\n    ${/\/policySetDefinitions\//i.test(r.policyDefinitionId) ? "initiative" : "definition"}: ${r.policyDefinitionId}${Object.keys(r.parameters).length ? `\n    parameters: ${JSON.stringify(r.parameters)}` : ""}`);
          for (const e of r.exemptions) output.out(`    exemption: ${e.name} (${e.category}${e.referenceIds.length ? `, for ${e.referenceIds.join(", ")}` : ""}${e.expiresOn ? `, ${e.expired ? "EXPIRED on" : "expires"} ${e.expiresOn}` : ", does not expire"}) at ${e.id.replace(/\/providers\/Microsoft\.Authorization\/policyExemptions\/[^/]+$/i, "")}`);
          if (r.compliance) for (const line of formatCompliance(r.compliance)) output.out(`    ${line}`);
        }
      }
      return ExitCode.Ok;
    }));
}
