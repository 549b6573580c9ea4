// Evaluates ARM template expressions the way Azure does before it hands details.values to the
// add-on: parameters('x') is the assignment's value or the default, `.property` and `[index]`
// read into it (property names case-insensitively, as ARM does), and the template functions a
// policy rule may call (learn.microsoft.com azure-resource-manager/templates/template-functions-*;
// "Policy functions" in definition-structure-policy-rule lists the ones a policy rule cannot use).
// Functions that read Azure (field, resourceGroup, subscription, utcNow, ...) have no value
// offline: they are an error naming the function, never a guess. Pure.
import { ArmEvaluationError, BY_NAME, int, isObject, str, typeName } from "./functions.js";
import { ArmSyntaxError, readArmString, type ArmNode } from "./parse.js";

export { ArmEvaluationError };
type Json = unknown;


/** Not available in a policy rule at all (Azure's list), so a definition using them is refused. */
const NOT_IN_POLICY = new Set(
  ["copyIndex", "dateTimeAdd", "dateTimeFromEpoch", "dateTimeToEpoch", "deployment", "environment", "extensionResourceId", "lambda", "listAccountSas", "listKeys", "listSecrets", "managementGroup", "newGuid", "pickZones", "providers", "reference", "resourceId", "subscriptionResourceId", "tenantResourceId", "tenant", "variables", "filter", "map", "reduce", "sort", "toObject"].map((f) => f.toLowerCase()),
);
/** Allowed in a policy rule, but their value comes from Azure at evaluation time. */
const AZURE_ONLY = new Set(["field", "current", "requestContext", "policy", "resourceGroup", "subscription", "utcNow", "ipRangeContains", "addDays"].map((f) => f.toLowerCase()));

/** The value of a parameter as the assignment (or the default) gives it; undefined when it has none. */
export type ParameterValues = (name: string) => { value: Json } | { declared: false } | { value: undefined };

function evaluateNode(node: ArmNode, parameters: ParameterValues): Json {
  switch (node.kind) {
    case "string":
    case "number":
      return node.value;
    case "property": {
      const target = evaluateNode(node.target, parameters);
      if (!isObject(target)) throw new ArmEvaluationError(`cannot read property '${node.name}' of ${typeName(target)} ${JSON.stringify(target)}`);
      const key = Object.keys(target).find((k) => k.toLowerCase() === node.name.toLowerCase());
      if (key === undefined) throw new ArmEvaluationError(`the property '${node.name}' does not exist; it has: ${Object.keys(target).join(", ") || "none"}`);
      return target[key];
    }
    case "index": {
      const target = evaluateNode(node.target, parameters);
      const index = evaluateNode(node.index, parameters);
      if (Array.isArray(target)) {
        const i = int(index, "[index]");
        if (i < 0 || i >= target.length) throw new ArmEvaluationError(`index ${i} is outside the array of ${target.length}`);
        return target[i];
      }
      if (isObject(target)) {
        const name = str(index, "[index]");
        const key = Object.keys(target).find((k) => k.toLowerCase() === name.toLowerCase());
        if (key === undefined) throw new ArmEvaluationError(`the property '${name}' does not exist; it has: ${Object.keys(target).join(", ") || "none"}`);
        return target[key];
      }
      throw new ArmEvaluationError(`cannot index ${typeName(target)} ${JSON.stringify(target)}`);
    }
    case "call": {
      const lower = node.name.toLowerCase();
      if (lower === "parameters") {
        if (node.args.length !== 1) throw new ArmEvaluationError(`parameters() takes 1 argument, got ${node.args.length}`);
        const name = str(evaluateNode(node.args[0] as ArmNode, parameters), "parameters");
        const found = parameters(name);
        if ("declared" in found) throw new ArmEvaluationError(`parameter '${name}' is not declared`);
        if (found.value === undefined) throw new ArmEvaluationError(`parameter '${name}' has no value (no default, and the assignment sets none)`);
        return found.value;
      }
      if (NOT_IN_POLICY.has(lower)) throw new ArmEvaluationError(`${node.name}() cannot be used in a policy rule (Azure Policy refuses it)`);
      if (AZURE_ONLY.has(lower)) throw new ArmEvaluationError(`${node.name}() takes its value from Azure when the policy is evaluated; azpol cannot evaluate it offline`);
      const fn = BY_NAME.get(lower);
      if (!fn) throw new ArmEvaluationError(`${node.name}() is not an ARM template function`);
      return fn(
        node.args.map((a) => evaluateNode(a, parameters)),
        node.name,
      );
    }
  }
}

/**
 * A details value with every ARM expression in it evaluated, at any depth (Azure evaluates
 * expressions in nested objects and arrays of details.values alike); "[[" strings lose one '['.
 */
export function evaluateArmValue(value: Json, parameters: ParameterValues): Json {
  if (typeof value === "string") {
    let read;
    try {
      read = readArmString(value);
    } catch (e) {
      if (e instanceof ArmSyntaxError) throw new ArmEvaluationError(`not a valid expression: ${e.message}`);
      throw e;
    }
    return "literal" in read ? read.literal : evaluateNode(read.expression, parameters);
  }
  if (Array.isArray(value)) return value.map((v) => evaluateArmValue(v, parameters));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, evaluateArmValue(v, parameters)]));
  return value;
}

/** A parameter of a record by name, case-insensitively as ARM looks parameters up. */
export function lookupParameter<T>(record: Record<string, T>, name: string): { value: T } | undefined {
  if (name in record) return { value: record[name] as T };
  const key = Object.keys(record).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : { value: record[key] as T };
}

/** Whether a value holds any ARM expression (at any depth). */
export function holdsArmExpression(value: Json): boolean {
  if (typeof value === "string") return value.length >= 2 && value.startsWith("[") && value.endsWith("]") && !value.startsWith("[[");
  if (Array.isArray(value)) return value.some(holdsArmExpression);
  if (isObject(value)) return Object.values(value).some(holdsArmExpression);
  return false;
}
