// What every semantic rule sees, and how it reports.
import type { ConstraintTemplate } from "../constraint-template.js";
import type { DefinitionSource } from "../../model/definition-source.js";
import type { DiagnosticCode, Severity } from "../../model/diagnostics.js";

export interface RuleContext {
  source: DefinitionSource;
  /** the template, when it could be read (template rules report when it could not) */
  template: ConstraintTemplate | undefined;
  templateFile: string;
  report: (code: DiagnosticCode, pointer: string, message: string, severity?: Severity) => void;
  /** report against the template file instead of the definition */
  reportTemplate: (code: DiagnosticCode, pointer: string, message: string, severity?: Severity) => void;
}

export type Rule = (ctx: RuleContext) => void;
