// import by id: read one definition (or one assignment) through ARM (the same PolicyClient port deploy uses, with
// DefaultAzureCredential and AZPOL_ARM_ENDPOINT / AZPOL_ARM_CA_FILE).
import { networkPolicy, NetworkTimeout, withinDeadline, type NetworkPolicy } from "../../net/network-policy.js";
import { readFileSync } from "node:fs";
import { createCredential } from "../../deploy/credential.js";
import { policyClientPort } from "../../deploy/policy-client-port.js";
import { parseScope } from "../../deploy/scope.js";
import { AzpolError, ExitCode, UsageError } from "../../errors.js";
import type { AzureReader } from "../../actions/import/import.js";
import type { Output } from "../output.js";

const BUILT_IN = /^\/providers\/Microsoft\.Authorization\/policyDefinitions\/([^/]+)$/i;
const AT_SUBSCRIPTION = /^\/subscriptions\/([^/]+)\/providers\/Microsoft\.Authorization\/policyDefinitions\/([^/]+)$/i;
const AT_MANAGEMENT_GROUP = /^\/providers\/Microsoft\.Management\/managementGroups\/([^/]+)\/providers\/Microsoft\.Authorization\/policyDefinitions\/([^/]+)$/i;

/** One read, within --deadline (each request is bounded by --request-timeout in the SDK pipeline). */
async function read<T>(network: NetworkPolicy, id: string, work: Promise<T>): Promise<T> {
  try {
    return await withinDeadline(network, `reading ${id}`, work);
  } catch (e) {
    if (e instanceof NetworkTimeout) throw new AzpolError("DeadlineExceeded", e.message, ExitCode.Azure);
    throw e;
  }
}

export async function readDefinitionById(id: string, output: Output, network: NetworkPolicy = networkPolicy({ requestTimeoutMs: 60_000 })): Promise<unknown> {
  const endpoint = process.env.AZPOL_ARM_ENDPOINT ?? "https://management.azure.com";
  if (!endpoint.startsWith("https://")) throw new UsageError(`AZPOL_ARM_ENDPOINT must be an https:// URL, got ${JSON.stringify(endpoint)}`);
  const extraCa = process.env.AZPOL_ARM_CA_FILE ? readFileSync(process.env.AZPOL_ARM_CA_FILE, "utf8") : undefined;
  const sub = AT_SUBSCRIPTION.exec(id);
  const mg = AT_MANAGEMENT_GROUP.exec(id);
  const builtIn = BUILT_IN.exec(id);
  const port = policyClientPort({ credential: createCredential(30_000), subscriptionId: sub?.[1], endpoint, extraCa, network });
  output.err(`reading ${id} from ARM...`);
  const found = sub
    ? await read(network, id, port.getDefinition({ subscriptionId: sub[1] as string }, sub[2] as string))
    : mg
      ? await read(network, id, port.getDefinition({ managementGroupId: mg[1] as string }, mg[2] as string))
      : builtIn
        ? await read(network, id, port.getBuiltInDefinition(builtIn[1] as string))
        : undefined;
  if (!sub && !mg && !builtIn) throw new UsageError(`${id} is not a policy definition id`);
  if (!found) throw new AzpolError("DefinitionNotFound", `${id} was not found`);
  return { name: found.name, properties: found.properties };
}

const SET_BUILT_IN = /^\/providers\/Microsoft\.Authorization\/policySetDefinitions\/([^/]+)$/i;
const SET_AT_SUBSCRIPTION = /^\/subscriptions\/([^/]+)\/providers\/Microsoft\.Authorization\/policySetDefinitions\/([^/]+)$/i;
const SET_AT_MANAGEMENT_GROUP = /^\/providers\/Microsoft\.Management\/managementGroups\/([^/]+)\/providers\/Microsoft\.Authorization\/policySetDefinitions\/([^/]+)$/i;

/** One policy set (initiative) through ARM, by its id: built-in, at a subscription or at a management group. */
export async function readSetDefinitionById(id: string, output: Output, network: NetworkPolicy = networkPolicy({ requestTimeoutMs: 60_000 })): Promise<unknown> {
  const endpoint = process.env.AZPOL_ARM_ENDPOINT ?? "https://management.azure.com";
  if (!endpoint.startsWith("https://")) throw new UsageError(`AZPOL_ARM_ENDPOINT must be an https:// URL, got ${JSON.stringify(endpoint)}`);
  const extraCa = process.env.AZPOL_ARM_CA_FILE ? readFileSync(process.env.AZPOL_ARM_CA_FILE, "utf8") : undefined;
  const sub = SET_AT_SUBSCRIPTION.exec(id);
  const mg = SET_AT_MANAGEMENT_GROUP.exec(id);
  const builtIn = SET_BUILT_IN.exec(id);
  if (!sub && !mg && !builtIn) throw new UsageError(`${id} is not a policy set definition id`);
  const port = policyClientPort({ credential: createCredential(30_000), subscriptionId: sub?.[1], endpoint, extraCa, network });
  output.err(`reading ${id} from ARM...`);
  const location = sub ? { subscriptionId: sub[1] as string } : mg ? { managementGroupId: mg[1] as string } : undefined;
  const name = (sub?.[2] ?? mg?.[2] ?? builtIn?.[1]) as string;
  const found = await read(network, id, port.getSetDefinition(location, name));
  if (!found) throw new AzpolError("DefinitionNotFound", `${id} was not found`);
  return { name: found.name, properties: found.properties };
}

const ASSIGNMENT = /^(.+)\/providers\/Microsoft\.Authorization\/policyAssignments\/([^/]+)$/i;

export function isAssignmentId(id: string): boolean {
  return ASSIGNMENT.test(id);
}

/** One assignment through ARM, by its id (any scope: management group, subscription, resource group). */
export async function readAssignmentById(id: string, output: Output, network: NetworkPolicy = networkPolicy({ requestTimeoutMs: 60_000 })): Promise<{ id: string; properties: Record<string, unknown> }> {
  const endpoint = process.env.AZPOL_ARM_ENDPOINT ?? "https://management.azure.com";
  if (!endpoint.startsWith("https://")) throw new UsageError(`AZPOL_ARM_ENDPOINT must be an https:// URL, got ${JSON.stringify(endpoint)}`);
  const extraCa = process.env.AZPOL_ARM_CA_FILE ? readFileSync(process.env.AZPOL_ARM_CA_FILE, "utf8") : undefined;
  const m = ASSIGNMENT.exec(id);
  let scope;
  try {
    scope = parseScope(m?.[1] ?? "", undefined);
  } catch {
    throw new UsageError(`${id} is not a policy assignment id at a management group, subscription or resource group`);
  }
  const port = policyClientPort({ credential: createCredential(30_000), subscriptionId: "subscriptionId" in scope ? scope.subscriptionId : undefined, endpoint, extraCa, network });
  output.err(`reading ${id} from ARM...`);
  const found = await read(network, id, port.getAssignment(scope, m?.[2] ?? ""));
  if (!found) throw new AzpolError("AssignmentNotFound", `${id} was not found`);
  return { id: found.id || id, properties: found.properties };
}

/** Both readers, for the import action, within one network policy (--request-timeout, --deadline). */
export function azureReader(output: Output, network: NetworkPolicy): AzureReader {
  return { definition: (id) => readDefinitionById(id, output, network), setDefinition: (id) => readSetDefinitionById(id, output, network), assignment: (id) => readAssignmentById(id, output, network) };
}
