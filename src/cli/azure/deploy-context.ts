// The ARM port deploy and status use (and the compliance ports status --compliance uses), at the
// scope the run names: the subscription from --subscription, AZURE_SUBSCRIPTION_ID or the Azure
// CLI's default, and the connection every ARM command shares (arm-connection.ts).
import { policyClientPort } from "../../deploy/policy-client-port.js";
import type { ArmPort } from "../../deploy/arm-port.js";
import type { CompliancePort } from "../../compliance/compliance-port.js";
import type { EstateCompliancePort } from "../../compliance/estate-compliance.js";
import { parseScope, type Scope } from "../../deploy/scope.js";
import { resolveSubscription, type SubscriptionChoice } from "../../deploy/subscription.js";
import type { Output } from "../output.js";
import { armConnection, type ArmFlags } from "./arm-connection.js";

export interface ArmOptions extends ArmFlags {
  scope: string;
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
  const subscription = resolveSubscription(options.subscription, process.env);
  const scope = parseScope(options.scope, subscription?.subscriptionId);
  const connection = armConnection(options, output, quiet);
  const { credential, endpoint, extraCa, network, maxRetries, retryDelayMs } = connection;
  const subscriptionId = scope.kind === "managementGroup" ? subscription?.subscriptionId : scope.subscriptionId;
  const port = policyClientPort({ credential, network, subscriptionId, endpoint, extraCa, maxRetries, retryDelayMs, onRetry: connection.onRetry("ARM") });
  if (!quiet && subscription && scope.kind !== "managementGroup") output.err(`subscription ${subscription.subscriptionId} (from ${subscription.source})`);
  const compliance = async () => (await import("../../compliance/policy-insights-port.js")).policyInsightsPort({ credential, subscriptionId, endpoint, extraCa, network });
  const estateCompliance = async () => (await import("../../compliance/resource-graph-port.js")).resourceGraphPort({ credential, endpoint, extraCa, network, maxRetries, retryDelayMs, onRetry: connection.onRetry("Resource Graph") });
  return { scope, subscription, port, endpoint, compliance, estateCompliance };
}
