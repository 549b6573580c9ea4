// The RegistryPort `azpol mirror --apply` uses, from flags and the environment the same way
// deploy-context.ts builds the ARM port: DefaultAzureCredential (bounded by --credential-timeout),
// AZPOL_ARM_ENDPOINT / AZPOL_ARM_CA_FILE for another ARM (a sovereign cloud, or the test fake),
// the subscription from --subscription, AZURE_SUBSCRIPTION_ID or the Azure CLI's default, and the
// one network policy (--request-timeout, --deadline, Retry-After caps).
import { readFileSync } from "node:fs";
import { createCredential } from "../../deploy/credential.js";
import { resolveSubscription } from "../../deploy/subscription.js";
import { UsageError } from "../../errors.js";
import { acrClientPort } from "../../deploy/acr-client-port.js";
import type { RegistryPort } from "../../mirror/registry-port.js";
import { networkPolicy } from "../../net/network-policy.js";
import type { Output } from "../output.js";

export interface RegistryOptions {
  subscription?: string;
  maxRetries: string;
  requestTimeout: string;
  credentialTimeout: string;
  deadline?: string;
}

function seconds(flag: string, value: string, max = 3600): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > max) throw new UsageError(`${flag} must be a number of seconds, 1-${max}, got ${JSON.stringify(value)}`);
  return n * 1000;
}

function httpsOnly(name: string, value: string | undefined): string | undefined {
  if (value !== undefined && !value.startsWith("https://")) throw new UsageError(`${name} must be an https:// URL, got ${JSON.stringify(value)}`);
  return value;
}

export function registryPort(options: RegistryOptions, output: Output, quiet: boolean): RegistryPort {
  const env = process.env;
  const subscription = resolveSubscription(options.subscription, env);
  if (!subscription) throw new UsageError("--apply needs a subscription: --subscription <id>, AZURE_SUBSCRIPTION_ID, or 'az account set --subscription <id>'");
  const maxRetries = Number(options.maxRetries);
  if (!Number.isInteger(maxRetries) || maxRetries < 0 || maxRetries > 10) throw new UsageError(`--max-retries must be a whole number 0-10, got ${JSON.stringify(options.maxRetries)}`);
  const endpoint = env.AZPOL_ARM_ENDPOINT ?? "https://management.azure.com";
  if (!endpoint.startsWith("https://")) throw new UsageError(`AZPOL_ARM_ENDPOINT must be an https:// URL, got ${JSON.stringify(endpoint)}`);
  let extraCa: string | undefined;
  if (env.AZPOL_ARM_CA_FILE) {
    try {
      extraCa = readFileSync(env.AZPOL_ARM_CA_FILE, "utf8");
    } catch (e) {
      throw new UsageError(`AZPOL_ARM_CA_FILE: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const network = networkPolicy({ requestTimeoutMs: seconds("--request-timeout", options.requestTimeout), deadlineMs: options.deadline === undefined ? undefined : seconds("--deadline", options.deadline, 86_400) });
  const retryDelayMs = env.AZPOL_RETRY_DELAY_MS === undefined ? undefined : Number(env.AZPOL_RETRY_DELAY_MS);
  if (!quiet) output.err(`subscription ${subscription.subscriptionId} (from ${subscription.source})`);
  return acrClientPort({
    credential: createCredential(seconds("--credential-timeout", options.credentialTimeout)),
    subscriptionId: subscription.subscriptionId,
    endpoint,
    extraCa,
    maxRetries,
    retryDelayMs,
    // tests shorten the wait between polls of a long-running operation as they shorten retries
    pollIntervalMs: retryDelayMs,
    // the registry's data plane (https://<login server>), pointed at a local fake by tests only
    contentEndpoint: httpsOnly("AZPOL_ACR_CONTENT_ENDPOINT", env.AZPOL_ACR_CONTENT_ENDPOINT),
    network,
    onRetry: ({ status, wait }) => {
      if (!quiet || wait?.includes("capped")) output.err(`  ARM answered ${status}${status === 429 ? " (throttled)" : ""}; retrying${wait ? `: ${wait}` : ""}...`);
    },
  });
}
