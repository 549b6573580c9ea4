// The engine the published entry starts before the command's file loads (src/rego/engine-prestart.ts):
// the same binary the engine's own loading would pick first, after the same header check, taken by
// the transport only when binary and environment are the same and it still runs; anything else is
// killed. Runs the real engine.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ChildProcess } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { prestartEngine, takePrestartedEngine } from "../src/rego/engine-prestart.js";
import { engineEnv } from "../src/rego/engine-env.js";
import { DEFAULT_MEMORY_LIMIT_MIB } from "../src/rego/engine-defaults.js";
import { nativeTransport } from "../src/rego/engine-transport.js";
import { engineCandidates } from "../src/rego/engine-locate.js";
import { prestartsEngine } from "../src/cli/single-file-commands.js";

const scratch = mkdtempSync(join(tmpdir(), "azpol-prestart-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const first = engineCandidates()[0];
const binary = first?.kind === "native" ? first.binary : undefined;
const defaultEnv = () => engineEnv(process.env, DEFAULT_MEMORY_LIMIT_MIB);
const exited = (child: ChildProcess) => new Promise<NodeJS.Signals | number | null>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(child.signalCode ?? child.exitCode) : child.once("exit", (code, signal) => resolve(signal ?? code))));

describe("which command lines start the engine from the entry", () => {
  it("a single-file command without engine bounds, not its --help", () => {
    expect(prestartsEngine(["test", "app.yaml"])).toBe(true);
    expect(prestartsEngine(["test", "app.yaml", "--eval-memory", "100"])).toBe(false);
    expect(prestartsEngine(["test", "--eval-timeout=1", "app.yaml"])).toBe(false);
    // after "--" it is not an option of azpol's
    expect(prestartsEngine(["test", "--", "--eval-memory"])).toBe(true);
    expect(prestartsEngine(["test", "--help"])).toBe(false);
    expect(prestartsEngine(["validate"])).toBe(false);
  });
});

describe.runIf(binary !== undefined)("the prestarted engine", () => {
  const bin = binary as string;

  it("is taken by a transport for the same binary and environment", () => {
    prestartEngine();
    const child = takePrestartedEngine(bin, defaultEnv());
    expect(child?.pid).toBeGreaterThan(0);
    expect(child?.exitCode).toBeNull();
    // taken once
    expect(takePrestartedEngine(bin, defaultEnv())).toBeUndefined();
    child?.kill();
  });

  it("the transport uses it: one process, the handshake answered", async () => {
    prestartEngine();
    const transport = nativeTransport(bin, { memoryLimitMiB: DEFAULT_MEMORY_LIMIT_MIB });
    const reply = await transport.request({ op: "version" });
    expect(typeof reply.version).toBe("string");
    // nothing left to take: the transport took it
    expect(takePrestartedEngine(bin, defaultEnv())).toBeUndefined();
    transport.close();
  });

  it("is killed, not used, for another binary or another environment", async () => {
    prestartEngine();
    const slot = (globalThis as Record<symbol, { child: ChildProcess } | undefined>)[Symbol.for("azpol.prestarted-engine")];
    const child = slot?.child as ChildProcess;
    expect(takePrestartedEngine(join(scratch, "other-engine"), defaultEnv())).toBeUndefined();
    expect(await exited(child)).toBe("SIGKILL");

    prestartEngine();
    const second = (globalThis as Record<symbol, { child: ChildProcess } | undefined>)[Symbol.for("azpol.prestarted-engine")]?.child as ChildProcess;
    // --eval-memory 100 gives the engine another GOMEMLIMIT
    expect(takePrestartedEngine(bin, engineEnv(process.env, 100))).toBeUndefined();
    expect(await exited(second)).toBe("SIGKILL");
  });

  it("is not used once it has exited", async () => {
    prestartEngine();
    const slot = (globalThis as Record<symbol, { child: ChildProcess } | undefined>)[Symbol.for("azpol.prestarted-engine")];
    const child = slot?.child as ChildProcess;
    child.kill();
    await exited(child);
    expect(takePrestartedEngine(bin, defaultEnv())).toBeUndefined();
  });
});

describe("what is not started", () => {
  it("nothing for AZPOL_ENGINE=wasm, or a binary whose header is not this platform's (never executed)", () => {
    prestartEngine({ ...process.env, AZPOL_ENGINE: "wasm" });
    expect(takePrestartedEngine("anything", {})).toBeUndefined();
    const notABinary = join(scratch, "azpol-engine");
    writeFileSync(notABinary, "#!/bin/sh\ntouch " + join(scratch, "ran") + "\n", { mode: 0o755 });
    prestartEngine({ ...process.env, AZPOL_ENGINE_PATH: notABinary });
    expect(takePrestartedEngine(notABinary, {})).toBeUndefined();
    expect(existsSync(join(scratch, "ran"))).toBe(false);
  });
});
