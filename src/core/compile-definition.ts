// Source + template (+ build-time overrides) → validated PolicyModel, or diagnostics.
// Pure: the caller reads the files.
import { readConstraintTemplate, type ConstraintTemplate } from "./constraint-template.js";
import type { DefinitionSource, ParameterType } from "../model/definition-source.js";
import { hasErrors, joinPointer, type Diagnostic, type DiagnosticCode, type Severity } from "../model/diagnostics.js";
import { parseOverrideValue, STANDARD_PARAMETER_TYPES, type ParameterOverride } from "./parameter-override.js";
import {
  CLUSTER_TYPES,
  DEFAULT_API_GROUPS,
  DETAILS_PARAMETERS,
  DEFAULT_EXCLUDED_NAMESPACES,
  DEFAULT_KINDS,
  LABEL_SELECTOR_SCHEMA,
  parameterRef,
  type PolicyModel,
  type PolicyParameter,
  templateInfoFor,
} from "./policy-model.js";
import { ALL_RULES } from "./rules/all-rules.js";
import { defaultEffect, detailsParameters, effectDescription } from "./standard-parameters.js";
import { isRegistryList } from "./rules/registries.js";
import { validateSourceSchema, type Locate } from "../schema/validate-source.js";
import { compileExemptions } from "../exemption/compile-exemptions.js";
import { isMutatorDocument, readMutator } from "./mutator.js";
import type { MutationModel } from "./mutation-model.js";
import { buildMutationModel, checkMutationSource } from "./compile-mutation.js";
import { azureLimitsRule } from "./rules/azure-limits.js";
import { deceptiveTextRule } from "./rules/deceptive-text.js";
import { namespacesRule } from "./rules/namespaces.js";
import { constraintTemplateChecksRule } from "./rules/constraint-template-checks.js";

export interface ParsedFile {
  file: string;
  data: unknown;
  text: string;
  locate: Locate;
  syntaxErrors: Diagnostic[];
}

export interface DefinitionInput {
  source: ParsedFile;
  /** the template file, or why it could not be read */
  template: ParsedFile | { file: string; readError: string };
  overrides?: ParameterOverride[];
  /** when expiry is judged (exemptions); default: now */
  now?: Date;
}

export interface CompileResult {
  model: PolicyModel | undefined;
  /** set instead of model when template.path names a Gatekeeper mutator (a Mutate definition) */
  mutation?: MutationModel;
  diagnostics: Diagnostic[];
  /** overrides this definition declared (so the caller can flag ones no definition knows) */
  appliedOverrides: string[];
}

export function compileDefinition(input: DefinitionInput): CompileResult {
  const diagnostics: Diagnostic[] = [...input.source.syntaxErrors];
  const appliedOverrides: string[] = [];
  const fail = (): CompileResult => ({ model: undefined, diagnostics, appliedOverrides });
  if (diagnostics.length) return fail();

  const schema = validateSourceSchema(input.source.data, input.source.file, input.source.locate);
  diagnostics.push(...schema.diagnostics);
  if (!schema.source) return fail();

  // template.path may name a Gatekeeper mutator instead (a Mutate definition: details.mutationInfo)
  const mutatorFile = "data" in input.template && !input.template.syntaxErrors.length && isMutatorDocument(input.template.data) ? input.template : undefined;
  const template = mutatorFile ? undefined : loadTemplate(input.template, diagnostics, input.source);
  const overridden = new Map<string, string>(); // source pointer → "--param name"
  const source = applyOverrides(structuredClone(schema.source), input.overrides ?? [], overridden, appliedOverrides, diagnostics);
  // a --param value is checked exactly like the same value written in the file: the source's
  // schema (source's enum, warn's type, ...) again, its findings named after the flag
  if (overridden.size) {
    for (const d of validateSourceSchema(source, input.source.file, input.source.locate).diagnostics) {
      const flag = [...overridden].find(([p]) => d.pointer === p || d.pointer.startsWith(`${p}/`));
      if (flag) diagnostics.push({ code: d.code, severity: d.severity, message: d.message, file: flag[1], pointer: d.pointer.slice(flag[0].length) });
    }
    if (hasErrors(diagnostics)) return fail();
  }

  const make = (file: string, locate: Locate | undefined) => (code: DiagnosticCode, pointer: string, message: string, severity: Severity = "error") => {
    const flag = [...overridden].find(([p]) => pointer === p || pointer.startsWith(`${p}/`));
    if (flag) {
      diagnostics.push({ code, severity, message, file: flag[1], pointer: pointer.slice(flag[0].length) });
      return;
    }
    diagnostics.push({ code, severity, message, file, pointer, ...(locate ? locate(pointer) : {}) });
  };
  const templateFile = input.template.file;
  if (mutatorFile) {
    const mutation = compileMutation(source, input.source.file, mutatorFile, make(input.source.file, input.source.locate), make(templateFile, mutatorFile.locate), input.now);
    return { model: undefined, ...(mutation && !hasErrors(diagnostics) ? { mutation } : {}), diagnostics, appliedOverrides };
  }
  const ctx = {
    source,
    template,
    templateFile,
    report: make(input.source.file, input.source.locate),
    reportTemplate: make(templateFile, "locate" in input.template ? input.template.locate : undefined),
  };
  for (const rule of ALL_RULES) rule(ctx);
  const exemptions = compileExemptions(source.exemptions, { referenceIds: undefined, now: input.now ?? new Date() }, ctx.report);
  if (hasErrors(diagnostics) || !template) return fail();
  return { model: { ...buildModel(source, template, input.source.file), exemptions }, diagnostics, appliedOverrides };
}

type Reporter = (code: DiagnosticCode, pointer: string, message: string, severity?: Severity) => void;

/** A Mutate definition: the rules that apply to every definition's header, then the mutation's own. */
function compileMutation(source: DefinitionSource, sourceFile: string, file: ParsedFile, report: Reporter, reportFile: Reporter, now: Date | undefined): MutationModel | undefined {
  const mutator = readMutator(file.data, file.text);
  const ctx = { source, template: undefined, templateFile: file.file, report, reportTemplate: reportFile };
  for (const rule of [azureLimitsRule, deceptiveTextRule, namespacesRule, constraintTemplateChecksRule]) rule(ctx);
  if (Array.isArray(mutator)) {
    for (const problem of mutator) reportFile("AZP3014", "", `not a usable Gatekeeper mutator: ${problem}`);
    return undefined;
  }
  checkMutationSource(source, mutator, report);
  const exemptions = compileExemptions(source.exemptions, { referenceIds: undefined, now: now ?? new Date() }, report);
  return { ...buildMutationModel(source, mutator, sourceFile), exemptions };
}

function loadTemplate(input: DefinitionInput["template"], diagnostics: Diagnostic[], source: ParsedFile): ConstraintTemplate | undefined {
  if ("readError" in input) {
    diagnostics.push({
      code: "AZP3001",
      severity: "error",
      message: `template ${input.readError}`,
      file: source.file,
      pointer: "/template/path",
      ...source.locate("/template/path"),
    });
    return undefined;
  }
  if (input.syntaxErrors.length) {
    diagnostics.push(...input.syntaxErrors);
    return undefined;
  }
  const template = readConstraintTemplate(input.data, input.text);
  if (Array.isArray(template)) {
    for (const problem of template) {
      diagnostics.push({ code: "AZP3001", severity: "error", message: `not a usable ConstraintTemplate: ${problem}`, file: input.file, pointer: "", line: 1, col: 1 });
    }
    return undefined;
  }
  return template;
}

function applyOverrides(
  source: DefinitionSource,
  overrides: ParameterOverride[],
  overridden: Map<string, string>,
  applied: string[],
  diagnostics: Diagnostic[],
): DefinitionSource {
  for (const { name, raw } of overrides) {
    const standard = STANDARD_PARAMETER_TYPES[name];
    const declared = source.parameters?.[name];
    const type = standard ?? (declared?.type as ParameterType | undefined);
    if (!type) continue;
    // source and warn are parameters only of a definition that sets them: a --param does not add one
    const record = source as unknown as Record<string, unknown>;
    if ((DETAILS_PARAMETERS as readonly string[]).includes(name) && record[name] === undefined) continue;
    applied.push(name);
    const parsed = parseOverrideValue(type, raw);
    if ("error" in parsed) {
      diagnostics.push({ code: "AZP1003", severity: "error", message: `--param ${name} ${parsed.error}`, file: `--param ${name}`, pointer: "" });
      continue;
    }
    const value = parsed.value;
    if (standard) {
      record[name] = value;
      overridden.set(joinPointer(name), `--param ${name}`);
    } else if (declared) {
      declared.default = value;
      overridden.set(joinPointer("parameters", name, "default"), `--param ${name}`);
    }
  }
  return source;
}

function buildModel(source: DefinitionSource, template: ConstraintTemplate, sourceFile: string): Omit<PolicyModel, "exemptions"> {
  const parameters: Record<string, PolicyParameter> = {
    ...detailsParameters(source),
    effect: {
      type: "String",
      metadata: {
        displayName: "Effect",
        description: effectDescription(source.effects),
      },
      allowedValues: source.effects ? [...source.effects] : ["Audit", "Deny", "Disabled"],
      defaultValue: defaultEffect(source),
    },
    excludedNamespaces: {
      type: "Array",
      metadata: {
        displayName: "Namespace exclusions",
        description: "List of Kubernetes namespaces to exclude from policy evaluation. System namespaces \"kube-system\", \"gatekeeper-system\" and \"azure-arc\" are always excluded by design.",
      },
      defaultValue: source.excludedNamespaces ?? DEFAULT_EXCLUDED_NAMESPACES,
    },
    namespaces: {
      type: "Array",
      metadata: {
        displayName: "Namespace inclusions",
        description: "List of Kubernetes namespaces to only include in policy evaluation. An empty list means the policy is applied to all resources in all namespaces.",
      },
      defaultValue: source.namespaces ?? [],
    },
    labelSelector: {
      type: "Object",
      metadata: {
        displayName: "Kubernetes label selector",
        description: "Label query to select Kubernetes resources for policy evaluation. An empty label selector matches all Kubernetes resources.",
      },
      defaultValue: source.labelSelector ?? {},
      schema: LABEL_SELECTOR_SCHEMA,
    },
  };
  const values: Record<string, unknown> = {};
  for (const [name, p] of Object.entries(source.parameters ?? {})) {
    const parameter: PolicyParameter = {
      type: p.type as ParameterType,
      metadata: {
        displayName: p.displayName ?? name,
        description: p.description ?? "",
        ...(p.portalReview !== undefined ? { portalReview: p.portalReview } : {}),
        ...(p.deprecated !== undefined ? { deprecated: p.deprecated } : {}),
      },
    };
    if (p.allowedValues !== undefined) parameter.allowedValues = p.allowedValues;
    if (p.default !== undefined) parameter.defaultValue = p.default;
    if (p.schema !== undefined) parameter.schema = p.schema;
    parameters[name] = parameter;
    if (p.templateParameter) values[p.templateParameter] = parameterRef(name);
  }
  Object.assign(values, source.values ?? {});

  const templateInfo = templateInfoFor(source.template, template.text);

  return {
    name: source.name,
    displayName: source.displayName,
    description: source.description,
    version: source.version ?? "1.0.0",
    category: source.category ?? "Kubernetes",
    parameters,
    templateInfo,
    apiGroups: source.apiGroups ?? DEFAULT_API_GROUPS,
    kinds: source.kinds ?? DEFAULT_KINDS,
    clusterTypes: source.clusterTypes ? [...source.clusterTypes] : [...CLUSTER_TYPES],
    detailsParameters: DETAILS_PARAMETERS.filter((d) => source[d] !== undefined),
    ...(source.preview !== undefined ? { preview: source.preview } : {}),
    ...(source.deprecated !== undefined ? { deprecated: source.deprecated } : {}),
    versioned: source.versioned === true,
    values,
    registryParameters: Object.entries(source.parameters ?? {}).filter(([n, p]) => isRegistryList(n, p)).map(([n]) => n),
    replacements: { ...(source.replacements ?? {}) },
    template,
    sourceFile,
  };
}
