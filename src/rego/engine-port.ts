// What azpol asks of its Rego engine (engine.ts opens one): OPA and Gatekeeper's code in Go, as a
// native child process or js/wasm in this process. Both builds answer the same requests
// (engine/api.go); these are the shapes of those requests and answers, for every caller.
import type { EvalCost } from "../core/webhook-budget.js";

export interface EngineViolation {
  msg: string;
  details: unknown;
}

export interface EngineResult {
  violations: EngineViolation[];
  /** Rego evaluation error; Gatekeeper reports it as a violation of each matched constraint. */
  error?: string;
  timedOut?: boolean;
  /** the template called external_data, which azpol cannot answer offline: no verdict */
  externalData?: boolean;
  /** what the evaluation cost, counted (not timed) by the engine: steps and input size (core/webhook-budget.ts) */
  cost?: EvalCost;
}

export interface EngineInput {
  review: unknown;
  parameters: unknown;
}

export interface CompiledTemplate {
  /** the engine had compiled this ahead of time (EngineOptions.precompile); the result is the same */
  readonly precompiled: boolean;
  evaluate(inputs: EngineInput[]): Promise<EngineResult[]>;
  release(): void;
}

/** What kubectl's reader makes of a manifest stream (engine/manifests.go). */
export interface EngineManifestRead {
  objects: { document: number; line: number; item?: number; object: Record<string, unknown> }[];
  problems: { document: number; line: number; message: string; fatal?: boolean }[];
}

/** Which of Gatekeeper's drivers a client gets: both (Gatekeeper's default), or only one. */
export type GatekeeperDrivers = "both" | "rego" | "cel";

/** A template + constraint added to Gatekeeper's own client (engine/gatekeeper_native.go). */
export interface GatekeeperHandle {
  review(items: GatekeeperReviewItem[]): Promise<EngineResult[]>;
  release(): void;
}

/** One review for Gatekeeper's client: a plain object, or an AdmissionReview's request. */
export type GatekeeperReviewItem = ({ object: unknown } | { request: unknown }) & { generated?: boolean; namespace?: unknown };

export interface ExpansionResultant {
  object: Record<string, unknown>;
  templateName: string;
  enforcementAction: string;
}

export interface MutateRequest {
  mutators: unknown[];
  expansions?: unknown[];
  object?: unknown;
  namespace?: unknown;
}

export interface MutateResult {
  /** the object after mutation (absent when only the mutators were checked) */
  object?: Record<string, unknown>;
  resultants: ExpansionResultant[];
}

export interface RegoEngine {
  readonly kind: "native" | "wasm";
  /** whether this build links Gatekeeper's client, CEL driver and expander (the native build) */
  readonly gatekeeper: boolean;
  /** where the engine came from ("native (engine/dist/native)" or "wasm"), as the benchmarks print it */
  readonly source: string;
  readonly opaVersion: string;
  readonly loadMs: number;
  compile(rego: string, libs: string[], version: string | undefined): Promise<CompiledTemplate>;
  /** Renders the kustomization in `dir` as `kubectl apply -k` does (kustomize API v0.19.0, native engine). */
  kustomize(dir: string): Promise<{ yaml: string } | { error: string }>;
  /**
   * Why the API server would refuse each object before admission (strict field validation and
   * metadata.name of built-in kinds, engine/strict_validate_native.go); [] for none or for a kind
   * only the cluster knows (CRDs). Native engine only: the wasm build answers { error }.
   */
  strictValidate(objects: readonly unknown[]): Promise<string[][] | { error: string }>;
  /** Reads a manifest stream with kubectl's own code (apimachinery + cli-runtime), linked into the engine. */
  readManifests(text: string, options?: { forceYAML?: boolean }): Promise<EngineManifestRead>;
  /**
   * Reads a suite's file the way gator verify does (engine/gator_reader.go): all=false, the whole
   * text as one object (templates, constraints, ExpansionTemplates); all=true, every "\n---" part.
   */
  gatorRead(text: string, all: boolean): Promise<Record<string, unknown>[] | { error: string }>;
  /** Which texts the Go regexp (RE2) `pattern` matches, as gator's message assertions decide. */
  regexMatch(pattern: string, texts: string[]): Promise<boolean[] | { error: string }>;
  /** Adds a template and constraint to a Gatekeeper client with the given drivers. */
  prepareGatekeeper(template: unknown, constraint: unknown, drivers: GatekeeperDrivers): Promise<GatekeeperHandle | { error: string; schemaError: boolean }>;
  /** Expands an object with ExpansionTemplates, as gator verify does. */
  expand(expansions: unknown[], object: unknown): Promise<ExpansionResultant[] | { error: string }>;
  /**
   * Applies Gatekeeper mutators to an object with Gatekeeper's own pkg/mutation, through gator's
   * expander (engine/mutation_native.go): the mutated object and what its ExpansionTemplates
   * generate, mutated as Generated. Without an object, only checks that Gatekeeper accepts the
   * mutators. Native engine only: the wasm build answers { error: "mutation needs the native engine…" }.
   */
  mutate(request: MutateRequest): Promise<MutateResult | { error: string }>;
  close(): void;
}

/** What a compile request carries (engine/api.go): a template's Rego, its libs and "v1" or "" (v0). */
export interface CompileSource {
  rego: string;
  libs: string[];
  version: string;
}

export interface EngineOptions {
  /** bound on one evaluation, in ms (native engine; 0 = none): a wall-clock last resort */
  evalTimeoutMs?: number;
  /** evaluation steps after which the engine stops an evaluation (deterministic; default: the webhook's timeout worth) */
  maxSteps?: number;
  /** bound on the native engine's memory, MiB (Linux; the engine is stopped above it) */
  memoryLimitMiB?: number;
  /** where the one-line note goes when an engine cannot be used and the next one is (default stderr) */
  onNote?: (line: string) => void;
  /**
   * templates the native engine starts compiling as soon as it starts (pipeline/warm-plan.ts): a
   * later compile of the same source takes the result, anything else compiles as usual
   */
  precompile?: CompileSource[];
}
