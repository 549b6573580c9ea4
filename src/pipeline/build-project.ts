// The whole build: definitions, then the initiatives that group them, then every format's files.
// All or nothing, as buildDefinitions: any error in either means no artifacts.
import { buildDefinitions, type BuildResult } from "./build-definitions.js";
import type { DefinitionInput, ParsedFile } from "../core/compile-definition.js";
import { hasErrors, sortDiagnostics, type Diagnostic } from "../model/diagnostics.js";
import type { ParameterOverride } from "../core/parameter-override.js";
import type { PolicyModel } from "../core/policy-model.js";
import { LIMITS } from "../model/azure-limits.js";
import type { Format } from "../emit/artifacts.js";
import { initiativeArtifacts, policySetBody } from "../emit/initiative/initiative-artifacts.js";
import { compileInitiative } from "../initiative/compile-initiative.js";
import type { InitiativeModel } from "../initiative/initiative-model.js";

export interface ProjectBuild extends BuildResult {
  initiatives: InitiativeModel[];
}

export function buildProject(definitions: DefinitionInput[], initiatives: ParsedFile[], formats: readonly Format[], overrides: ParameterOverride[] = [], now: Date = new Date()): ProjectBuild {
  const built = buildDefinitions(definitions.map((d) => ({ ...d, now })), formats, overrides);
  // a member can only be checked against a definition that built
  if (!built.ok || initiatives.length === 0) return { ...built, initiatives: [] };
  const byName = new Map(built.models.map((m) => [m.name.toLowerCase(), m]));
  const diagnostics: Diagnostic[] = [...built.diagnostics];
  const models: InitiativeModel[] = [];
  const names = new Map<string, string>();
  for (const file of initiatives) {
    const result = compileInitiative(file, byName, now, new Set(built.mutations.map((m) => m.name.toLowerCase())));
    diagnostics.push(...result.diagnostics);
    const model = result.model;
    if (!model) continue;
    const at = { file: file.file, pointer: "/name", ...file.locate("/name") };
    const key = model.name.toLowerCase();
    // an initiative's files go to <out>/<name>/, as a definition's do
    const clash = byName.get(key) ? `definition ${byName.get(key)?.sourceFile}` : (built.mutations.some((m) => m.name.toLowerCase() === key) ? `definition ${built.mutations.find((m) => m.name.toLowerCase() === key)?.sourceFile}` : names.get(key));
    if (clash) {
      diagnostics.push({ code: "AZP2038", severity: "error", message: `initiative name '${model.name}' is already used by ${clash}; build folders and Azure names would collide, so rename one`, ...at });
      continue;
    }
    names.set(key, `initiative ${file.file}`);
    // a member is assigned through the initiative, so its own exemptions would have no assignment
    for (const member of new Set(model.members.map((m) => m.definitionName))) {
      const definition = byName.get(member.toLowerCase());
      const input = definitions.find((d) => d.source.file === definition?.sourceFile);
      if (!definition?.exemptions.length || !input) continue;
      diagnostics.push({ code: "AZP2035", severity: "error", message: `'${definition.name}' is assigned through initiative '${model.name}' (${file.file}), so its exemptions would have no assignment to exempt from; move them to the initiative, with referenceIds to pick this member`, file: input.source.file, pointer: "/exemptions", ...input.source.locate("/exemptions") });
    }
    const bytes = Buffer.byteLength(JSON.stringify(policySetBody(model)), "utf8");
    if (bytes > LIMITS.bodyBytes) {
      diagnostics.push({ code: "AZP2034", severity: "error", message: `the initiative body is ${bytes} bytes; Azure accepts at most ${LIMITS.bodyBytes}`, file: file.file, pointer: "", line: 1, col: 1 });
      continue;
    }
    models.push(model);
  }
  const ok = !hasErrors(diagnostics);
  const membersOf = (m: InitiativeModel): PolicyModel[] => [...new Set(m.members.map((x) => x.definitionName))].map((n) => byName.get(n.toLowerCase())).filter((x): x is PolicyModel => x !== undefined);
  return {
    ok,
    models: ok ? built.models : [],
    mutations: ok ? built.mutations : [],
    initiatives: ok ? models : [],
    artifacts: ok ? [...built.artifacts, ...models.flatMap((m) => initiativeArtifacts(m, membersOf(m), formats))] : [],
    diagnostics: sortDiagnostics(diagnostics),
  };
}
