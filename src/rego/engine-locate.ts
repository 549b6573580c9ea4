// Finds the engine a user gets, fastest first:
//   1. AZPOL_ENGINE=wasm forces the js/wasm build; AZPOL_ENGINE_PATH names a native binary;
//   2. a prebuilt binary from a per-platform package, laid out the way esbuild and biome ship
//      theirs: @azpol/engine-<platform>-<arch> with bin/azpol-engine (npm/ has the package
//      templates; a release publishes them as optionalDependencies, npm installs only the one
//      whose os/cpu match);
//   3. engine/dist/native/azpol-engine, built by `npm ci` from engine/ when Go is present;
//   4. engine/dist/engine.wasm.gz, the js/wasm fallback (about 3x slower, single-core).
// A native binary is used only when it is for this platform and passes the version handshake
// (engine-check.ts); otherwise the next one is tried, with a one-line note.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { AzpolError } from "../errors.js";

export type EngineLocation = { kind: "native"; binary: string; source: string } | { kind: "wasm"; dir: string };

/** engine/dist, from both src/rego (tests) and dist/src/rego (built CLI). */
export function engineDistDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, "engine", "dist");
    if (existsSync(join(candidate, "engine.wasm.gz")) || existsSync(join(candidate, "native"))) return candidate;
    dir = resolve(dir, "..");
  }
  throw new AzpolError("EngineMissing", "the Rego engine is not built (engine/dist is missing); run 'npm run build:engine' (needs Go >= 1.24)");
}

const EXE = process.platform === "win32" ? ".exe" : "";

function platformPackageBinary(): string | undefined {
  const name = `@azpol/engine-${process.platform}-${process.arch}`;
  try {
    const pkg = createRequire(import.meta.url).resolve(`${name}/package.json`);
    const binary = join(dirname(pkg), "bin", `azpol-engine${EXE}`);
    return existsSync(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Every engine this process may use, best first. loadEngine (engine.ts) opens the first that passes
 * its checks (header, then version handshake) and falls back to the next with a one-line note. A
 * binary named by AZPOL_ENGINE_PATH is the only candidate: the user chose it, so it is used or refused.
 * AZPOL_ENGINE=native lists the native binaries only, AZPOL_ENGINE=wasm the fallback only.
 */
export function engineCandidates(env: NodeJS.ProcessEnv = process.env): EngineLocation[] {
  const forced = env.AZPOL_ENGINE;
  if (forced !== undefined && forced !== "" && forced !== "wasm" && forced !== "native") {
    throw new AzpolError("EngineChoice", `AZPOL_ENGINE=${forced} is not an engine; use 'native' or 'wasm'`);
  }
  const explicit = env.AZPOL_ENGINE_PATH;
  const out: EngineLocation[] = [];
  if (forced !== "wasm") {
    if (explicit) {
      if (!existsSync(explicit)) throw new AzpolError("EngineMissing", `AZPOL_ENGINE_PATH=${explicit} does not exist`);
      return [{ kind: "native", binary: explicit, source: "AZPOL_ENGINE_PATH" }];
    }
    const packaged = platformPackageBinary();
    if (packaged) out.push({ kind: "native", binary: packaged, source: "platform package" });
    const local = join(engineDistDir(), "native", `azpol-engine${EXE}`);
    if (existsSync(local)) out.push({ kind: "native", binary: local, source: "engine/dist/native" });
    if (forced === "native") {
      if (out.length === 0) throw new AzpolError("EngineMissing", "AZPOL_ENGINE=native, but no native engine is built; run 'npm run build:engine' (needs Go >= 1.24)");
      return out;
    }
  }
  const dir = engineDistDir();
  if (existsSync(join(dir, "engine.wasm.gz"))) out.push({ kind: "wasm", dir });
  if (out.length === 0) throw new AzpolError("EngineMissing", "the Rego engine is not built (engine/dist/engine.wasm.gz is missing); run 'npm run build:engine' (needs Go >= 1.24)");
  return out;
}

/** The engine a user gets when every check passes: the first candidate. */
export function locateEngine(env: NodeJS.ProcessEnv = process.env): EngineLocation {
  const first = engineCandidates(env)[0];
  if (!first) throw new AzpolError("EngineMissing", "no Rego engine is available");
  return first;
}

/** The engine sources this azpol was built with (engine/dist/source.sha256), if recorded. */
export function expectedEngineSource(): string | undefined {
  try {
    return readFileSync(join(engineDistDir(), "source.sha256"), "utf8").trim() || undefined;
  } catch {
    return undefined;
  }
}
