// The fake ARM's policy definitions and assignments; see SPEC.md ("Resources", "Semantic checks").
import { randomUUID } from "node:crypto";
import { ArmFailure, typeMatches, type RouteContext, type Stored } from "./store.js";

const PATH = /^(.*)\/providers\/Microsoft\.Authorization\/(policyDefinitions|policyAssignments)(?:\/([^/]+))?$/i;
const NAME = /^[^<>*%&:\\?.+/]*[^<>*%&:\\?.+/ ]+$/;
const PARAMETER_REF = /parameters\(\s*'([^']*)'\s*\)/g;

export function definitionAndAssignmentRoute(method: string, path: string, params: URLSearchParams, raw: string, ctx: RouteContext): [number, unknown] | undefined {
  const m = PATH.exec(path);
  if (!m) return undefined;
  const [, scope = "", type = "", name] = m;
  ctx.checkScope(scope, type);
  if (name === undefined) {
    if (method !== "GET") throw new ArmFailure(405, "MethodNotAllowed", `${method} is not supported on a collection.`);
    return [200, list(scope, type, params, ctx)];
  }
  if (!NAME.test(name)) throw new ArmFailure(400, "InvalidPolicyName", `The name '${name}' is not valid: it cannot contain <>*%&:\\?.+/ or end with a space.`);
  const id = `${scope}/providers/Microsoft.Authorization/${type}/${name}`;
  switch (method) {
    case "GET": {
      const found = ctx.store.get(id.toLowerCase());
      if (!found) throw type === "policyDefinitions" ? new ArmFailure(404, "PolicyDefinitionNotFound", `The policy definition '${name}' could not be found.`) : new ArmFailure(404, "PolicyAssignmentNotFound", `The policy assignment '${name}' is not found.`);
      return [200, found];
    }
    case "PUT": {
      let body: { properties?: Record<string, unknown> };
      try {
        body = JSON.parse(raw) as { properties?: Record<string, unknown> };
      } catch {
        throw new ArmFailure(400, "InvalidRequestContent", "The request content was invalid and could not be deserialized.");
      }
      const props = body.properties;
      if (!props || typeof props !== "object") throw new ArmFailure(400, "InvalidRequestContent", "The request content was invalid: 'properties' is required.");
      return type === "policyDefinitions" ? putDefinition(id, scope, name, props, ctx) : putAssignment(id, scope, name, props, ctx);
    }
    case "DELETE": {
      const found = ctx.store.get(id.toLowerCase());
      if (!found) return [204, undefined];
      if (type === "policyDefinitions") {
        const user = ctx.all("policyAssignments").find((a) => String(a.properties.policyDefinitionId).toLowerCase() === id.toLowerCase());
        if (user) throw new ArmFailure(400, "InvalidDeletePolicyDefinitionRequest", `The policy definition '${name}' cannot be deleted. It is referenced by the policy assignment '${user.name}'.`);
        const set = ctx.all("policySetDefinitions").find((d) => ((d.properties.policyDefinitions ?? []) as { policyDefinitionId?: string }[]).some((r) => String(r.policyDefinitionId).toLowerCase() === id.toLowerCase()));
        if (set) throw new ArmFailure(400, "InvalidDeletePolicyDefinitionRequest", `The policy definition '${name}' cannot be deleted. It is referenced by the policy set definition '${set.name}'.`);
      }
      ctx.store.delete(id.toLowerCase());
      return [200, found];
    }
    default:
      throw new ArmFailure(405, "MethodNotAllowed", `${method} is not supported.`);
  }
}

function putDefinition(id: string, scope: string, name: string, props: Record<string, unknown>, ctx: RouteContext): [number, unknown] {
  const rule = props.policyRule as { if?: unknown; then?: { effect?: unknown } } | undefined;
  if (!rule || typeof rule !== "object" || !rule.if || !rule.then) throw new ArmFailure(400, "InvalidPolicyRule", "Failed to parse policy rule: 'if' and 'then' are required.");
  if (!rule.then.effect) throw new ArmFailure(400, "InvalidPolicyRule", "Failed to parse policy rule: 'then.effect' is required.");
  const declared = (props.parameters ?? {}) as Record<string, { type?: string; defaultValue?: unknown; allowedValues?: unknown[] }>;
  for (const m of JSON.stringify(rule).matchAll(PARAMETER_REF)) {
    if (!(String(m[1]) in declared)) throw new ArmFailure(400, "InvalidPolicyRule", `The policy '${name}' has undefined parameter '${m[1]}' which is used in the policy rule.`);
  }
  if (Object.keys(declared).length > 20) throw new ArmFailure(400, "InvalidPolicyDefinition", `The policy definition '${name}' has ${Object.keys(declared).length} parameters; at most 20 are allowed.`);
  const existing = ctx.store.get(id.toLowerCase());
  if (existing) {
    const before = (existing.properties.parameters ?? {}) as Record<string, { type?: string }>;
    const removed = Object.keys(before).filter((p) => !(p in declared));
    if (removed.length) {
      throw new ArmFailure(400, "InvalidPolicyParameterUpdate", `The policy '${name}' has ${Object.keys(before).length} parameter(s); the existing policy parameter(s) '${removed.join(", ")}' were not found in the policy being updated. Policy parameters cannot be removed during policy update.`);
    }
    for (const [p, def] of Object.entries(before)) {
      if (def.type && declared[p]?.type && def.type.toLowerCase() !== String(declared[p]?.type).toLowerCase()) throw new ArmFailure(400, "InvalidPolicyParameterUpdate", `The type of policy parameter '${p}' cannot be changed from '${def.type}' to '${declared[p]?.type}'.`);
    }
    const assigned = ctx.all("policyAssignments").some((a) => String(a.properties.policyDefinitionId).toLowerCase() === id.toLowerCase());
    const added = Object.keys(declared).filter((p) => !(p in before) && declared[p]?.defaultValue === undefined);
    if (assigned && added.length) throw new ArmFailure(400, "InvalidPolicyParameterUpdate", `The policy '${name}' is assigned; new parameter(s) '${added.join(", ")}' must include the defaultValue property.`);
  }
  const stored: Stored = {
    id,
    type: "Microsoft.Authorization/policyDefinitions",
    name,
    scope,
    properties: { ...props, policyType: "Custom", metadata: ctx.stamp(existing, props.metadata) },
    systemData: { createdAt: existing?.systemData.createdAt ?? new Date().toISOString(), lastModifiedAt: new Date().toISOString() },
  };
  ctx.store.set(id.toLowerCase(), stored);
  return [201, stored]; // ARM answers 201 for create and update of a definition
}

function putAssignment(id: string, scope: string, name: string, props: Record<string, unknown>, ctx: RouteContext): [number, unknown] {
  if (/^\/providers\/Microsoft\.Management\/managementGroups\//i.test(scope) && name.length > 24) {
    throw new ArmFailure(400, "InvalidPolicyAssignmentName", `The policy assignment name '${name}' is too long; at management group scope the limit is 24 characters.`);
  }
  const definitionId = typeof props.policyDefinitionId === "string" ? props.policyDefinitionId : "";
  const def = ctx.store.get(definitionId.toLowerCase());
  if (!def) {
    const isSet = /\/policySetDefinitions\//i.test(definitionId);
    throw new ArmFailure(404, isSet ? "PolicySetDefinitionNotFound" : "PolicyDefinitionNotFound", `The policy assignment create request is invalid. The policy ${isSet ? "set definition" : "definition"} '${definitionId}' could not be found.`);
  }
  if (!ctx.covers(def.scope, scope)) {
    throw new ArmFailure(400, "InvalidCreatePolicyAssignmentRequest", `The policy definition specified in policy assignment '${name}' is out of scope. Policy definitions should be specified only at or above the policy assignment scope.`);
  }
  const mode = props.enforcementMode ?? "Default";
  if (typeof mode !== "string" || !["Default", "DoNotEnforce", "Enroll"].includes(mode)) throw new ArmFailure(400, "InvalidRequestContent", `The enforcement mode '${JSON.stringify(mode)}' is not valid.`);
  const declared = (def.properties.parameters ?? {}) as Record<string, { type?: string; defaultValue?: unknown; allowedValues?: unknown[] }>;
  const given = (props.parameters ?? {}) as Record<string, unknown>;
  const undefinedParams = Object.keys(given).filter((p) => !(p in declared));
  if (undefinedParams.length) throw new ArmFailure(400, "UndefinedPolicyParameter", `The policy assignment '${name}' has the parameter(s) '${undefinedParams.join(", ")}' which are not defined in the policy definition '${def.name}'.`);
  for (const [p, spec] of Object.entries(declared)) {
    const entry = given[p];
    if (entry === undefined) {
      if (spec.defaultValue === undefined) throw new ArmFailure(400, "MissingPolicyParameter", `The policy parameter '${p}' is missing: the policy definition '${def.name}' gives it no default value.`);
      continue;
    }
    if (!entry || typeof entry !== "object" || !("value" in entry)) throw new ArmFailure(400, "InvalidRequestContent", `The policy assignment parameter '${p}' must be an object with a 'value'.`);
    const value = (entry).value;
    if (!typeMatches(spec.type, value)) throw new ArmFailure(400, "InvalidPolicyParameters", `The policy parameter '${p}' has a value of the wrong type: '${spec.type}' is expected.`);
    if (spec.allowedValues && !spec.allowedValues.some((a) => JSON.stringify(a) === JSON.stringify(value))) {
      throw new ArmFailure(400, "PolicyParameterValueNotAllowed", `The value '${JSON.stringify(value)}' is not allowed for policy parameter '${p}' in policy definition '${def.name}'. The allowed values are '${spec.allowedValues.join(", ")}'.`);
    }
  }
  const existing = ctx.store.get(id.toLowerCase());
  const stored: Stored = {
    id,
    type: "Microsoft.Authorization/policyAssignments",
    name,
    scope,
    properties: { ...props, scope, notScopes: props.notScopes ?? [], enforcementMode: mode, metadata: ctx.stamp(existing, props.metadata), instanceId: randomUUID() },
    systemData: { createdAt: existing?.systemData.createdAt ?? new Date().toISOString(), lastModifiedAt: new Date().toISOString() },
  };
  ctx.store.set(id.toLowerCase(), stored);
  return [201, stored]; // 201 for create and update, as the SDK requires
}

/** A definition can be assigned at or below its own scope. */

function list(scope: string, type: string, params: URLSearchParams, ctx: RouteContext): unknown {
  const filter = params.get("$filter") ?? "";
  const all = ctx.all(type as "policyDefinitions" | "policyAssignments").filter((r) => {
    const s = r.scope.toLowerCase();
    const at = scope.toLowerCase();
    if (filter === "atExactScope()") return s === at;
    if (filter === "atScope()") return s === at || at.startsWith(`${s}/`);
    return s === at || s.startsWith(`${at}/`);
  });
  return ctx.page(scope, type, all, params);
}
