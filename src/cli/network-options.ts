// --request-timeout and --deadline for the commands that go over the network (impact, publish,
// validate --online, new --from-template <url>, import, status), read into the one network policy.
// deploy and mirror declare the same flags with the same meaning.
import type { Command } from "commander";
import { UsageError } from "../errors.js";
import { DEFAULT_FETCH_LIMITS } from "../integrity/fetch-hosted-template.js";
import { networkPolicy, type NetworkPolicy } from "../net/network-policy.js";

export interface NetworkFlags {
  requestTimeout?: string;
  deadline?: string;
}

export function addNetworkOptions(command: Command, defaultTimeoutSeconds = 60): Command {
  return command
    .option("--request-timeout <seconds>", `bound on each network request (default ${defaultTimeoutSeconds})`)
    .option("--deadline <seconds>", "overall budget for the run's network calls; a Retry-After longer than what is left is cut short (exit 3 when it passes)");
}

function seconds(flag: string, value: string, max: number): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n <= 0 || n > max) throw new UsageError(`${flag} must be a number of seconds, above 0 and up to ${max}, got ${JSON.stringify(value)}`);
  return n * 1000;
}

export function networkFromFlags(flags: NetworkFlags, defaultTimeoutSeconds = 60): NetworkPolicy {
  return networkPolicy({
    requestTimeoutMs: flags.requestTimeout === undefined ? defaultTimeoutSeconds * 1000 : seconds("--request-timeout", flags.requestTimeout, 3600),
    deadlineMs: flags.deadline === undefined ? undefined : seconds("--deadline", flags.deadline, 86_400),
  });
}

/** For template downloads: their own default per-request bound (15 s) unless --request-timeout says otherwise; the same --deadline. */
export function fetchNetworkFromFlags(flags: NetworkFlags): NetworkPolicy {
  const network = networkFromFlags(flags);
  return flags.requestTimeout === undefined ? { ...network, requestTimeoutMs: DEFAULT_FETCH_LIMITS.timeoutMs } : network;
}
