// The platform check and fallback of src/rego/engine-check.ts: a native binary for another platform
// is never started, one from other engine sources is refused after the version handshake, and
// loadEngine then uses the next engine with one line saying why. The header reader is checked
// against file(1) (libmagic) on the binary npm ci built; scripts/check-engine-packages.ts does the
// same for the five cross-compiled packages.
import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { platformOfBinary } from "../src/rego/binary-platform.js";
import { checkHandshake } from "../src/rego/engine-check.js";
import { engineCandidates, expectedEngineSource, type EngineLocation } from "../src/rego/engine-locate.js";
import { openFirstUsable } from "../src/rego/engine.js";

const work = mkdtempSync(join(tmpdir(), "azpol-engine-fallback-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const local = engineCandidates({ AZPOL_ENGINE: "native" }).find((c) => c.kind === "native" && c.source === "engine/dist/native") as EngineLocation & { kind: "native" };

/** An ELF header for another architecture (aarch64 on x64, x86-64 elsewhere), executable bit set. */
function foreignElf(): string {
  const header = new Uint8Array(64);
  header.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
  new DataView(header.buffer).setUint16(18, process.arch === "x64" ? 183 : 62, true);
  const file = join(work, "foreign-engine");
  writeFileSync(file, header);
  chmodSync(file, 0o755);
  return file;
}

describe("the engine binary's platform", () => {
  it("is read from its header as file(1) reads it", () => {
    const ours = platformOfBinary(local.binary);
    expect(ours).toEqual({ platform: process.platform, arch: process.arch });
    const magic = execFileSync("file", ["-b", local.binary], { encoding: "utf8" });
    expect(magic).toMatch(process.arch === "x64" ? /x86-64/ : /aarch64|arm64/);
  });
});

describe("falling back", () => {
  it("a binary for another platform is not started: the next engine is used, with one line saying why", async () => {
    const notes: string[] = [];
    const engine = await openFirstUsable([{ kind: "native", binary: foreignElf(), source: "platform package" }, local], { onNote: (l) => notes.push(l) });
    try {
      expect(engine.source).toBe("native (engine/dist/native)");
      expect(notes).toHaveLength(1);
      expect(notes[0]).toMatch(new RegExp(`\\(platform package\\) is built for linux-${process.arch === "x64" ? "arm64" : "x64"}, this machine is ${process.platform}-${process.arch}; using the native engine from engine/dist/native instead`));
    } finally {
      engine.close();
    }
  });

  it("a binary that is not an executable azpol knows, or does not start, is skipped the same way", async () => {
    const script = join(work, "not-an-engine");
    writeFileSync(script, "#!/bin/sh\nexit 0\n");
    chmodSync(script, 0o755);
    const notes: string[] = [];
    const engine = await openFirstUsable([{ kind: "native", binary: script, source: "platform package" }, local], { onNote: (l) => notes.push(l) });
    engine.close();
    expect(notes).toEqual([expect.stringMatching(/is built for not an executable azpol knows \(no ELF, Mach-O or PE header\)/)]);
  });

  it("the binary the user named (AZPOL_ENGINE_PATH) is used or refused, never silently replaced", async () => {
    const named = engineCandidates({ AZPOL_ENGINE_PATH: foreignElf() });
    expect(named).toHaveLength(1);
    await expect(openFirstUsable(named, { onNote: () => undefined })).rejects.toThrow(/is built for linux-/);
  });
});

describe("the version handshake", () => {
  const reply = { version: "1.3.0", gatekeeper: true, goos: "linux", goarch: process.arch === "x64" ? "amd64" : "arm64", source: expectedEngineSource() ?? "" };

  it("the engine npm ci built answers for this platform and these sources", async () => {
    expect(expectedEngineSource()).toMatch(/^[0-9a-f]{64}$/);
    const notes: string[] = [];
    const engine = await openFirstUsable([local], { onNote: (l) => notes.push(l) });
    engine.close();
    expect(notes).toEqual([]);
  });

  it("refuses an engine from other sources, for another platform, or from before the handshake", () => {
    const platform = { ...local, source: "platform package" };
    expect(() => checkHandshake({ ...reply, source: "f".repeat(64) }, platform, "a".repeat(64), "linux", process.arch)).toThrow(/was built from other engine sources \(ffffffffffff, this azpol expects aaaaaaaaaaaa\)/);
    expect(() => checkHandshake({ ...reply, goos: "darwin" }, platform, undefined, "linux", process.arch)).toThrow(/reports darwin\//);
    expect(() => checkHandshake({ version: "1.3.0" }, platform, undefined, "linux", process.arch)).toThrow(/does not answer the version handshake/);
    // a binary the user named may be a development build of other sources; its platform still counts
    expect(() => checkHandshake({ ...reply, source: "dev" }, { ...local, source: "AZPOL_ENGINE_PATH" }, "a".repeat(64), "linux", process.arch)).not.toThrow();
  });
});
