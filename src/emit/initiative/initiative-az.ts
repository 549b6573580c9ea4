// The Azure CLI and Azure PowerShell files of an initiative. `az policy set-definition create`
// takes the members as --definitions (a JSON file; it does not resolve definition names, so the
// ids must be absolute: azure-cli 2.91 aaz/latest/policy/set_definition/_create.py). The ids in
// definitions.json start with DEFINITION_LOCATION, which create.sh replaces with where the
// definitions go. create.sh first runs each member's own create.sh (../<member>/create.sh,
// without SCOPE, so members are not assigned on their own: the initiative is).
import type { InitiativeModel } from "../../initiative/initiative-model.js";
import { policyMetadata, policyParameters } from "../policy-rule.js";
import { commentSafe, psQuote, shOption, shQuote } from "../shell-quote.js";
import { stableJson } from "../stable-json.js";
import { assignWhenScopeSet, ps1AssignWhenScope, ps1Preamble, shPreamble, shTarget } from "../create-scripts.js";
import { DEFINITION_LOCATION, definitionIdAt, memberReferences } from "./policy-set.js";

export const INITIATIVE_AZ_FILES = ["definitions.json", "params.json", "metadata.json", "create.sh", "create.ps1"] as const;

export function initiativeAzFiles(model: InitiativeModel): Record<(typeof INITIATIVE_AZ_FILES)[number], string> {
  return {
    "definitions.json": stableJson(memberReferences(model, definitionIdAt(DEFINITION_LOCATION))),
    "params.json": stableJson(policyParameters(model)),
    "metadata.json": stableJson(policyMetadata(model)),
    "create.sh": createSh(model),
    "create.ps1": createPs1(model),
  };
}

const memberNames = (model: InitiativeModel) => [...new Set(model.members.map((m) => m.definitionName))];

function createSh(model: InitiativeModel): string {
  const q = shQuote;
  const about = `# Creates the member definitions (each with ../<definition>/create.sh), then the initiative
# ${commentSafe(model.name)} with the Azure CLI (run 'az login' first), then assigns the initiative when
# SCOPE is set. Everything goes to MANAGEMENT_GROUP=<name> if set, else to SUBSCRIPTION=<id>, else
# to az's current subscription. ENFORCEMENT_MODE=DoNotEnforce audits only.`;
  return `${shPreamble(model.sourceFile, about, model)}${shTarget(true)}for member in ${memberNames(model).map(q).join(" ")}; do
  SCOPE= sh "../$member/create.sh"
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sed "s|${DEFINITION_LOCATION}|$location|g" definitions.json >"$work/definitions.json"
set_id=$(az policy set-definition create \\
  ${shOption("--name", model.name)} \\
  ${shOption("--display-name", model.displayName)} \\
  ${shOption("--description", model.description)} \\
  --metadata metadata.json \\
  --params params.json \\
  --definitions "$work/definitions.json" \\
  "$@" \\
  --query id --output tsv)
echo "initiative: $set_id"
${assignWhenScopeSet(model, "--policy-set-definition", "$set_id")}`;
}

function createPs1(model: InitiativeModel): string {
  const q = psQuote;
  const about = `# Creates the member definitions (each with ../<definition>/create.ps1), then the initiative
# ${commentSafe(model.name)} with Azure PowerShell (Connect-AzAccount first), then assigns it when -Scope is
# given. Everything goes to -ManagementGroupName if given, else to -SubscriptionId, else to the
# current subscription.`;
  return `${ps1Preamble(model.sourceFile, about, model)}$where = @{}
if ($ManagementGroupName) { $where.ManagementGroupName = $ManagementGroupName; $location = "/providers/Microsoft.Management/managementGroups/$ManagementGroupName" }
elseif ($SubscriptionId) { $where.SubscriptionId = $SubscriptionId; $location = "/subscriptions/$SubscriptionId" }
else { $location = "/subscriptions/$((Get-AzContext).Subscription.Id)" }
foreach ($member in @(${memberNames(model).map(q).join(", ")})) {
  & (Join-Path $PSScriptRoot "../$member/create.ps1") @where | Out-Null
}
$setArgs = @{
  Name             = ${q(model.name)}
  DisplayName      = ${q(model.displayName)}
  Description      = ${q(model.description)}
  Metadata         = (Get-Content -Raw (Join-Path $PSScriptRoot 'metadata.json'))
  Parameter        = (Get-Content -Raw (Join-Path $PSScriptRoot 'params.json'))
  PolicyDefinition = (Get-Content -Raw (Join-Path $PSScriptRoot 'definitions.json')).Replace(${q(DEFINITION_LOCATION)}, $location)
}
$set = New-AzPolicySetDefinition @setArgs @where
Write-Output "initiative: $($set.Id)"
${ps1AssignWhenScope(model, "-PolicySetDefinition $set")}`;
}
