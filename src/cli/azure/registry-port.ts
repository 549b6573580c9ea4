// The RegistryPort `azpol mirror --apply` uses: the subscription from --subscription,
// AZURE_SUBSCRIPTION_ID or the Azure CLI's default, and the connection every ARM command shares
// (arm-connection.ts).
import { resolveSubscription } from "../../deploy/subscription.js";
import { UsageError } from "../../errors.js";
import { acrClientPort } from "../../deploy/acr-client-port.js";
import type { RegistryPort } from "../../mirror/registry-port.js";
import type { Output } from "../output.js";
import { armConnection, type ArmFlags } from "./arm-connection.js";

export type RegistryOptions = ArmFlags;

function httpsOnly(name: string, value: string | undefined): string | undefined {
  if (value !== undefined && !value.startsWith("https://")) throw new UsageError(`${name} must be an https:// URL, got ${JSON.stringify(value)}`);
  return value;
}

export function registryPort(options: RegistryOptions, output: Output, quiet: boolean): RegistryPort {
  const subscription = resolveSubscription(options.subscription, process.env);
  if (!subscription) throw new UsageError("--apply needs a subscription: --subscription <id>, AZURE_SUBSCRIPTION_ID, or 'az account set --subscription <id>'");
  const { credential, endpoint, extraCa, network, maxRetries, retryDelayMs, onRetry } = armConnection(options, output, quiet);
  if (!quiet) output.err(`subscription ${subscription.subscriptionId} (from ${subscription.source})`);
  return acrClientPort({
    credential,
    subscriptionId: subscription.subscriptionId,
    endpoint,
    extraCa,
    maxRetries,
    retryDelayMs,
    // tests shorten the wait between polls of a long-running operation as they shorten retries
    pollIntervalMs: retryDelayMs,
    // the registry's data plane (https://<login server>), pointed at a local fake by tests only
    contentEndpoint: httpsOnly("AZPOL_ACR_CONTENT_ENDPOINT", process.env.AZPOL_ACR_CONTENT_ENDPOINT),
    network,
    onRetry: onRetry("ARM"),
  });
}
