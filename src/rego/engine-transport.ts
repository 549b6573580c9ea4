// How requests reach the engine (engine/api.go): a long-lived native child process speaking
// one JSON request per line, or the js/wasm build in this process. Same requests, same answers.
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { engineEnv } from "./engine-env.js";
import { spawnEngine, takePrestartedEngine } from "./engine-prestart.js";
import { AzpolError, ExitCode } from "../errors.js";
import type { EngineLocation } from "./engine-locate.js";

export type EngineReply = Record<string, unknown>;

export interface EngineTransport {
  readonly kind: "native" | "wasm";
  request(req: Record<string, unknown>): Promise<EngineReply>;
  close(): void;
}

export interface TransportOptions {
  /** stop the native engine when its resident memory passes this (Linux: read from /proc) */
  memoryLimitMiB?: number | undefined;
}

/** Resident memory of a process in bytes (Linux), or undefined where /proc is not there. */
function residentBytes(pid: number): number | undefined {
  try {
    const pages = Number(readFileSync(`/proc/${pid}/statm`, "utf8").split(" ")[1]);
    return Number.isFinite(pages) ? pages * 4096 : undefined;
  } catch {
    return undefined;
  }
}

/** The native engine as a child process. Idle, it does not keep this process alive. */
export function nativeTransport(binary: string, options: TransportOptions = {}): EngineTransport {
  const limitMiB = options.memoryLimitMiB;
  // with GOMEMLIMIT under --eval-memory (engine-env.ts); the watchdog below is the hard stop
  const env = engineEnv(process.env, limitMiB);
  // the same binary and environment, started by the published entry (engine-prestart.ts), or now
  const child: ChildProcessWithoutNullStreams = takePrestartedEngine(binary, env) ?? spawnEngine(binary, env);
  const pending = new Map<number, { resolve: (r: EngineReply) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let buffered = "";
  let stderr = "";
  let failure: Error | undefined;
  const handles = [child, child.stdin, child.stdout, child.stderr] as unknown as { ref(): void; unref(): void }[];
  let watchdog: NodeJS.Timeout | undefined;
  const setRef = (on: boolean) => {
    handles.forEach((h) => (on ? h.ref() : h.unref()));
    if (on && limitMiB && !watchdog && child.pid !== undefined) {
      const pid = child.pid;
      watchdog = setInterval(() => {
        const rss = residentBytes(pid);
        if (rss !== undefined && rss > limitMiB * 1024 * 1024) {
          child.kill("SIGKILL");
          failAll(new AzpolError("EngineMemoryLimit", `the engine used more than ${limitMiB} MiB evaluating a template, and was stopped (raise --eval-memory if that is expected)`));
        }
      }, 100);
      watchdog.unref();
    }
    if (!on && watchdog) {
      clearInterval(watchdog);
      watchdog = undefined;
    }
  };
  setRef(false);

  const failAll = (e: Error) => {
    failure ??= e;
    for (const p of pending.values()) p.reject(e);
    pending.clear();
    setRef(false);
  };
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    buffered += chunk;
    let nl: number;
    while ((nl = buffered.indexOf("\n")) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      const reply = JSON.parse(line) as EngineReply;
      const id = typeof reply.id === "number" ? reply.id : 0;
      const waiter = pending.get(id);
      if (!waiter) continue;
      pending.delete(id);
      if (pending.size === 0) setRef(false);
      waiter.resolve(reply);
    }
  });
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
  child.on("error", (e) => failAll(new AzpolError("EngineFailed", `the native engine ${binary} could not run: ${e.message}`, ExitCode.Internal)));
  child.on("exit", (code, signal) => failAll(new AzpolError("EngineFailed", `the native engine exited (${signal ?? `code ${code ?? "?"}`})${stderr ? `: ${stderr.trim()}` : ""}`, ExitCode.Internal)));
  child.stdin.on("error", () => undefined); // reported through "exit"

  return {
    kind: "native",
    request(req) {
      if (failure) return Promise.reject(failure);
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        if (pending.size === 1) setRef(true);
        child.stdin.write(JSON.stringify({ ...req, id }) + "\n");
      });
    },
    close() {
      child.stdin.end();
      child.kill();
    },
  };
}

interface GoRuntime {
  importObject: object;
  run(instance: unknown): Promise<void>;
}

// Node has WebAssembly, but @types/node does not declare it (that lives in lib.dom).
const wasm = (globalThis as unknown as {
  WebAssembly: { instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: unknown }> };
}).WebAssembly;

/** The js/wasm engine, loaded into this process (once). */
export async function wasmTransport(dir: string): Promise<EngineTransport> {
  const require = createRequire(import.meta.url);
  require(join(dir, "wasm_exec.cjs")); // defines globalThis.Go
  const GoCtor = (globalThis as unknown as { Go: new () => GoRuntime }).Go;
  const go = new GoCtor();
  // zlib only here: the native engine, the usual one, does not need it (about 3 ms to load on Node 22)
  const { gunzipSync } = process.getBuiltinModule<"node:zlib">("node:zlib");
  const bytes = gunzipSync(readFileSync(join(dir, "engine.wasm.gz")));
  const { instance } = await wasm.instantiate(bytes, go.importObject);
  void go.run(instance); // resolves only when Go exits; main() blocks forever
  const api = (globalThis as unknown as { __azpolEngine?: { call(req: string): string } }).__azpolEngine;
  if (!api) throw new AzpolError("EngineLoadFailed", "the Rego engine started but did not register its API");
  return {
    kind: "wasm",
    request(req) {
      return Promise.resolve(JSON.parse(api.call(JSON.stringify(req))) as EngineReply);
    },
    close() {
      // the wasm engine lives as long as this process
    },
  };
}

export async function openTransport(location: EngineLocation, options: TransportOptions = {}): Promise<EngineTransport> {
  return location.kind === "native" ? nativeTransport(location.binary, options) : wasmTransport(location.dir);
}
