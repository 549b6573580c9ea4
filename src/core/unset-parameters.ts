// A definition parameter with no defaultValue must be given a value when the definition is
// assigned (Azure refuses the assignment otherwise: "The policy parameter 'x' is missing in
// the assignment"). Commands that evaluate a definition locally (test, fix, impact) have no
// assignment, so such a parameter must come from --param; evaluating without it would judge
// the template on input Azure never sends (a missing parameter reads as undefined in Rego,
// which usually means "no violations").
import type { ParameterType } from "../model/definition-source.js";
import type { PolicyModel } from "./policy-model.js";

export interface UnsetParameter {
  definition: string;
  sourceFile: string;
  name: string;
  type: ParameterType;
}

export function unsetParameters(models: readonly PolicyModel[]): UnsetParameter[] {
  return models.flatMap((m) =>
    Object.entries(m.parameters)
      .filter(([, p]) => p.defaultValue === undefined)
      .map(([name, p]) => ({ definition: m.name, sourceFile: m.sourceFile, name, type: p.type })),
  );
}

const EXAMPLE: Record<ParameterType, string> = {
  String: "value",
  DateTime: "2030-01-01T00:00:00Z",
  Array: "first,second",
  Object: `'{"key":"value"}'`,
  Boolean: "true",
  Integer: "1",
  Float: "1.5",
};

/** A value of the parameter's type to show in a `--param name=value` hint. */
export function exampleValue(type: ParameterType): string {
  return EXAMPLE[type];
}

/** One line per parameter: which one, and how to give it a value. */
export function describeUnset(p: UnsetParameter, shownFile = p.sourceFile): string {
  return `definition ${p.definition}: parameter ${JSON.stringify(p.name)} (${p.type}) has no default and no value; Azure requires one when the definition is assigned. Pass it with --param ${p.name}=${EXAMPLE[p.type]}, or give it a defaultValue in ${shownFile}`;
}
