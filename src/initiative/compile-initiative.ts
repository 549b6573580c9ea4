// Initiative source + the definitions built with it → validated InitiativeModel, or diagnostics.
// Pure: the caller reads the file and builds the definitions.
import type { ParsedFile } from "../core/compile-definition.js";
import { hasErrors, joinPointer, type Diagnostic, type DiagnosticCode, type Severity } from "../model/diagnostics.js";
import type { PolicyModel, PolicyParameter } from "../core/policy-model.js";
import { definitionNameProblem, LIMITS } from "../model/azure-limits.js";
import { hiddenCharacterProblem, readableTextProblem } from "../model/safe-name.js";
import { checkParameterDefault } from "../core/rules/parameter-defaults.js";
import { compileExemptions } from "../exemption/compile-exemptions.js";
import { validateInitiativeSchema } from "../schema/validate-source.js";
import type { InitiativeModel } from "./initiative-model.js";
import type { InitiativeParameterSource, InitiativeSource } from "../model/initiative-source.js";
import { checkReferences, checkRegistries, wireMembers } from "./parameter-wiring.js";

/**
 * Azure's limits for a policy set (learn.microsoft.com/azure/azure-resource-manager/management/
 * azure-subscription-service-limits#azure-policy-limits, as commonly quoted; not confirmed here):
 * 1000 definitions and 400 parameters; the request body is at most 1 MiB (checked on the body).
 */
export const INITIATIVE_LIMITS = { members: 1000, parameters: 400, referenceId: 128 } as const;

export function compileInitiative(file: ParsedFile, definitions: ReadonlyMap<string, PolicyModel>, now: Date = new Date(), mutations: ReadonlySet<string> = new Set()): { model: InitiativeModel | undefined; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [...file.syntaxErrors];
  if (diagnostics.length) return { model: undefined, diagnostics };
  const schema = validateInitiativeSchema(file.data, file.file, file.locate);
  diagnostics.push(...schema.diagnostics);
  const source = schema.source;
  if (!source) return { model: undefined, diagnostics };
  const report = (code: DiagnosticCode, pointer: string, message: string, severity: Severity = "error") => diagnostics.push({ code, severity, message, file: file.file, pointer, ...file.locate(pointer) });

  checkTexts(source, report);
  const declared = Object.fromEntries(Object.entries(source.parameters ?? {}).map(([n, p]) => [n, declaredParameter(n, p, report)]));
  const members = resolveMembers(source, definitions, report, mutations);
  const { wired, passThrough } = wireMembers(members, declared, report);
  const parameters = { ...passThrough, ...declared };
  const { used, registryParameters } = checkReferences(wired, parameters, report);
  for (const name of Object.keys(declared)) {
    if (!used.has(name)) report("AZP2018", joinPointer("parameters", name), `initiative parameter '${name}' feeds no member; remove it or pass it with "[parameters('${name}')]"`, "warning");
  }
  for (const name of registryParameters) {
    if (name in declared && declared[name]?.defaultValue !== undefined) checkRegistries(declared[name]?.defaultValue, joinPointer("parameters", name, "default"), report);
  }
  if (source.definitions.length > INITIATIVE_LIMITS.members) report("AZP2034", "/definitions", `the initiative has ${source.definitions.length} definitions; Azure accepts at most ${INITIATIVE_LIMITS.members}`);
  if (Object.keys(parameters).length > INITIATIVE_LIMITS.parameters) report("AZP2034", "/parameters", `the initiative has ${Object.keys(parameters).length} parameters (with pass-through ones); Azure accepts at most ${INITIATIVE_LIMITS.parameters}`);
  const referenceIds = members.map((m) => m.referenceId);
  const exemptions = compileExemptions(source.exemptions, { referenceIds, now }, report);
  if (hasErrors(diagnostics)) return { model: undefined, diagnostics };
  return {
    model: {
      name: source.name,
      displayName: source.displayName,
      description: source.description ?? "",
      version: source.version ?? "1.0.0",
      category: source.category ?? "Kubernetes",
      parameters,
      registryParameters,
      members: wired.map((w, i) => ({
        referenceId: referenceIds[i] ?? w.definition.name,
        definitionName: w.definition.name,
        parameters: w.parameters,
        ...(members[i]?.source.definitionVersion !== undefined ? { definitionVersion: members[i]?.source.definitionVersion } : {}),
      })),
      exemptions,
      sourceFile: file.file,
    },
    diagnostics,
  };
}

type Report = (code: DiagnosticCode, pointer: string, message: string, severity?: Severity) => void;

function checkTexts(source: InitiativeSource, report: Report): void {
  const nameProblem = definitionNameProblem(source.name);
  if (nameProblem) report("AZP2010", "/name", nameProblem);
  if (source.displayName.length > LIMITS.displayName) report("AZP2011", "/displayName", `displayName is ${source.displayName.length} characters; Azure allows at most ${LIMITS.displayName}`);
  if ((source.description ?? "").length > LIMITS.description) report("AZP2012", "/description", `description is ${source.description?.length} characters; Azure allows at most ${LIMITS.description}`);
  if (source.version !== undefined && !/^\d+\.\d+\.\d+(-preview|-deprecated)?$/.test(source.version)) report("AZP2020", "/version", `version ${JSON.stringify(source.version)} is not #.#.# (optionally -preview or -deprecated); use e.g. '1.0.0'`);
  // the texts a reviewer reads beside the name, under the same rule as a definition's (AZP2024)
  const texts: [string, unknown][] = [["/displayName", source.displayName], ["/description", source.description], ["/category", source.category]];
  for (const [name, p] of Object.entries(source.parameters ?? {})) texts.push([joinPointer("parameters", name), name], [joinPointer("parameters", name, "displayName"), p.displayName], [joinPointer("parameters", name, "description"), p.description]);
  for (const [pointer, text] of texts) {
    const problem = readableTextProblem(text);
    if (problem) report("AZP2024", pointer, problem);
  }
  if ((source.category ?? "").length > LIMITS.metadataValue) report("AZP2019", "/category", `category is ${source.category?.length} characters; Azure allows at most ${LIMITS.metadataValue} per metadata value`);
}

function declaredParameter(name: string, p: InitiativeParameterSource, report: Report): PolicyParameter {
  const parameter: PolicyParameter = { type: p.type as PolicyParameter["type"], metadata: { displayName: p.displayName ?? name, description: p.description ?? "" } };
  if (p.allowedValues !== undefined) parameter.allowedValues = p.allowedValues;
  if (p.schema !== undefined) parameter.schema = p.schema;
  if (p.default !== undefined) parameter.defaultValue = p.default;
  checkParameterDefault(name, parameter.type, p.default, p.allowedValues, report);
  return parameter;
}

/** The members whose definitions exist, with their reference ids (unique, case-insensitively). */
function resolveMembers(source: InitiativeSource, definitions: ReadonlyMap<string, PolicyModel>, report: Report, mutations: ReadonlySet<string>): { source: InitiativeSource["definitions"][number]; definition: PolicyModel; index: number; referenceId: string }[] {
  const seen = new Map<string, number>();
  const out: { source: InitiativeSource["definitions"][number]; definition: PolicyModel; index: number; referenceId: string }[] = [];
  source.definitions.forEach((member, index) => {
    const definition = definitions.get(member.definition.toLowerCase());
    if (!definition && mutations.has(member.definition.toLowerCase())) {
      report("AZP2027", joinPointer("definitions", index, "definition"), `'${member.definition}' is a Mutate definition (a Gatekeeper mutator); azpol does not put mutations in initiatives yet: assign it on its own`);
      return;
    }
    if (!definition) {
      const known = [...definitions.values()].map((d) => d.name);
      report("AZP2027", joinPointer("definitions", index, "definition"), `no definition named '${member.definition}' is built with this initiative${known.length ? `; built: ${known.join(", ")}` : ""}. Build its definition.yaml together with this file (both folders, or the project root)`);
      return;
    }
    const referenceId = member.referenceId ?? definition.name;
    const pointer = joinPointer("definitions", index, member.referenceId === undefined ? "definition" : "referenceId");
    if (referenceId.length > INITIATIVE_LIMITS.referenceId || hiddenCharacterProblem(referenceId) !== undefined) {
      report("AZP2028", pointer, `policyDefinitionReferenceId ${JSON.stringify(referenceId)} must be 1-${INITIATIVE_LIMITS.referenceId} characters without control, invisible or direction-changing characters (azpol's bound; ARM's is unconfirmed)`);
      return;
    }
    const first = seen.get(referenceId.toLowerCase());
    if (first !== undefined) {
      report("AZP2028", pointer, `policyDefinitionReferenceId '${referenceId}' is already used by /definitions/${first}; give each member its own referenceId`);
      return;
    }
    seen.set(referenceId.toLowerCase(), index);
    if (member.definitionVersion !== undefined) {
      const problem = definitionVersionProblem(member.definitionVersion, definition);
      if (problem) report("AZP2020", joinPointer("definitions", index, "definitionVersion"), problem);
    }
    out.push({ source: member, definition, index, referenceId });
  });
  return out;
}

// Microsoft's initiatives pin members as "9.*.*" or "1.*.*-preview" (policySetDefinitions/Kubernetes)
const DEFINITION_VERSION = /^(\d+)\.(\d+|\*)\.(\d+|\*)(-preview|-deprecated)?$/;

/** Why a member's definitionVersion cannot select the definition azpol builds, or undefined. */
export function definitionVersionProblem(pin: string, definition: PolicyModel): string | undefined {
  const m = DEFINITION_VERSION.exec(pin);
  if (!m) return `definitionVersion ${JSON.stringify(pin)} is not #.#.# with optional '*' for minor and patch (e.g. '1.*.*', '1.*.*-preview')`;
  if (!definition.versioned) return `definitionVersion pins '${definition.name}', whose version is not its definition version; set versioned: true in its definition.yaml`;
  const wanted = new RegExp(`^${pin.replace(/\./g, "\\.").replace(/\*/g, "\\d+")}$`);
  if (!wanted.test(definition.version)) return `definitionVersion ${JSON.stringify(pin)} does not select '${definition.name}' version ${definition.version}, the one azpol builds and deploys`;
  return undefined;
}
