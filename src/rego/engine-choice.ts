// Which engine decides a template, the way Gatekeeper 3.20.1 picks one (the AKS add-on's version,
// and gator's default): the CEL driver is registered before the Rego driver, so a template with
// K8sNativeValidation code is judged by its CEL and its Rego is ignored; there is no fallback
// (frameworks constraint/pkg/client/client.go driverForTemplate and client_opts.go Driver();
// GK v3.20.1 main.go and pkg/gator/opa.go; GK website/docs/validating-admission-policy.md).
// `--engine rego|cel` overrides the choice, and it is an error when the template lacks that code.
import type { ConstraintTemplate } from "../core/constraint-template.js";

export type EngineChoice = "auto" | "rego" | "cel";

/** The engine names Gatekeeper uses in a template's code: entries. */
export type DecidingEngine = "Rego" | "K8sNativeValidation";

export const ENGINE_CHOICES: readonly EngineChoice[] = ["auto", "rego", "cel"];

export function decidingEngine(template: ConstraintTemplate, choice: EngineChoice): DecidingEngine | { error: string } {
  if (choice === "rego") {
    return template.rego !== undefined ? "Rego" : { error: `template ${template.name} has no Rego code, so --engine rego cannot evaluate it (it has K8sNativeValidation code only)` };
  }
  if (choice === "cel") {
    return template.hasCel ? "K8sNativeValidation" : { error: `template ${template.name} has no K8sNativeValidation (CEL) code, so --engine cel cannot evaluate it` };
  }
  return template.hasCel ? "K8sNativeValidation" : "Rego";
}

/** "Rego" or "CEL", as output prints the deciding engine. */
export function engineLabel(engine: DecidingEngine): string {
  return engine === "Rego" ? "Rego" : "CEL";
}
