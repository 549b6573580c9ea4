// Tenant-level built-in policy definitions (GET /providers/Microsoft.Authorization/policyDefinitions
// and /{name}): read-only, as ARM serves Microsoft's built-ins; a test gives the ones it needs.
import { ArmFailure } from "./store.js";

/** The answer for a built-in definition route; undefined when the path is not one. */
export function builtInRoute(method: string, path: string, builtIns: Record<string, Record<string, unknown>>): [number, unknown] | undefined {
  const m = /^\/providers\/Microsoft\.Authorization\/policyDefinitions(?:\/([^/]+))?$/i.exec(path);
  if (!m) return undefined;
  if (method !== "GET") throw new ArmFailure(405, "MethodNotAllowed", `${method} is not supported on built-in policy definitions.`);
  const all = Object.entries(builtIns).map(([n, properties]) => ({ id: `/providers/Microsoft.Authorization/policyDefinitions/${n}`, type: "Microsoft.Authorization/policyDefinitions", name: n, properties: { ...properties, policyType: "BuiltIn" } }));
  if (m[1] === undefined) return [200, { value: all }];
  const found = all.find((b) => b.name.toLowerCase() === (m[1] ?? "").toLowerCase());
  if (found) return [200, found];
  throw new ArmFailure(404, "PolicyDefinitionNotFound", `The policy definition '${m[1]}' could not be found.`);
}
