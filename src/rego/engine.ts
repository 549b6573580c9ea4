// Loads azpol's OPA engine (engine/*.go compiled to js/wasm) into this Node process.
// The Go side registers `globalThis.__azpolEngine` with JSON-string functions.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { AzpolError } from "../errors.js";

export interface EngineViolation {
  msg: string;
  details: unknown;
}

export interface EngineResult {
  violations: EngineViolation[];
  /** Rego evaluation error; Gatekeeper reports it as a violation of each matched constraint. */
  error?: string;
}

export interface EngineInput {
  review: unknown;
  parameters: unknown;
}

export interface CompiledTemplate {
  evaluate(inputs: EngineInput[]): EngineResult[];
  release(): void;
}

/** What kubectl's reader makes of a manifest stream (engine/manifests.go). */
export interface EngineManifestRead {
  objects: { document: number; line: number; item?: number; object: Record<string, unknown> }[];
  problems: { document: number; line: number; message: string; fatal?: boolean }[];
}

export interface RegoEngine {
  readonly opaVersion: string;
  readonly loadMs: number;
  compile(rego: string, libs: string[], version: string | undefined): CompiledTemplate;
  /** Reads a manifest stream with kubectl's own code (apimachinery + cli-runtime), linked into the engine. */
  readManifests(text: string): EngineManifestRead;
}

interface GoGlobal {
  compile(req: string): string;
  evaluate(id: number, inputs: string): string;
  release(id: number): void;
  readManifests(text: string): string;
  version: string;
}

interface GoRuntime {
  importObject: object;
  run(instance: unknown): Promise<void>;
}

// Node has WebAssembly, but @types/node does not declare it (that lives in lib.dom).
const wasm = (globalThis as unknown as {
  WebAssembly: { instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: unknown }> };
}).WebAssembly;

/** Finds engine/dist from both src/rego (tests) and dist/src/rego (built CLI). */
export function engineDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, "engine", "dist");
    if (existsSync(join(candidate, "engine.wasm.gz"))) return candidate;
    dir = resolve(dir, "..");
  }
  throw new AzpolError(
    "EngineMissing",
    "the Rego engine is not built (engine/dist/engine.wasm.gz is missing); run 'npm run build:engine' (needs Go >= 1.24)",
  );
}

let loading: Promise<RegoEngine> | undefined;

/** Loads the engine once per process; later calls share it. */
export function loadEngine(): Promise<RegoEngine> {
  loading ??= instantiate();
  return loading;
}

async function instantiate(): Promise<RegoEngine> {
  const started = performance.now();
  const dir = engineDir();
  const require = createRequire(import.meta.url);
  require(join(dir, "wasm_exec.cjs")); // defines globalThis.Go
  const GoCtor = (globalThis as unknown as { Go: new () => GoRuntime }).Go;
  const go = new GoCtor();
  const bytes = gunzipSync(readFileSync(join(dir, "engine.wasm.gz")));
  const { instance } = await wasm.instantiate(bytes, go.importObject);
  void go.run(instance); // resolves only when Go exits; main() blocks forever
  const api = (globalThis as unknown as { __azpolEngine?: GoGlobal }).__azpolEngine;
  if (!api) throw new AzpolError("EngineLoadFailed", "the Rego engine started but did not register its API");
  const loadMs = performance.now() - started;

  return {
    opaVersion: api.version,
    loadMs,
    readManifests(text) {
      return JSON.parse(api.readManifests(text)) as EngineManifestRead;
    },
    compile(rego, libs, version) {
      const reply = JSON.parse(api.compile(JSON.stringify({ rego, libs, version: version ?? "" }))) as {
        id?: number;
        error?: string;
      };
      if (reply.error !== undefined || reply.id === undefined) {
        throw new AzpolError("RegoCompileFailed", reply.error ?? "unknown compile error");
      }
      const id = reply.id;
      return {
        evaluate(inputs) {
          const out = JSON.parse(api.evaluate(id, JSON.stringify(inputs))) as {
            results?: EngineResult[];
            error?: string;
          };
          if (!out.results) throw new AzpolError("RegoEvalFailed", out.error ?? "unknown evaluation error");
          return out.results;
        },
        release() {
          api.release(id);
        },
      };
    },
  };
}
