// Azure credentials: DefaultAzureCredential (environment, workload identity, managed
// identity, VS Code, Azure CLI, PowerShell, azd), so `az login` is enough. When none works,
// say per credential what was tried and how to fix it. Tokens are never printed.
import { DefaultAzureCredential } from "@azure/identity";
import type { TokenCredential } from "@azure/core-auth";

export function createCredential(timeoutMs?: number): TokenCredential {
  const inner = new DefaultAzureCredential();
  return timeoutMs ? withTimeout(inner, timeoutMs) : inner;
}

/**
 * Bounds getting a token: DefaultAzureCredential tries one credential after another, and a
 * managed-identity probe on a network that drops packets can wait for over a minute. The
 * abort signal asks each credential to stop; the timer makes sure azpol stops waiting.
 */
export function withTimeout(inner: TokenCredential, timeoutMs: number): TokenCredential {
  return {
    async getToken(scopes, options) {
      const timeout = AbortSignal.timeout(timeoutMs);
      const signal = options?.abortSignal ? AbortSignal.any([options.abortSignal as AbortSignal, timeout]) : timeout;
      let timer: NodeJS.Timeout | undefined;
      const expired = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new CredentialTimeoutError(timeoutMs)), timeoutMs + 250);
      });
      try {
        return await Promise.race([inner.getToken(scopes, { ...options, abortSignal: signal }), expired]);
      } catch (e) {
        if (timeout.aborted) throw new CredentialTimeoutError(timeoutMs);
        throw e;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

export class CredentialTimeoutError extends Error {
  constructor(ms: number) {
    super(`no Azure credential answered within ${Math.round(ms / 1000)} s (--credential-timeout); on a machine without managed identity, run 'az login' or set AZURE_TOKEN_CREDENTIALS=AzureCliCredential to skip the probes`);
    this.name = "CredentialTimeoutError";
  }
}

/** The variables a credential reads: which to set, or, when all are set, that their values are what failed. */
function variablesHint(names: string[], what: string, env: NodeJS.ProcessEnv = process.env): string {
  const missing = names.filter((n) => !env[n]);
  return missing.length ? `set ${missing.join(", ")} (${what})` : `${names.join(", ")} are set: check their values (${what}); the message above says which part Azure refused`;
}

const HINTS: [RegExp, string | (() => string)][] = [
  [/^EnvironmentCredential/, () => (process.env.AZURE_CLIENT_CERTIFICATE_PATH ? variablesHint(["AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_CERTIFICATE_PATH"], "a service principal with a certificate") : variablesHint(["AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET"], "a service principal; or AZURE_CLIENT_CERTIFICATE_PATH instead of the secret"))],
  [/^WorkloadIdentityCredential/, () => variablesHint(["AZURE_FEDERATED_TOKEN_FILE", "AZURE_CLIENT_ID", "AZURE_TENANT_ID"], "workload identity")],
  [/^ManagedIdentityCredential/, "only on Azure compute with a managed identity"],
  [/Visual Studio Code/i, "sign in with the Azure Resources extension in VS Code"],
  [/Azure CLI|AzureCliCredential|az login/i, "install the Azure CLI and run 'az login'"],
  [/PowerShell/i, "run Connect-AzAccount in Azure PowerShell"],
  [/Azure Developer CLI/i, "run 'azd auth login'"],
];

function isCredentialError(e: unknown): e is Error & { errors?: unknown[] } {
  return e instanceof Error && ["AggregateAuthenticationError", "CredentialUnavailableError", "AuthenticationRequiredError", "AuthenticationError", "CredentialTimeoutError"].includes(e.name);
}

/** One line per credential tried, with a fix; undefined when `e` is not an auth failure. */
export function describeCredentialError(e: unknown): string | undefined {
  if (!isCredentialError(e)) return undefined;
  const inner = Array.isArray(e.errors) && e.errors.length ? e.errors : [e];
  const lines = inner.map((x) => {
    const message = (x instanceof Error ? x.message : String(x)).replace(/^CredentialUnavailableError:\s*/, "");
    const first = message.split(/\n|(?<=\.)\s/)[0] ?? message;
    const found = HINTS.find(([re]) => re.test(message))?.[1];
    const hint = typeof found === "function" ? found() : found;
    return `  - ${first.trim()}${hint ? `\n    fix: ${hint}` : ""}`;
  });
  return `no Azure credential worked; tried:\n${lines.join("\n")}\nthe quickest fix is usually 'az login' (and 'az account set --subscription <id>')`;
}
