// One engine's compiled templates: each distinct template compiled once (the first request starts
// the compilation, later ones share it), and the engine that judges it decided (engine-choice.ts).
import type { ConstraintTemplate } from "../core/constraint-template.js";
import type { Constraint } from "./constraint.js";
import type { CompiledTemplate, CompileSource, GatekeeperHandle, RegoEngine } from "./engine-port.js";
import { decidingEngine, type DecidingEngine, type EngineChoice } from "./engine-choice.js";
import { AzpolError } from "../errors.js";

/**
 * Compiles each distinct template once per engine, and decides which engine judges it
 * (engine-choice.ts). Templates decided by CEL go to Gatekeeper's own client in the engine,
 * one prepared client per template and parameters.
 */
export class TemplateCache {
  private readonly compiled = new Map<string, Promise<CompiledTemplate>>();
  private readonly sources: CompileSource[] = [];
  private readonly gatekeeper = new Map<string, Promise<GatekeeperHandle | { error: string; schemaError: boolean }>>();
  constructor(
    readonly engine: RegoEngine,
    readonly choice: EngineChoice = "auto",
  ) {}

  /** The engine that decides this template, or why none can. */
  engineFor(template: ConstraintTemplate): DecidingEngine | { error: string } {
    const decided = decidingEngine(template, this.choice);
    if (decided === "K8sNativeValidation" && !this.engine.gatekeeper) {
      return { error: `template ${template.name} is decided by its K8sNativeValidation (CEL) code, and only the native engine links Gatekeeper's CEL driver; the js/wasm engine is in use, so it was not evaluated (install Go and rerun npm install, or set AZPOL_ENGINE_PATH)` };
    }
    return decided;
  }

  get(template: ConstraintTemplate): Promise<CompiledTemplate> {
    if (template.rego === undefined) return Promise.reject(new Error(`template ${template.name} has no Rego code`));
    const key = `${template.name}\u0000${template.rego}\u0000${template.libs.join("\u0000")}\u0000${template.regoVersion ?? ""}`;
    let compiled = this.compiled.get(key);
    if (!compiled) {
      compiled = this.engine.compile(template.rego, template.libs, template.regoVersion);
      this.compiled.set(key, compiled);
      this.sources.push({ rego: template.rego, libs: template.libs, version: template.regoVersion ?? "" });
    }
    return compiled;
  }

  /** What was sent to the engine to compile, in order (the warm plan remembers it). */
  compileSources(): readonly CompileSource[] {
    return this.sources;
  }

  /** Gatekeeper's client with this template and constraint (match left to azpol's matcher). */
  async gatekeeperFor(template: ConstraintTemplate, constraint: Constraint): Promise<GatekeeperHandle> {
    const drivers = this.choice === "cel" ? "cel" : "both";
    const constraintObject = { apiVersion: "constraints.gatekeeper.sh/v1beta1", kind: constraint.kind, metadata: { name: constraint.name }, spec: { parameters: constraint.parameters } };
    const key = JSON.stringify([template.object, constraintObject, drivers]);
    let prepared = this.gatekeeper.get(key);
    if (!prepared) {
      prepared = this.engine.prepareGatekeeper(template.object, constraintObject, drivers);
      this.gatekeeper.set(key, prepared);
    }
    const handle = await prepared;
    if ("error" in handle) throw new AzpolError("GatekeeperRejected", `template ${template.name}: ${handle.error}`);
    return handle;
  }
}
