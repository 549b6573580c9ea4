// How a command reaches Azure Resource Manager, read from its flags and the environment the same
// way for every command that talks to ARM (deploy, status, mirror --apply, import by id): DefaultAzureCredential
// bounded by --credential-timeout; AZPOL_ARM_ENDPOINT points azpol at another ARM (a sovereign
// cloud, or the test fake) and AZPOL_ARM_CA_FILE adds a CA to trust for it, next to the public
// roots; --max-retries and AZPOL_RETRY_DELAY_MS for the SDK's retries; and the one network policy
// (--request-timeout, --deadline, Retry-After caps; src/net/network-policy.ts).
import { readFileSync } from "node:fs";
import { createCredential } from "../../deploy/credential.js";
import { UsageError } from "../../errors.js";
import type { RetryNotice } from "../../deploy/network-pipeline.js";
import { networkPolicy, type NetworkPolicy } from "../../net/network-policy.js";
import type { Output } from "../output.js";

/** The flags every ARM command takes (strings as commander gives them; checked here). */
export interface ArmFlags {
  subscription?: string;
  maxRetries: string;
  requestTimeout: string;
  credentialTimeout: string;
  /** the overall budget in seconds (deploy checks its own --deadline earlier, with its own words) */
  deadline?: string | undefined;
}

export interface ArmConnection {
  credential: ReturnType<typeof createCredential>;
  endpoint: string;
  extraCa: string | undefined;
  maxRetries: number;
  retryDelayMs: number | undefined;
  network: NetworkPolicy;
  /** the retry notice for one service ("ARM", "Resource Graph"); a capped Retry-After is said even under --json (on stderr): the wait is not what the service asked */
  onRetry: (service: string) => (notice: RetryNotice) => void;
}

function seconds(flag: string, value: string, max = 3600): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > max) throw new UsageError(`${flag} must be a number of seconds, 1-${max}, got ${JSON.stringify(value)}`);
  return n * 1000;
}

export function armConnection(flags: ArmFlags, output: Output, quiet: boolean, env: NodeJS.ProcessEnv = process.env): ArmConnection {
  const maxRetries = Number(flags.maxRetries);
  if (!Number.isInteger(maxRetries) || maxRetries < 0 || maxRetries > 10) throw new UsageError(`--max-retries must be a whole number 0-10, got ${JSON.stringify(flags.maxRetries)}`);
  const { endpoint, extraCa } = armEndpoint(env);
  const requestTimeoutMs = seconds("--request-timeout", flags.requestTimeout);
  const credentialTimeoutMs = seconds("--credential-timeout", flags.credentialTimeout);
  const network = networkPolicy({ requestTimeoutMs, deadlineMs: flags.deadline === undefined ? undefined : seconds("--deadline", flags.deadline, 86_400) });
  return connect({ endpoint, extraCa, maxRetries, credentialTimeoutMs, network }, output, quiet, env);
}

/**
 * The same connection for a command without the retry and credential flags (import by id): the
 * defaults those flags have elsewhere (3 retries, 30 s for a token) and the command's own network
 * policy (--request-timeout, --deadline from cli/network-options.ts).
 */
export function defaultArmConnection(network: NetworkPolicy, output: Output, quiet: boolean, env: NodeJS.ProcessEnv = process.env): ArmConnection {
  return connect({ ...armEndpoint(env), maxRetries: 3, credentialTimeoutMs: 30_000, network }, output, quiet, env);
}

/** AZPOL_ARM_ENDPOINT (https only) and the CA in AZPOL_ARM_CA_FILE, trusted next to the public roots. */
function armEndpoint(env: NodeJS.ProcessEnv): { endpoint: string; extraCa: string | undefined } {
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
  return { endpoint, extraCa };
}

interface Settings {
  endpoint: string;
  extraCa: string | undefined;
  maxRetries: number;
  credentialTimeoutMs: number;
  network: NetworkPolicy;
}

function connect(settings: Settings, output: Output, quiet: boolean, env: NodeJS.ProcessEnv): ArmConnection {
  const { endpoint, extraCa, maxRetries, credentialTimeoutMs, network } = settings;
  return {
    credential: createCredential(credentialTimeoutMs),
    endpoint,
    extraCa,
    maxRetries,
    retryDelayMs: env.AZPOL_RETRY_DELAY_MS === undefined ? undefined : Number(env.AZPOL_RETRY_DELAY_MS),
    network,
    onRetry:
      (service) =>
      ({ status, wait }) => {
        if (!quiet || wait?.includes("capped")) output.err(`  ${service} answered ${status}${status === 429 ? " (throttled)" : ""}; retrying${wait ? `: ${wait}` : ""}...`);
      },
  };
}
