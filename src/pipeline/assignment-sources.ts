// The assignment sources (assignments/) in the build: compiled after the definitions and
// initiatives they assign, with azpol.yaml's definitionLocation. validate checks them with every
// environment's values; deploy builds them for its --env (cli/commands/deploy-estate.ts).
import type { AssignmentsBuild } from "../assignment/build-assignments.js";
import { buildAssignments } from "../assignment/build-assignments.js";
import { findAssignmentFiles, projectDefinitionLocation, readAssignmentFiles } from "../assignment/load-assignments.js";
import type { DefinitionModel } from "../core/mutation-model.js";
import type { DefinitionLocation } from "../deploy/scope.js";
import type { InitiativeModel } from "../initiative/initiative-model.js";
import { sortDiagnostics } from "../model/diagnostics.js";
import type { SourcesBuild } from "./read-sources.js";

export interface AssignmentSourcesBuild extends AssignmentsBuild {
  files: string[];
  /** azpol.yaml's definitionLocation, when set */
  location: DefinitionLocation | undefined;
}

export function buildAssignmentSources(root: string, models: DefinitionModel[], initiatives: InitiativeModel[], env: string | undefined): AssignmentSourcesBuild {
  const location = projectDefinitionLocation(root);
  return { ...buildAssignments(readAssignmentFiles(root), models, initiatives, { location, env }), files: findAssignmentFiles(root), location };
}

/** A build with the project's assignment sources checked too (only when the definitions built: they are what is assigned). */
export function withAssignmentSources<T extends SourcesBuild>(built: T, root: string): T {
  if (!built.ok || findAssignmentFiles(root).length === 0) return built;
  const assignments = buildAssignmentSources(root, [...built.models, ...built.mutations], built.initiatives, undefined);
  return { ...built, ok: assignments.ok, files: [...built.files, ...assignments.files], diagnostics: sortDiagnostics([...built.diagnostics, ...assignments.diagnostics]) };
}
