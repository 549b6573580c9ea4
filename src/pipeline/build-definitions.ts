// The definitions stage of the build pipeline: compiles every definition and renders the
// requested formats. All or nothing: any error means no artifacts, so a bad input can never
// leave a partial build behind. The ARM body (policy.json) is rendered once per definition: the
// 1 MiB check measures it and the arm format writes it.
import { compileDefinition, type DefinitionInput } from "../core/compile-definition.js";
import { hasErrors, sortDiagnostics, type Diagnostic } from "../model/diagnostics.js";
import type { ParameterOverride } from "../core/parameter-override.js";
import type { PolicyModel } from "../core/policy-model.js";
import type { DefinitionModel, MutationModel } from "../core/mutation-model.js";
import { LIMITS } from "../model/azure-limits.js";
import { armDefinition, type ArmDefinition } from "../emit/arm-definition.js";
import { artifactsFor, type Artifact, type Format } from "../emit/artifacts.js";

export interface BuildResult {
  ok: boolean;
  models: PolicyModel[];
  /** Mutate definitions (details.mutationInfo), built and emitted beside the models */
  mutations: MutationModel[];
  artifacts: Artifact[];
  diagnostics: Diagnostic[];
}

export function buildDefinitions(inputs: DefinitionInput[], formats: readonly Format[], overrides: ParameterOverride[] = []): BuildResult {
  const diagnostics: Diagnostic[] = [];
  const models: PolicyModel[] = [];
  const mutations: MutationModel[] = [];
  const armBodies = new Map<DefinitionModel, ArmDefinition>();
  const known = new Set<string>();
  const firstFileOf = new Map<string, { file: string; name: string }>();

  for (const input of inputs) {
    const result = compileDefinition({ ...input, overrides });
    diagnostics.push(...result.diagnostics);
    result.appliedOverrides.forEach((n) => known.add(n));
    const model: DefinitionModel | undefined = result.model ?? result.mutation;
    if (!model) continue;
    // Azure resource names are case-insensitive: "Web" and "web" are one definition, and
    // deploying both would flip it between them on every run.
    const key = model.name.toLowerCase();
    const previous = firstFileOf.get(key);
    if (previous !== undefined) {
      diagnostics.push({
        code: "AZP2016",
        severity: "error",
        message: `definition name '${model.name}' is already used by ${previous.file}${previous.name === model.name ? "" : ` as '${previous.name}' (Azure names ignore case)`}; names are unique per scope, so rename one`,
        file: input.source.file,
        pointer: "/name",
        ...input.source.locate("/name"),
      });
      continue;
    }
    firstFileOf.set(key, { file: input.source.file, name: model.name });
    // Azure measures the request body, which is sent as compact JSON
    const armBody = armDefinition(model);
    const bytes = Buffer.byteLength(JSON.stringify(armBody), "utf8");
    if (bytes > LIMITS.bodyBytes) {
      diagnostics.push({
        code: "AZP2014",
        severity: "error",
        message: `the definition body is ${bytes} bytes; Azure accepts at most ${LIMITS.bodyBytes}${("templateInfo" in model ? model.templateInfo : model.mutationInfo).sourceType === "Base64Encoded" ? " (the Base64 template counts; host it and use source: PublicURL)" : ""}`,
        file: input.source.file,
        pointer: "",
        line: 1,
        col: 1,
      });
      continue;
    }
    armBodies.set(model, armBody);
    if (result.model) models.push(result.model);
    else mutations.push(model as MutationModel);
  }
  for (const o of overrides) {
    if (!known.has(o.name) && inputs.length > 0) {
      diagnostics.push({ code: "AZP1003", severity: "error", message: `--param ${o.name}: no definition declares a parameter '${o.name}'; check the name`, file: `--param ${o.name}`, pointer: "" });
    }
  }
  const ok = !hasErrors(diagnostics);
  return {
    ok,
    models: ok ? models : [],
    mutations: ok ? mutations : [],
    // in input order, so a project's files come out as its definitions are listed
    artifacts: ok ? [...armBodies.keys()].flatMap((m) => artifactsFor(m, formats, armBodies.get(m))) : [],
    diagnostics: sortDiagnostics(diagnostics),
  };
}
