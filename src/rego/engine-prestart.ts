// The native engine started by the published binary's entry (cli/bundle-entry.ts), before the
// command's own file has loaded: the engine's Go runtime takes ~30-40 ms to initialise, then
// compiles the templates (pipeline/warm-plan.ts), and on a small run that is the longest path to
// the first verdict. Started from the entry (Node 22: at ~24 ms, where main.ts started it at ~38,
// once the command's file had loaded and run), the engine is ready about that much sooner.
//
// Nothing is decided here: the entry starts the binary engineCandidates() would try first, after
// the same header check (a binary for another platform is never executed), with the environment
// nativeTransport gives it under the default bounds (engine-defaults.ts). nativeTransport then takes that process only when it is asked
// for that same binary with the same environment, and the child has not failed or exited; the
// version handshake, the platform and source checks and every fallback run on it as on any
// other (engine.ts). Anything else is killed and the engine starts as before. The two sides live
// in different bundle files, so the child passes through one global slot.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { engineCandidates } from "./engine-locate.js";
import { checkBinaryPlatform } from "./engine-check.js";
import { engineEnv } from "./engine-env.js";
import { DEFAULT_MEMORY_LIMIT_MIB } from "./engine-defaults.js";

interface Prestarted {
  binary: string;
  env: NodeJS.ProcessEnv;
  child: ChildProcessWithoutNullStreams;
  /** it emitted "error" or "exit" before anyone took it */
  ended: boolean;
}

const SLOT = Symbol.for("azpol.prestarted-engine");
const slot = globalThis as { [SLOT]?: Prestarted };

/** The native engine's process, as the transport and the prestart both start it: its stdin, stdout and stderr piped. */
export function spawnEngine(binary: string, env: NodeJS.ProcessEnv): ChildProcessWithoutNullStreams {
  return spawn(binary, [], { stdio: ["pipe", "pipe", "pipe"], env });
}

/** Starts the first native engine candidate, if there is one that passes the header check. */
export function prestartEngine(env: NodeJS.ProcessEnv = process.env): void {
  if (slot[SLOT]) return;
  let binary: string;
  try {
    const first = engineCandidates(env)[0];
    if (first?.kind !== "native") return;
    checkBinaryPlatform(first);
    binary = first.binary;
  } catch {
    return; // the command reports it, through loadEngine, when it asks for the engine
  }
  const childEnv = engineEnv(env, DEFAULT_MEMORY_LIMIT_MIB);
  const child = spawnEngine(binary, childEnv);
  const started: Prestarted = { binary, env: childEnv, child, ended: false };
  child.once("error", () => (started.ended = true));
  child.once("exit", () => (started.ended = true));
  child.stdin.on("error", () => undefined);
  // not a reason to stay alive: a command that never asks for the engine exits as before, and the
  // engine exits when its stdin closes
  for (const h of [child, child.stdin, child.stdout, child.stderr] as unknown as { unref(): void }[]) h.unref();
  slot[SLOT] = started;
}

/**
 * The prestarted engine, when it is `binary` started with `env` and still running; any other
 * prestarted process is killed. Taken once.
 */
export function takePrestartedEngine(binary: string, env: NodeJS.ProcessEnv): ChildProcessWithoutNullStreams | undefined {
  const started = slot[SLOT];
  if (!started) return undefined;
  delete slot[SLOT];
  const sameEnv = JSON.stringify(started.env) === JSON.stringify(env);
  if (started.binary === binary && sameEnv && !started.ended && started.child.exitCode === null) return started.child;
  started.child.kill("SIGKILL");
  return undefined;
}
