// The native engine's environment (src/rego/engine-env.ts): GOGC from the first instruction of its
// Go runtime, never over the user's own GOGC or GOMEMLIMIT.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { engineEnv } from "../src/rego/engine-env.js";

describe("engineEnv", () => {
  it("GOGC=400 unless the user set GOGC", () => {
    expect(engineEnv({ PATH: "/bin" })).toEqual({ PATH: "/bin", GOGC: "400" });
    expect(engineEnv({ GOGC: "off" }).GOGC).toBe("off");
    expect(engineEnv({ GOGC: "50" }).GOGC).toBe("50");
    // an empty GOGC is Go's default (100): the user did not choose, so azpol's holds, as the engine's own main() decides
    expect(engineEnv({ GOGC: "" }).GOGC).toBe("400");
  });

  it("GOMEMLIMIT at 80% of --eval-memory unless the user set one", () => {
    expect(engineEnv({}, 500).GOMEMLIMIT).toBe("400MiB");
    expect(engineEnv({ GOMEMLIMIT: "1GiB" }, 500).GOMEMLIMIT).toBe("1GiB");
    expect(engineEnv({}).GOMEMLIMIT).toBeUndefined();
  });

  it("leaves the caller's environment as it was", () => {
    const env = { HOME: "/home/a" };
    engineEnv(env, 100);
    expect(env).toEqual({ HOME: "/home/a" });
  });

  // Go reads GOGC when its runtime starts: the package initialisation before main() runs under it
  // (GODEBUG=gctrace=1 prints one line per collection; with 400 there are fewer before main's first request)
  const engine = join(import.meta.dirname, "..", "engine", "dist", "native", "azpol-engine");
  it.runIf(existsSync(engine))("the engine's Go runtime collects less often from its start with it", () => {
    const collections = (env: NodeJS.ProcessEnv) => {
      const run = spawnSync(engine, [], { input: '{"op":"version","id":1}\n', env: { ...env, GODEBUG: "gctrace=1" }, encoding: "utf8" });
      expect(run.status).toBe(0);
      return run.stderr.split("\n").filter((l) => l.startsWith("gc ")).length;
    };
    const { GOGC: _ignored, ...rest } = process.env;
    expect(collections(engineEnv(rest))).toBeLessThan(collections({ ...rest, GOGC: "100" }));
  });
});
