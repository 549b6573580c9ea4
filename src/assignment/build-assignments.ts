// Every assignment source of a build, compiled for one environment, after the definitions and
// initiatives they assign. Pure. Two assignments of one name at one scope would be one resource
// in Azure, so that is an error (AZP2406), as two definitions of one name are.
import type { ParsedFile } from "../core/compile-definition.js";
import { hasErrors, type Diagnostic } from "../model/diagnostics.js";
import type { DefinitionModel } from "../core/mutation-model.js";
import type { DefinitionLocation } from "../deploy/scope.js";
import type { InitiativeModel } from "../initiative/initiative-model.js";
import type { AssignmentModel } from "./assignment-model.js";
import { compileAssignment } from "./compile-assignment.js";

export interface AssignmentsBuild {
  assignments: AssignmentModel[];
  /** source files of assignments that have environments but not the picked one */
  excluded: string[];
  diagnostics: Diagnostic[];
  ok: boolean;
}

export function buildAssignments(files: ParsedFile[], models: DefinitionModel[], initiatives: InitiativeModel[], options: { location: DefinitionLocation | undefined; env: string | undefined }): AssignmentsBuild {
  const ctx = {
    definitions: new Map(models.map((m) => [m.name.toLowerCase(), m])),
    initiatives: new Map(initiatives.map((i) => [i.name.toLowerCase(), i])),
    location: options.location,
    env: options.env,
  };
  const diagnostics: Diagnostic[] = [];
  const assignments: AssignmentModel[] = [];
  const excluded: string[] = [];
  const at = new Map<string, string>();
  for (const file of files) {
    const built = compileAssignment(file, ctx);
    diagnostics.push(...built.diagnostics);
    if (built.excluded) excluded.push(file.file);
    const model = built.model;
    if (!model) continue;
    const clash = model.scopes.map((s) => at.get(`${s.id}/${model.name}`.toLowerCase())).find((x) => x !== undefined);
    if (clash !== undefined) {
      diagnostics.push({ code: "AZP2406", severity: "error", message: `assignment '${model.name}' is also made by ${clash} at one of these scopes; Azure would hold one assignment for both, so rename one`, file: file.file, pointer: "/name", ...file.locate("/name") });
      continue;
    }
    for (const s of model.scopes) at.set(`${s.id}/${model.name}`.toLowerCase(), file.file);
    assignments.push(model);
  }
  return { assignments, excluded, diagnostics, ok: !hasErrors(diagnostics) };
}
