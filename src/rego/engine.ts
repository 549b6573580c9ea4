// azpol's Rego engine: real OPA (and kubectl's manifest reader) in Go, engine/*.go. It runs as a
// native child process where a binary is available, else as js/wasm in this process
// (engine-locate.ts says which). Both answer the same requests (engine/api.go), whose shapes are
// in engine-port.ts; this file opens the engine and keeps one per process.
import { checkBinaryPlatform, checkHandshake } from "./engine-check.js";
import { engineCandidates, expectedEngineSource, type EngineLocation } from "./engine-locate.js";
import type { EngineReply, EngineTransport } from "./engine-transport.js";
import { AzpolError } from "../errors.js";
import { MAX_EVALUATION_STEPS } from "../core/webhook-budget.js";
import { DEFAULT_EVAL_TIMEOUT_MS, DEFAULT_MEMORY_LIMIT_MIB } from "./engine-defaults.js";
import type { EngineOptions, EngineResult, EngineManifestRead, ExpansionResultant, RegoEngine } from "./engine-port.js";

// Stays process-wide on purpose: the engine is a child process (or a wasm instance) that costs a
// start-up and memory, so one is shared by every run in the process (cli/main.ts starts it early).
// Actions reach it only through ActionContext.engine, so a test gives a context its own engine;
// configureEngine's bounds apply to the one the process loads (set before it first loads).
let loading: Promise<RegoEngine> | undefined;
let options: EngineOptions = { evalTimeoutMs: DEFAULT_EVAL_TIMEOUT_MS, memoryLimitMiB: DEFAULT_MEMORY_LIMIT_MIB };

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
    const handshake = transport.request({ op: "version" });
    // queued behind the handshake: the engine compiles these while this process goes on loading
    if (opts.precompile?.length && transport.kind === "native") void transport.request({ op: "precompile", templates: opts.precompile }).catch(() => undefined);
    version = check(await handshake, "EngineLoadFailed");
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
        precompiled: reply.precompiled === true,
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
