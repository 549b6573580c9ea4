// Shared by deploy and status: subscription, scope and the ARM port, from flags and env.
import { readFileSync } from "node:fs";
import { policyClientPort } from "../../deploy/policy-client-port.js";
import { createCredential } from "../../deploy/credential.js";
import type { ArmPort } from "../../deploy/arm-port.js";
import type { CompliancePort } from "../../compliance/compliance-port.js";
import type { EstateCompliancePort } from "../../compliance/estate-compliance.js";
import { parseScope, type Scope } from "../../deploy/scope.js";
import { resolveSubscription, type SubscriptionChoice } from "../../deploy/subscription.js";
import { UsageError } from "../../errors.js";
import { networkPolicy } from "../../net/network-policy.js";
import type { Output } from "../output.js";

export interface ArmOptions {
  scope: string;
  subscription?: string;
  maxRetries: string;
  requestTimeout: string;
  credentialTimeout: string;
  /** deploy --deadline, already checked (seconds) */
  deadline?: string | undefined;
}


function seconds(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 3600) throw new UsageError(`${flag} must be a number of seconds, 1-3600, got ${JSON.stringify(value)}`);
  return n * 1000;
}

export interface DeployContext {
  scope: Scope;
  subscription: SubscriptionChoice | undefined;
  port: ArmPort;
  endpoint: string;
  /** Policy Insights with the same credential and endpoint (status --compliance) */
  compliance(): Promise<CompliancePort>;
  /** Azure Resource Graph, one paged query for many assignments (status --compliance at a management group) */
  estateCompliance(): Promise<EstateCompliancePort>;
}

export function deployContext(options: ArmOptions, output: Output, quiet: boolean): DeployContext {
  const env = process.env;
  const subscription = resolveSubscription(options.subscription, env);
  const scope = parseScope(options.scope, subscription?.subscriptionId);
  const maxRetries = Number(options.maxRetries);
  if (!Number.isInteger(maxRetries) || maxRetries < 0 || maxRetries > 10) throw new UsageError(`--max-retries must be a whole number 0-10, got ${JSON.stringify(options.maxRetries)}`);
  // AZPOL_ARM_ENDPOINT points azpol at another ARM (a sovereign cloud, or the test fake);
  // AZPOL_ARM_CA_FILE adds a CA to trust for it, next to the public roots.
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
  const requestTimeoutMs = seconds("--request-timeout", options.requestTimeout);
  const credentialTimeoutMs = seconds("--credential-timeout", options.credentialTimeout);
  const subscriptionId = scope.kind === "managementGroup" ? subscription?.subscriptionId : scope.subscriptionId;
  const retryDelay = env.AZPOL_RETRY_DELAY_MS === undefined ? undefined : Number(env.AZPOL_RETRY_DELAY_MS);
  const credential = createCredential(credentialTimeoutMs);
  const network = networkPolicy({ requestTimeoutMs, deadlineMs: options.deadline === undefined ? undefined : Number(options.deadline) * 1000 });
  const port = policyClientPort({
    credential,
    network,
    subscriptionId,
    endpoint,
    extraCa,
    maxRetries,
    retryDelayMs: retryDelay,
    // a capped Retry-After is said even under --json (on stderr): the wait is not what ARM asked
    onRetry: ({ status, wait }) => {
      if (!quiet || wait?.includes("capped")) output.err(`  ARM answered ${status}${status === 429 ? " (throttled)" : ""}; retrying${wait ? `: ${wait}` : ""}...`);
    },
  });
  if (!quiet && subscription && scope.kind !== "managementGroup") output.err(`subscription ${subscription.subscriptionId} (from ${subscription.source})`);
  const compliance = async () => (await import("../../compliance/policy-insights-port.js")).policyInsightsPort({ credential, subscriptionId, endpoint, extraCa, network });
  const estateCompliance = async () =>
    (await import("../../compliance/resource-graph-port.js")).resourceGraphPort({
      credential,
      endpoint,
      extraCa,
      network,
      maxRetries,
      retryDelayMs: retryDelay,
      onRetry: ({ status, wait }) => {
        if (!quiet || wait?.includes("capped")) output.err(`  Resource Graph answered ${status}${status === 429 ? " (throttled)" : ""}; retrying${wait ? `: ${wait}` : ""}...`);
      },
    });
  return { scope, subscription, port, endpoint, compliance, estateCompliance };
}
