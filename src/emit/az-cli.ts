// For the Azure CLI and Azure PowerShell: `az policy definition create` takes the rule and the
// parameters as two separate files (--rules, --params; the whole policy.json as --rules is a 400
// InvalidPolicyRule) and defaults --mode to Indexed, so the mode is passed explicitly.
// New-AzPolicyDefinition takes the same two files (-Policy, -Parameter) and -Mode. A versioned
// definition's properties.version goes to az as --version (azure-cli 2.91: "The policy definition
// version", api-version 2025-11-01, aaz/latest/policy/definition/_create.py); whether
// New-AzPolicyDefinition takes a version is unconfirmed, so the PowerShell script does not send it.
import { POLICY_MODE } from "../core/policy-model.js";
import type { DefinitionModel } from "../core/mutation-model.js";
import { policyMetadata, policyParameters, policyRule } from "./policy-rule.js";
import { assignWhenScopeSet, ps1AssignWhenScope, ps1Preamble, shPreamble, shTarget } from "./create-scripts.js";
import { psQuote, shOption } from "./shell-quote.js";
import { stableJson } from "./stable-json.js";

export const AZ_FILES = ["rules.json", "params.json", "metadata.json", "create.sh", "create.ps1"] as const;

export function azCliFiles(model: DefinitionModel): Record<(typeof AZ_FILES)[number], string> {
  return {
    "rules.json": stableJson(policyRule(model)),
    "params.json": stableJson(policyParameters(model)),
    // az 2.91 takes --metadata as one value (shorthand syntax or a JSON file), not key=value pairs
    "metadata.json": stableJson(policyMetadata(model)),
    "create.sh": createSh(model),
    "create.ps1": createPs1(model),
  };
}

function createSh(model: DefinitionModel): string {
  const o = shOption;
  const about = `# Creates the policy definition ${model.name} with the Azure CLI (run 'az login' first), then
# assigns it when SCOPE is set. The definition goes to MANAGEMENT_GROUP=<name> if set, else to
# SUBSCRIPTION=<id>, else to az's current subscription. ENFORCEMENT_MODE=DoNotEnforce audits only.`;
  return `${shPreamble(model.sourceFile, about, model)}${shTarget(false)}definition_id=$(az policy definition create \\
  ${o("--name", model.name)} \\
  ${o("--display-name", model.displayName)} \\
  ${o("--description", model.description)} \\
  --mode ${POLICY_MODE} \\
  --metadata metadata.json \\
  --rules rules.json \\
  --params params.json \\${model.versioned ? `\n  ${o("--version", model.version)} \\` : ""}
  "$@" \\
  --query id --output tsv)
echo "definition: $definition_id"
${assignWhenScopeSet(model, "--policy", "$definition_id")}`;
}

function createPs1(model: DefinitionModel): string {
  const q = psQuote;
  const metadata = JSON.stringify(policyMetadata(model));
  const about = `# Creates the policy definition ${model.name} with Azure PowerShell (Connect-AzAccount first), then
# assigns it when -Scope is given. The definition goes to -ManagementGroupName if given, else to
# -SubscriptionId, else to the current subscription.`;
  return `${ps1Preamble(model.sourceFile, about, model)}$definitionArgs = @{
  Name        = ${q(model.name)}
  DisplayName = ${q(model.displayName)}
  Description = ${q(model.description)}
  Mode        = ${q(POLICY_MODE)}
  Metadata    = ${q(metadata)}
  Policy      = (Join-Path $PSScriptRoot 'rules.json')
  Parameter   = (Join-Path $PSScriptRoot 'params.json')
}
if ($ManagementGroupName) { $definitionArgs.ManagementGroupName = $ManagementGroupName }
elseif ($SubscriptionId) { $definitionArgs.SubscriptionId = $SubscriptionId }
$definition = New-AzPolicyDefinition @definitionArgs
Write-Output "definition: $($definition.Id)"
${ps1AssignWhenScope(model, "-PolicyDefinition $definition")}`;
}
