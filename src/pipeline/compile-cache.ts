// Remembers whether a template compiles, by sha256 of (template Rego, libs, Rego version, engine
// build), so validate and build load the engine only for a template they have not seen. The
// cache lives in cacheDir() (io/cache-dir.ts), in compile/. Entries are
// written to a temporary file and renamed, so concurrent runs never read half an entry; a
// corrupt or unreadable entry is a miss, and a cache that cannot be written is just skipped.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { writeGuarded } from "../io/guarded-writer.js";
import { join } from "node:path";
import { engineDistDir } from "../rego/engine-locate.js";
import { cacheDir } from "../io/cache-dir.js";

export type CompileOutcome = { ok: true } | { ok: false; error: string };

/** The engine build's identity (engine/dist/.source-hash), or undefined when it is unknown. */
export function engineBuildId(): string | undefined {
  try {
    return readFileSync(join(engineDistDir(), ".source-hash"), "utf8").trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * What the check does, versioned: part of every key, so a change in how azpol decides that a
 * template compiles (2: CEL checked with a probe review) never reuses an older answer.
 */
const CHECK_VERSION = 2;

export class CompileCache {
  private readonly build = engineBuildId();
  constructor(private readonly dir = join(cacheDir(), "compile")) {}

  private key(rego: string, libs: string[], version: string | undefined): string | undefined {
    if (!this.build) return undefined;
    return createHash("sha256").update(JSON.stringify([CHECK_VERSION, this.build, rego, libs, version ?? ""])).digest("hex");
  }

  get(rego: string, libs: string[], version: string | undefined): CompileOutcome | undefined {
    const key = this.key(rego, libs, version);
    if (!key) return undefined;
    try {
      const entry = JSON.parse(readFileSync(join(this.dir, `${key}.json`), "utf8")) as CompileOutcome;
      return entry.ok === true || (entry.ok === false && typeof entry.error === "string") ? entry : undefined;
    } catch {
      return undefined;
    }
  }

  set(rego: string, libs: string[], version: string | undefined, outcome: CompileOutcome): void {
    const key = this.key(rego, libs, version);
    if (!key) return;
    try {
      writeGuarded(this.dir, join(this.dir, `${key}.json`), JSON.stringify(outcome), { label: "the compile cache" });
    } catch {
      // a read-only or full cache folder only costs speed
    }
  }
}
