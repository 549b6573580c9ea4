// Azure credentials: DefaultAzureCredential (environment, workload identity, managed
// identity, VS Code, Azure CLI, PowerShell, azd), so `az login` is enough. When none works,
// say per credential what was tried and how to fix it. Tokens are never printed.
import { DefaultAzureCredential } from "@azure/identity";
import type { TokenCredential } from "@azure/core-auth";

export function createCredential(): TokenCredential {
  return new DefaultAzureCredential();
}

const HINTS: [RegExp, string][] = [
  [/^EnvironmentCredential/, "set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or AZURE_CLIENT_CERTIFICATE_PATH) for a service principal"],
  [/^WorkloadIdentityCredential/, "set AZURE_FEDERATED_TOKEN_FILE, AZURE_CLIENT_ID and AZURE_TENANT_ID (workload identity)"],
  [/^ManagedIdentityCredential/, "only on Azure compute with a managed identity"],
  [/Visual Studio Code/i, "sign in with the Azure Resources extension in VS Code"],
  [/Azure CLI|AzureCliCredential|az login/i, "install the Azure CLI and run 'az login'"],
  [/PowerShell/i, "run Connect-AzAccount in Azure PowerShell"],
  [/Azure Developer CLI/i, "run 'azd auth login'"],
];

function isCredentialError(e: unknown): e is Error & { errors?: unknown[] } {
  return e instanceof Error && ["AggregateAuthenticationError", "CredentialUnavailableError", "AuthenticationRequiredError", "AuthenticationError"].includes(e.name);
}

/** One line per credential tried, with a fix; undefined when `e` is not an auth failure. */
export function describeCredentialError(e: unknown): string | undefined {
  if (!isCredentialError(e)) return undefined;
  const inner = Array.isArray(e.errors) && e.errors.length ? e.errors : [e];
  const lines = inner.map((x) => {
    const message = (x instanceof Error ? x.message : String(x)).replace(/^CredentialUnavailableError:\s*/, "");
    const first = message.split(/\n|(?<=\.)\s/)[0] ?? message;
    const hint = HINTS.find(([re]) => re.test(message))?.[1];
    return `  - ${first.trim()}${hint ? `\n    fix: ${hint}` : ""}`;
  });
  return `no Azure credential worked; tried:\n${lines.join("\n")}\nthe quickest fix is usually 'az login' (and 'az account set --subscription <id>')`;
}
