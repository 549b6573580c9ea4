import type { Command } from "commander";
import { MANAGED_BY } from "../../deploy/desired-state.js";
import { exemptionsByAssignment } from "../../deploy/exemption-rows.js";
import { ExitCode } from "../../errors.js";
import type { CommandIo } from "../command-io.js";
import type { ArmOptions, DeployContext } from "../azure/deploy-context.js";
import { complianceRow, formatCompliance, type AssignmentCompliance } from "../render/compliance.js";

/**
 * At a management group: one Azure Resource Graph query (paged) for every assignment, however many
 * subscriptions are below it. At a subscription or resource group: Policy Insights per assignment,
 * which also gives the Kubernetes objects (the per-object drill-down Resource Graph's summary lacks).
 */
async function complianceOf(ctx: DeployContext, rows: { id: string; name: string }[]): Promise<Map<string, AssignmentCompliance>> {
  const out = new Map<string, AssignmentCompliance>();
  if (ctx.scope.kind === "managementGroup") {
    const summaries = await (await ctx.estateCompliance()).summarizeAssignments(ctx.scope, rows.map((r) => r.id));
    for (const r of rows) out.set(r.id, complianceRow(summaries.get(r.id.toLowerCase()) ?? { nonCompliantResources: 0, resources: [] }, undefined));
    return out;
  }
  const insights = await ctx.compliance();
  for (const r of rows) out.set(r.id, complianceRow(await insights.summarize(ctx.scope, r.name, r.id), await insights.components(ctx.scope, r.name)));
  return out;
}

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
    .requiredOption("-s, --scope <scope>", "a resource group name, /subscriptions/<id>[/resourceGroups/<rg>], mg:<name> or a management group id")
    .option("--subscription <id-or-name>", "subscription (default: AZURE_SUBSCRIPTION_ID, then the Azure CLI's default)")
    .option("--all", "also list assignments azpol did not make")
    .option("--compliance", "add each assignment's compliance: clusters by state (at a management group from Azure Resource Graph, one paged query) and, at a subscription or resource group, the non-compliant Kubernetes objects from Policy Insights")
    .option("--json", "print as JSON")
    .option("--max-retries <n>", "retries for throttling (429) and server errors (5xx)", "3")
    .option("--request-timeout <seconds>", "seconds to wait for each ARM request before retrying it", "60")
    .option("--credential-timeout <seconds>", "seconds to wait for a token from the Azure credentials", "30")
    .addHelpText("after", "\nExit codes: 0 ok, 2 usage error, 3 Azure error.")
    .action(io.handler(async (options: StatusOptions) => {
      // The Azure SDK costs ~0.3 s to load: only the commands that talk to Azure load it.
      const { deployContext } = await import("../azure/deploy-context.js");
      const ctx = deployContext(options, output, options.json === true);
      const [all, exemptionList] = await Promise.all([ctx.port.listAssignments(ctx.scope), ctx.port.listExemptions(ctx.scope)]);
      const exemptions = exemptionsByAssignment(exemptionList, new Date());
      const mine = all.filter((a) => options.all || (a.properties.metadata as Record<string, unknown> | undefined)?.managedBy === MANAGED_BY.managedBy);
      const rows = mine
        .map((a) => ({
          name: a.name,
          id: a.id,
          policyDefinitionId: typeof a.properties.policyDefinitionId === "string" ? a.properties.policyDefinitionId : "",
          enforcementMode: typeof a.properties.enforcementMode === "string" ? a.properties.enforcementMode : "Default",
          managedByAzpol: (a.properties.metadata as Record<string, unknown> | undefined)?.managedBy === MANAGED_BY.managedBy,
          parameters: Object.fromEntries(Object.entries((a.properties.parameters ?? {}) as Record<string, { value: unknown }>).map(([k, v]) => [k, v.value])),
          exemptions: exemptions.get(a.id.toLowerCase()) ?? [],
        }))
        .sort((a, b) => a.name.localeCompare(b.name));
      const compliance = options.compliance ? await complianceOf(ctx, rows) : undefined;
      if (options.json) output.out(JSON.stringify({ scope: ctx.scope.id, assignments: rows.map((r) => ({ ...r, ...(compliance ? { compliance: compliance.get(r.id) } : {}) })) }, null, 2));
      else {
        output.out(`${rows.length} assignment${rows.length === 1 ? "" : "s"} ${options.all ? "" : "made by azpol "}at ${ctx.scope.id}`);
        for (const r of rows) {
          output.out(`  ${r.name}  ${r.enforcementMode}${r.managedByAzpol ? "" : "  (not azpol)"}\n    ${/\/policySetDefinitions\//i.test(r.policyDefinitionId) ? "initiative" : "definition"}: ${r.policyDefinitionId}${Object.keys(r.parameters).length ? `\n    parameters: ${JSON.stringify(r.parameters)}` : ""}`);
          for (const e of r.exemptions) output.out(`    exemption: ${e.name} (${e.category}${e.referenceIds.length ? `, for ${e.referenceIds.join(", ")}` : ""}${e.expiresOn ? `, ${e.expired ? "EXPIRED on" : "expires"} ${e.expiresOn}` : ", does not expire"}) at ${e.id.replace(/\/providers\/Microsoft\.Authorization\/policyExemptions\/[^/]+$/i, "")}`);
          const c = compliance?.get(r.id);
          if (c) for (const line of formatCompliance(c)) output.out(`    ${line}`);
        }
      }
      return ExitCode.Ok;
    }));
}
