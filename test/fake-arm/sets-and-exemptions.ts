// The fake ARM's policy set definitions (initiatives) and policy exemptions; see SPEC.md
// ("Initiatives and exemptions"). Shares the server's store, scope checks and paging.
import { ArmFailure, typeMatches, type RouteContext, type Stored } from "./store.js";

/** api-versions of policyExemptions: the spec's (2022-07-01-preview) and the older preview az used. */
export const EXEMPTION_API_VERSIONS = ["2022-07-01-preview", "2020-07-01-preview"];

const SETS = /^(.*)\/providers\/Microsoft\.Authorization\/policySetDefinitions(?:\/([^/]+))?$/i;
// an exemption's scope may also be a resource: /subscriptions/x/resourceGroups/y/providers/ns/type/name
const EXEMPTIONS = /^(.*)\/providers\/Microsoft\.Authorization\/policyExemptions(?:\/([^/]+))?$/i;
const RESOURCE = /^(\/subscriptions\/[^/]+\/resourceGroups\/[^/]+)\/providers\/[^/]+\/[^/]+\/[^/]+$/i;
const PARAMETER_REF = /^\[parameters\('([^']*)'\)\]$/;

type Params = Record<string, { type?: string; defaultValue?: unknown; allowedValues?: unknown[] }>;

const text = (v: unknown): string => (typeof v === "string" ? v : "");

function body(raw: string): Record<string, unknown> {
  let parsed: { properties?: Record<string, unknown> };
  try {
    parsed = JSON.parse(raw) as { properties?: Record<string, unknown> };
  } catch {
    throw new ArmFailure(400, "InvalidRequestContent", "The request content was invalid and could not be deserialized.");
  }
  if (!parsed.properties || typeof parsed.properties !== "object") throw new ArmFailure(400, "InvalidRequestContent", "The request content was invalid: 'properties' is required.");
  return parsed.properties;
}

export function setAndExemptionRoute(method: string, path: string, params: URLSearchParams, raw: string, ctx: RouteContext): [number, unknown] | undefined {
  const apiVersion = params.get("api-version") ?? "";
  let m: RegExpExecArray | null;
  if ((m = SETS.exec(path))) {
    if (!ctx.policyApiVersions.includes(apiVersion)) throw new ArmFailure(400, "InvalidApiVersionParameter", `The api-version '${apiVersion}' is invalid. The supported versions are '${ctx.policyApiVersions.join(",")}'.`);
    const [, scope = "", name] = m;
    if (scope === "") {
      // tenant level: the built-in sets, of which the fake has none (az looks there first by name)
      if (method !== "GET") throw new ArmFailure(405, "MethodNotAllowed", `${method} is not supported on built-in policy set definitions.`);
      if (name === undefined) return [200, { value: [] }];
      throw new ArmFailure(404, "PolicySetDefinitionNotFound", `The policy set definition '${name}' could not be found.`);
    }
    ctx.checkScope(scope, "policyDefinitions"); // sets live where definitions do: not in resource groups
    if (name === undefined) {
      if (method !== "GET") throw new ArmFailure(405, "MethodNotAllowed", `${method} is not supported on a collection.`);
      return [200, ctx.page(scope, "policySetDefinitions", ctx.all("policySetDefinitions").filter((r) => r.scope.toLowerCase() === scope.toLowerCase()), params)];
    }
    return setRoute(method, scope, name, raw, ctx);
  }
  if ((m = EXEMPTIONS.exec(path))) {
    if (!EXEMPTION_API_VERSIONS.includes(apiVersion)) throw new ArmFailure(400, "InvalidApiVersionParameter", `The api-version '${apiVersion}' is invalid. The supported versions are '${EXEMPTION_API_VERSIONS.join(",")}'.`);
    const [, scope = "", name] = m;
    ctx.checkScope(RESOURCE.exec(scope)?.[1] ?? scope, "policyExemptions");
    if (name === undefined) {
      if (method !== "GET") throw new ArmFailure(405, "MethodNotAllowed", `${method} is not supported on a collection.`);
      const at = scope.toLowerCase();
      const exact = params.get("$filter") === "atExactScope()";
      const found = ctx.all("policyExemptions").filter((r) => r.scope.toLowerCase() === at || (!exact && r.scope.toLowerCase().startsWith(`${at}/`)));
      return [200, ctx.page(scope, "policyExemptions", found, params)];
    }
    return exemptionRoute(method, scope, name, raw, ctx);
  }
  return undefined;
}

function setRoute(method: string, scope: string, name: string, raw: string, ctx: RouteContext): [number, unknown] {
  const id = `${scope}/providers/Microsoft.Authorization/policySetDefinitions/${name}`;
  const existing = ctx.store.get(id.toLowerCase());
  if (method === "GET") {
    if (!existing) throw new ArmFailure(404, "PolicySetDefinitionNotFound", `The policy set definition '${name}' could not be found.`);
    return [200, existing];
  }
  if (method === "DELETE") {
    if (!existing) return [204, undefined];
    const user = ctx.all("policyAssignments").find((a) => String(a.properties.policyDefinitionId).toLowerCase() === id.toLowerCase());
    if (user) throw new ArmFailure(400, "InvalidDeletePolicySetDefinitionRequest", `The policy set definition '${name}' cannot be deleted. It is referenced by the policy assignment '${user.name}'.`);
    ctx.store.delete(id.toLowerCase());
    return [200, existing];
  }
  if (method !== "PUT") throw new ArmFailure(405, "MethodNotAllowed", `${method} is not supported.`);
  const props = body(raw);
  const declared = (props.parameters ?? {}) as Params;
  const refs = props.policyDefinitions as { policyDefinitionId?: string; policyDefinitionReferenceId?: string; parameters?: Record<string, { value?: unknown }> }[] | undefined;
  if (!Array.isArray(refs) || refs.length === 0) throw new ArmFailure(400, "InvalidPolicySetDefinitionRequest", `The policy set definition '${name}' must reference at least one policy definition.`);
  const referenceIds = new Set<string>();
  for (const ref of refs) {
    const defId = String(ref.policyDefinitionId ?? "");
    const def = ctx.store.get(defId.toLowerCase());
    if (!def || def.type !== "Microsoft.Authorization/policyDefinitions") throw new ArmFailure(404, "PolicyDefinitionNotFound", `The policy definition '${defId}' referenced by the policy set definition '${name}' could not be found.`);
    if (!ctx.covers(def.scope, scope)) throw new ArmFailure(400, "InvalidPolicySetDefinitionRequest", `The policy definition '${defId}' is out of scope for the policy set definition '${name}'.`);
    const refId = String(ref.policyDefinitionReferenceId ?? def.name).toLowerCase();
    if (referenceIds.has(refId)) throw new ArmFailure(400, "InvalidPolicySetDefinitionRequest", `The policy definition reference id '${ref.policyDefinitionReferenceId}' is used more than once in the policy set definition '${name}'.`);
    referenceIds.add(refId);
    const memberParams = (def.properties.parameters ?? {}) as Params;
    const given = ref.parameters ?? {};
    const unknown = Object.keys(given).filter((p) => !(p in memberParams));
    if (unknown.length) throw new ArmFailure(400, "UndefinedPolicyParameter", `The policy set definition '${name}' passes the parameter(s) '${unknown.join(", ")}' which are not defined in the policy definition '${def.name}'.`);
    for (const [p, spec] of Object.entries(memberParams)) {
      const entry = given[p];
      if (entry === undefined) {
        if (spec.defaultValue === undefined) throw new ArmFailure(400, "MissingPolicyParameter", `The policy parameter '${p}' of the policy definition '${def.name}' is missing in the policy set definition '${name}'.`);
        continue;
      }
      const ref = typeof entry.value === "string" ? PARAMETER_REF.exec(entry.value)?.[1] : undefined;
      if (ref !== undefined) {
        if (!(ref in declared)) throw new ArmFailure(400, "UndefinedPolicyParameter", `The policy set definition '${name}' uses the parameter '${ref}' which is not defined in it.`);
        continue;
      }
      if (!typeMatches(spec.type, entry.value)) throw new ArmFailure(400, "InvalidPolicyParameters", `The value of parameter '${p}' for the policy definition '${def.name}' has the wrong type: '${spec.type}' is expected.`);
    }
  }
  if (existing) {
    const before = (existing.properties.parameters ?? {}) as Params;
    const removed = Object.keys(before).filter((p) => !(p in declared));
    if (removed.length) throw new ArmFailure(400, "InvalidPolicyParameterUpdate", `The policy set '${name}' parameter(s) '${removed.join(", ")}' were not found in the policy set being updated. Policy set parameters cannot be removed during update.`);
  }
  const stored: Stored = {
    id,
    type: "Microsoft.Authorization/policySetDefinitions",
    name,
    scope,
    // server fields ARM adds to each reference (strictness choice: azpol must ignore them)
    properties: { ...props, policyType: "Custom", metadata: ctx.stamp(existing, props.metadata), policyDefinitions: refs.map((r) => ({ groupNames: [], ...r })) },
    systemData: { createdAt: existing?.systemData.createdAt ?? new Date().toISOString(), lastModifiedAt: new Date().toISOString() },
  };
  ctx.store.set(id.toLowerCase(), stored);
  return [existing ? 200 : 201, stored];
}

function exemptionRoute(method: string, scope: string, name: string, raw: string, ctx: RouteContext): [number, unknown] {
  const id = `${scope}/providers/Microsoft.Authorization/policyExemptions/${name}`;
  const existing = ctx.store.get(id.toLowerCase());
  if (method === "GET") {
    if (!existing) throw new ArmFailure(404, "PolicyExemptionNotFound", `The policy exemption '${name}' is not found.`);
    return [200, existing];
  }
  if (method === "DELETE") {
    if (!existing) return [204, undefined];
    ctx.store.delete(id.toLowerCase());
    return [200, existing];
  }
  if (method !== "PUT") throw new ArmFailure(405, "MethodNotAllowed", `${method} is not supported.`);
  const props = body(raw);
  const category = text(props.exemptionCategory);
  if (!["waiver", "mitigated"].includes(category.toLowerCase())) throw new ArmFailure(400, "InvalidRequestContent", `The exemption category '${category}' is not valid: use 'Waiver' or 'Mitigated'.`);
  const assignmentId = text(props.policyAssignmentId);
  const assignment = ctx.store.get(assignmentId.toLowerCase());
  if (!assignment || assignment.type !== "Microsoft.Authorization/policyAssignments") throw new ArmFailure(404, "PolicyAssignmentNotFound", `The policy assignment '${assignmentId}' is not found.`);
  if (!ctx.covers(assignment.scope, scope)) throw new ArmFailure(400, "InvalidCreatePolicyExemptionRequest", `The policy exemption '${name}' is out of scope: it must be at or below the scope of the policy assignment '${assignment.name}'.`);
  const refs = props.policyDefinitionReferenceIds as string[] | undefined;
  if (refs?.length) {
    const target = ctx.store.get(String(assignment.properties.policyDefinitionId).toLowerCase());
    if (target?.type !== "Microsoft.Authorization/policySetDefinitions") throw new ArmFailure(400, "InvalidCreatePolicyExemptionRequest", `The policy exemption '${name}' lists policy definition reference ids, but the policy assignment '${assignment.name}' does not assign a policy set.`);
    const known = ((target.properties.policyDefinitions ?? []) as { policyDefinitionReferenceId?: string }[]).map((r) => String(r.policyDefinitionReferenceId).toLowerCase());
    const missing = refs.filter((r) => !known.includes(r.toLowerCase()));
    if (missing.length) throw new ArmFailure(400, "InvalidCreatePolicyExemptionRequest", `The policy definition reference id(s) '${missing.join(", ")}' are not in the policy set definition '${target.name}'.`);
  }
  if (props.expiresOn !== undefined && Number.isNaN(Date.parse(text(props.expiresOn)))) throw new ArmFailure(400, "InvalidRequestContent", `The expiresOn value '${JSON.stringify(props.expiresOn)}' is not a valid date-time.`);
  const stored: Stored = {
    id,
    type: "Microsoft.Authorization/policyExemptions",
    name,
    scope,
    properties: { ...props, metadata: ctx.stamp(existing, props.metadata) },
    systemData: { createdAt: existing?.systemData.createdAt ?? new Date().toISOString(), lastModifiedAt: new Date().toISOString() },
  };
  ctx.store.set(id.toLowerCase(), stored);
  return [existing ? 200 : 201, stored];
}

