// import by id: read one definition, policy set or assignment through ARM: the same PolicyClient port
// deploy uses, over the connection every ARM command shares (arm-connection.ts: DefaultAzureCredential,
// AZPOL_ARM_ENDPOINT / AZPOL_ARM_CA_FILE, retries with their notices, the network policy).
import { NetworkTimeout, withinDeadline, type NetworkPolicy } from "../../net/network-policy.js";
import { policyClientPort } from "../../deploy/policy-client-port.js";
import { parseScope } from "../../deploy/scope.js";
import { AzpolError, ExitCode, UsageError } from "../../errors.js";
import type { AzureReader } from "../../actions/import/import.js";
import type { Output } from "../output.js";
import { defaultArmConnection } from "./arm-connection.js";

const BUILT_IN = /^\/providers\/Microsoft\.Authorization\/policyDefinitions\/([^/]+)$/i;
const AT_SUBSCRIPTION = /^\/subscriptions\/([^/]+)\/providers\/Microsoft\.Authorization\/policyDefinitions\/([^/]+)$/i;
const AT_MANAGEMENT_GROUP = /^\/providers\/Microsoft\.Management\/managementGroups\/([^/]+)\/providers\/Microsoft\.Authorization\/policyDefinitions\/([^/]+)$/i;

interface Reading {
  output: Output;
  network: NetworkPolicy;
  /** --json: retry notices only when a Retry-After was capped (arm-connection.ts) */
  quiet: boolean;
  /** the ports made so far, by subscription ("" for none): a policy set's members are read over one */
  ports: Map<string, ReturnType<typeof policyClientPort>>;
}

/**
 * The PolicyClient port over the shared ARM connection, for one subscription (or none), made once
 * per reader: reading a policy set and its members then signs in and takes a token once, not per read.
 */
function portFor(how: Reading, subscriptionId: string | undefined) {
  const made = how.ports.get(subscriptionId ?? "");
  if (made) return made;
  const c = defaultArmConnection(how.network, how.output, how.quiet);
  const port = policyClientPort({ credential: c.credential, subscriptionId, endpoint: c.endpoint, extraCa: c.extraCa, network: c.network, maxRetries: c.maxRetries, retryDelayMs: c.retryDelayMs, onRetry: c.onRetry("ARM") });
  how.ports.set(subscriptionId ?? "", port);
  return port;
}

/** One read, within --deadline (each request is bounded by --request-timeout in the SDK pipeline). */
async function read<T>(network: NetworkPolicy, id: string, work: Promise<T>): Promise<T> {
  try {
    return await withinDeadline(network, `reading ${id}`, work);
  } catch (e) {
    if (e instanceof NetworkTimeout) throw new AzpolError("DeadlineExceeded", e.message, ExitCode.Azure);
    throw e;
  }
}

async function readDefinitionById(id: string, how: Reading): Promise<unknown> {
  const sub = AT_SUBSCRIPTION.exec(id);
  const mg = AT_MANAGEMENT_GROUP.exec(id);
  const builtIn = BUILT_IN.exec(id);
  const port = portFor(how, sub?.[1]);
  how.output.err(`reading ${id} from ARM...`);
  const found = sub
    ? await read(how.network, id, port.getDefinition({ subscriptionId: sub[1] as string }, sub[2] as string))
    : mg
      ? await read(how.network, id, port.getDefinition({ managementGroupId: mg[1] as string }, mg[2] as string))
      : builtIn
        ? await read(how.network, id, port.getBuiltInDefinition(builtIn[1] as string))
        : undefined;
  if (!sub && !mg && !builtIn) throw new UsageError(`${id} is not a policy definition id`);
  if (!found) throw new AzpolError("DefinitionNotFound", `${id} was not found`);
  return { name: found.name, properties: found.properties };
}

const SET_BUILT_IN = /^\/providers\/Microsoft\.Authorization\/policySetDefinitions\/([^/]+)$/i;
const SET_AT_SUBSCRIPTION = /^\/subscriptions\/([^/]+)\/providers\/Microsoft\.Authorization\/policySetDefinitions\/([^/]+)$/i;
const SET_AT_MANAGEMENT_GROUP = /^\/providers\/Microsoft\.Management\/managementGroups\/([^/]+)\/providers\/Microsoft\.Authorization\/policySetDefinitions\/([^/]+)$/i;

/** One policy set (initiative) through ARM, by its id: built-in, at a subscription or at a management group. */
async function readSetDefinitionById(id: string, how: Reading): Promise<unknown> {
  const sub = SET_AT_SUBSCRIPTION.exec(id);
  const mg = SET_AT_MANAGEMENT_GROUP.exec(id);
  const builtIn = SET_BUILT_IN.exec(id);
  if (!sub && !mg && !builtIn) throw new UsageError(`${id} is not a policy set definition id`);
  const port = portFor(how, sub?.[1]);
  how.output.err(`reading ${id} from ARM...`);
  const location = sub ? { subscriptionId: sub[1] as string } : mg ? { managementGroupId: mg[1] as string } : undefined;
  const name = (sub?.[2] ?? mg?.[2] ?? builtIn?.[1]) as string;
  const found = await read(how.network, id, port.getSetDefinition(location, name));
  if (!found) throw new AzpolError("DefinitionNotFound", `${id} was not found`);
  return { name: found.name, properties: found.properties };
}

const ASSIGNMENT = /^(.+)\/providers\/Microsoft\.Authorization\/policyAssignments\/([^/]+)$/i;

export function isAssignmentId(id: string): boolean {
  return ASSIGNMENT.test(id);
}

/** One assignment through ARM, by its id (any scope: management group, subscription, resource group). */
async function readAssignmentById(id: string, how: Reading): Promise<{ id: string; properties: Record<string, unknown> }> {
  const m = ASSIGNMENT.exec(id);
  let scope;
  try {
    scope = parseScope(m?.[1] ?? "", undefined);
  } catch {
    throw new UsageError(`${id} is not a policy assignment id at a management group, subscription or resource group`);
  }
  const port = portFor(how, "subscriptionId" in scope ? scope.subscriptionId : undefined);
  how.output.err(`reading ${id} from ARM...`);
  const found = await read(how.network, id, port.getAssignment(scope, m?.[2] ?? ""));
  if (!found) throw new AzpolError("AssignmentNotFound", `${id} was not found`);
  return { id: found.id || id, properties: found.properties };
}

/** The readers, for the import action, within one network policy (--request-timeout, --deadline); quiet under --json. */
export function azureReader(output: Output, network: NetworkPolicy, quiet = false): AzureReader {
  const how: Reading = { output, network, quiet, ports: new Map() };
  return { definition: (id) => readDefinitionById(id, how), setDefinition: (id) => readSetDefinitionById(id, how), assignment: (id) => readAssignmentById(id, how) };
}
