// azpol's Rego engine: real OPA (and kubectl's manifest reader) in Go, engine/*.go. It runs as a
// native child process where a binary is available, else as js/wasm in this process
// (engine-locate.ts says which). Both answer the same requests (engine/api.go).
import { checkBinaryPlatform, checkHandshake } from "./engine-check.js";
import { engineCandidates, expectedEngineSource, type EngineLocation } from "./engine-locate.js";
import type { EngineReply, EngineTransport } from "./engine-transport.js";
import { AzpolError } from "../errors.js";
import { MAX_EVALUATION_STEPS, type EvalCost } from "../core/webhook-budget.js";

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

export interface EngineOptions {
  /** bound on one evaluation, in ms (native engine; 0 = none): a wall-clock last resort */
  evalTimeoutMs?: number;
  /** evaluation steps after which the engine stops an evaluation (deterministic; default: the webhook's timeout worth) */
  maxSteps?: number;
  /** bound on the native engine's memory, MiB (Linux; the engine is stopped above it) */
  memoryLimitMiB?: number;
  /** where the one-line note goes when an engine cannot be used and the next one is (default stderr) */
  onNote?: (line: string) => void;
}

// Stays process-wide on purpose: the engine is a child process (or a wasm instance) that costs a
// start-up and memory, so one is shared by every run in the process (cli/run.ts starts it early).
// Actions reach it only through ActionContext.engine, so a test gives a context its own engine;
// configureEngine's bounds apply to the one the process loads (set before it first loads).
let loading: Promise<RegoEngine> | undefined;
let options: EngineOptions = { evalTimeoutMs: 10_000, memoryLimitMiB: 2048 };

/** Sets options for the engine this process loads (before the first loadEngine call). */
export function configureEngine(next: EngineOptions): void {
  options = { ...options, ...next };
}

/** Loads the engine once per process; later calls share it. */
export function loadEngine(): Promise<RegoEngine> {
  loading ??= openFirstUsable(engineCandidates(), options);
  return loading;
}

const describeLocation = (l: EngineLocation) => (l.kind === "native" ? `the native engine from ${l.source}` : "the js/wasm engine (slower, single-core)");

/**
 * Opens the first candidate that passes its checks. A native binary that is for another platform,
 * does not run, or fails the handshake is skipped with one line saying why and what is used instead;
 * one the user named (AZPOL_ENGINE_PATH) is the only candidate, so its failure is the error.
 */
export async function openFirstUsable(candidates: EngineLocation[], opts: EngineOptions): Promise<RegoEngine> {
  const note = opts.onNote ?? ((line: string) => process.stderr.write(`azpol: note: ${line}\n`));
  for (const [i, location] of candidates.entries()) {
    const next = candidates[i + 1];
    try {
      return await openEngine(location, opts);
    } catch (e) {
      if (!next || !(e instanceof AzpolError)) throw e;
      note(`${e.message}; using ${describeLocation(next)} instead`);
    }
  }
  throw new AzpolError("EngineMissing", "no Rego engine is available");
}

function check(reply: EngineReply, what: string): EngineReply {
  if (typeof reply.error === "string") throw new AzpolError(what, reply.error);
  return reply;
}

export async function openEngine(location: EngineLocation, opts: EngineOptions = {}): Promise<RegoEngine> {
  const started = performance.now();
  if (location.kind === "native") checkBinaryPlatform(location);
  // loaded here, not with the CLI: it brings child_process and zlib, which `--help` does not need
  const { openTransport } = await import("./engine-transport.js");
  const transport: EngineTransport = await openTransport(location, { memoryLimitMiB: opts.memoryLimitMiB });
  let version: EngineReply;
  try {
    version = check(await transport.request({ op: "version" }), "EngineLoadFailed");
    checkHandshake(version, location, expectedEngineSource());
  } catch (e) {
    transport.close();
    throw e;
  }
  const loadMs = performance.now() - started;
  const timeoutMs = opts.evalTimeoutMs ?? 0;
  const maxSteps = opts.maxSteps ?? MAX_EVALUATION_STEPS;
  return {
    kind: transport.kind,
    source: location.kind === "native" ? `native (${location.source})` : "wasm",
    opaVersion: String(version.version),
    gatekeeper: version.gatekeeper === true,
    loadMs,
    async compile(rego, libs, regoVersion) {
      const reply = check(await transport.request({ op: "compile", rego, libs, version: regoVersion ?? "" }), "RegoCompileFailed");
      const id = Number(reply.template);
      return {
        async evaluate(inputs) {
          const out = check(await transport.request({ op: "evaluate", template: id, inputs, timeoutMs, maxSteps }), "RegoEvalFailed");
          return out.results as EngineResult[];
        },
        release() {
          void transport.request({ op: "release", template: id }).catch(() => undefined);
        },
      };
    },
    async kustomize(dir) {
      const reply = await transport.request({ op: "kustomize", dir });
      return typeof reply.error === "string" ? { error: reply.error } : { yaml: String(reply.yaml) };
    },
    async strictValidate(objects) {
      const reply = await transport.request({ op: "strictValidate", objects });
      return typeof reply.error === "string" ? { error: reply.error } : (reply.results as string[][]);
    },
    async readManifests(text, readOptions) {
      const reply = check(await transport.request({ op: "readManifests", text, yaml: readOptions?.forceYAML === true }), "ManifestReadFailed");
      return reply as unknown as EngineManifestRead;
    },
    async gatorRead(text, all) {
      const reply = await transport.request({ op: "gatorRead", text, all });
      return typeof reply.error === "string" ? { error: reply.error } : (reply.objects as Record<string, unknown>[]);
    },
    async regexMatch(pattern, texts) {
      const reply = await transport.request({ op: "regexMatch", pattern, texts });
      return typeof reply.error === "string" ? { error: reply.error } : (reply.matches as boolean[]);
    },
    async prepareGatekeeper(template, constraint, drivers) {
      const reply = await transport.request({ op: "gkPrepare", constraintTemplate: template, constraint, engines: drivers });
      if (typeof reply.error === "string") return { error: reply.error, schemaError: reply.schemaError === true };
      const handle = Number(reply.handle);
      return {
        async review(items) {
          return check(await transport.request({ op: "gkReview", handle, items }), "GatekeeperReviewFailed").results as EngineResult[];
        },
        release() {
          void transport.request({ op: "gkRelease", handle }).catch(() => undefined);
        },
      };
    },
    async expand(expansions, object) {
      const reply = await transport.request({ op: "expand", expansions, object });
      return typeof reply.error === "string" ? { error: reply.error } : (reply.resultants as ExpansionResultant[]);
    },
    async mutate(request) {
      const reply = await transport.request({ op: "mutate", ...request });
      if (typeof reply.error === "string") return { error: reply.error };
      return { ...(reply.object ? { object: reply.object as Record<string, unknown> } : {}), resultants: (reply.resultants as ExpansionResultant[] | undefined) ?? [] };
    },
    close() {
      transport.close();
    },
  };
}
