// CI: installs the packed azpol (npm run package) into an empty prefix the way a user does, from a
// registry (scripts/local-registry.ts serves the tarballs), with no Go on PATH, and checks:
//   - every built engine package's binary is for its platform, read from its header and by file(1);
//   - the install prints no warning and fetches azpol plus this platform's engine package only;
//   - its size against the 80 MB target on linux-x64 (printed met/MISS, not failed), no test code, the --json schemas and LICENSE are there;
//   - new, validate, build and test work, on the platform package's engine (AZPOL_ENGINE=native),
//     with this machine's node and with each Node runtime users run (22, 24; npm run setup:node-runtimes,
//     scripts/node-runtimes.ts): same exit codes and --json shapes on every one;
//   - an engine package holding another platform's binary is skipped with one note (wasm fallback).
//   npm run build:engine-packages && npm run package && npx tsx scripts/install-check.ts
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { platformOfBinary } from "../src/rego/binary-platform.js";
import { startLocalRegistry } from "./local-registry.js";
import { cachedNodeRuntimes, type NodeRuntime } from "./node-runtimes.js";

const root = join(import.meta.dirname, "..");
const pack = join(root, ".pack");
const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string };
const here = `${process.platform}-${process.arch}`;
const SIZE_LIMIT_MB = 80;
const began = performance.now();
const failures: string[] = [];
const check = (ok: boolean, what: string) => {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures.push(what);
};

/** The structure of a --json document (keys, and the types of values), for comparing it across Node versions. */
function jsonShape(text: string): string {
  const shape = (v: unknown): unknown => {
    if (Array.isArray(v)) return [...new Set(v.map((x) => JSON.stringify(shape(x))))].sort();
    if (v && typeof v === "object") return Object.fromEntries(Object.keys(v).sort().map((k) => [k, shape((v as Record<string, unknown>)[k])]));
    return v === null ? "null" : typeof v;
  };
  try {
    return JSON.stringify(shape(JSON.parse(text)));
  } catch {
    return `not JSON: ${text.slice(0, 200)}`;
  }
}

// 1. The cross-compiled binaries, by their headers (ours and libmagic's).
const FILE_SAYS: Record<string, RegExp> = { "linux-x64": /ELF 64-bit LSB.*x86-64/, "linux-arm64": /ELF 64-bit LSB.*(aarch64|ARM aarch64)/, "darwin-x64": /Mach-O 64-bit.*x86_64/, "darwin-arm64": /Mach-O 64-bit.*arm64/, "win32-x64": /PE32\+ executable.*x86-64/ };
const engines = readdirSync(join(root, "npm")).filter((d) => d.startsWith("engine-"));
for (const dir of engines) {
  const name = dir.slice("engine-".length);
  const binary = join(root, "npm", dir, "bin", `azpol-engine${name.startsWith("win32") ? ".exe" : ""}`);
  if (!existsSync(binary)) {
    check(false, `npm/${dir}: binary built`);
    continue;
  }
  const found = platformOfBinary(binary);
  const magic = execFileSync("file", ["-b", binary], { encoding: "utf8" }).trim();
  check(`${found?.platform}-${found?.arch}` === name && (FILE_SAYS[name]?.test(magic) ?? false), `npm/${dir}: header says ${found?.platform}-${found?.arch}; file(1): ${magic.slice(0, 60)}; ${(statSync(binary).size / 1e6).toFixed(1)} MB`);
}

// 2. Install from a registry into an empty prefix, with no Go anywhere on PATH.
const tarballs = readdirSync(pack).filter((f) => f.endsWith(".tgz")).map((f) => join(pack, f));
const registry = await startLocalRegistry(tarballs);
const work = mkdtempSync(join(tmpdir(), "azpol-install-check-"));
const prefix = join(work, "prefix");
const PATH = (process.env.PATH ?? "").split(delimiter).filter((d) => d && !existsSync(join(d, "go"))).join(delimiter);
const env = { ...process.env, PATH, GOROOT: "", npm_config_registry: registry.url, npm_config_cache: join(work, "npm-cache"), npm_config_update_notifier: "false", npm_config_fund: "false", npm_config_audit: "false" };
check(spawnSync("sh", ["-c", "command -v go"], { env }).status !== 0, "no go on PATH for the install and the commands");
// asynchronously: the registry answers from this process
const install = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
  const child = spawn("npm", ["install", "--prefix", prefix, `azpol@${version}`], { env });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  child.on("close", (status) => resolve({ status, stdout, stderr }));
});
await registry.close();
const installOutput = `${install.stdout}${install.stderr}`;
check(install.status === 0, `npm install azpol@${version} into an empty prefix (exit ${install.status})`);
const warnings = installOutput.split("\n").filter((l) => /\bwarn|WARN|deprecated/i.test(l));
check(!installOutput.includes("EBADENGINE"), "the install printed no EBADENGINE (no dependency asks for a newer Node than azpol's engines.node)");
check(warnings.length === 0, `the install printed no warning${warnings.length ? `: ${warnings.join(" | ")}` : ""}`);
const packuments = registry.requests.filter((r) => !r.startsWith("/-/"));
const downloads = registry.requests.filter((r) => r.startsWith("/-/"));
check(packuments.every((r) => r === "/azpol" || r.startsWith("/@azpol/engine-")) && downloads.length === 2, `npm fetched only azpol's packages (${[...new Set(packuments)].join(", ")}) and downloaded two tarballs (${downloads.join(", ")})`);
const modules = join(prefix, "node_modules");
const installed = readdirSync(modules).flatMap((d) => (d.startsWith("@") ? readdirSync(join(modules, d)).map((s) => `${d}/${s}`) : [d])).filter((d) => !d.startsWith("."));
check(JSON.stringify(installed.sort()) === JSON.stringify(["@azpol/engine-" + here, "azpol"].sort()), `installed exactly azpol and @azpol/engine-${here}: ${installed.join(", ")}`);

// 3. Size and contents.
const bytes = Number(execFileSync("du", ["-sb", prefix], { encoding: "utf8" }).split("\t")[0]);
const mb = bytes / 1e6;
// The size is a target measured and printed like the benchmarks' ratios, not a pass/fail check:
// it moves with the engine's dependencies (Gatekeeper, kustomize), which CI should not block on.
// Issue 25's target stays open while this prints MISS.
const sizeOk = process.platform !== "linux" || process.arch !== "x64" || mb <= SIZE_LIMIT_MB;
console.log(`${sizeOk ? "met " : "MISS"} target: installed size ${mb.toFixed(1)} MB (du -sb of the prefix; target ${SIZE_LIMIT_MB} MB on linux-x64)`);
const pkg = join(modules, "azpol");
const files = execFileSync("find", [pkg, "-type", "f"], { encoding: "utf8" }).trim().split("\n").map((f) => f.slice(pkg.length + 1));
const testy = files.filter((f) => /(^|\/)(test|tests|__tests__|fixtures|golden|fake-[a-z]+)(\/|$)|\.test\.|\.spec\./.test(f));
check(testy.length === 0, `no test code in the package${testy.length ? `: ${testy.slice(0, 5).join(", ")}` : ""} (${files.length} files)`);
const schemas = readdirSync(join(root, "schemas", "cli"));
check(schemas.every((s) => files.includes(`schemas/cli/${s}`)), `the --json schemas the README points to are shipped (${schemas.length} in schemas/cli/)`);
check(files.includes("LICENSE") && readFileSync(join(pkg, "LICENSE"), "utf8").includes("Apache License") && files.includes("THIRD-PARTY-NOTICES"), "LICENSE (Apache-2.0) and THIRD-PARTY-NOTICES are shipped");
check(!files.some((f) => f.startsWith("engine/dist/native")), "no native engine of the build machine in the main package");

// 4. The commands, as a user runs them, each in an empty project: with this machine's node (the one
// the bin's `#!/usr/bin/env node` finds), then with every cached Node runtime users run (22, 24:
// scripts/node-runtimes.ts), which must give the same exit codes and --json output (paths aside).
const azpol = join(prefix, "node_modules", ".bin", "azpol");
const azpolJs = realpathSync(azpol);
const PODS = ["k8s.gcr.io/pause:3.9", "registry.k8s.io/pause:3.9"].map((image, i) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p${i}\n  namespace: shop\nspec:\n  containers:\n    - name: c\n      image: ${image}\n`).join("---\n");
const STEPS: { args: string[]; status: number; env?: NodeJS.ProcessEnv }[] = [
  { args: ["new", "--preset", "k8s-gcr-deprecation", "--json"], status: 0 },
  { args: ["validate", "--json"], status: 0 },
  { args: ["build", "--json"], status: 0 },
  { args: ["test", "pods.yaml", "--json"], status: 1, env: { AZPOL_ENGINE: "native" } },
  { args: ["test", "pods.yaml", "--json"], status: 1 },
  // the js/wasm engine runs inside node, so it is the part most likely to differ between Node versions
  { args: ["test", "pods.yaml", "--json"], status: 1, env: { AZPOL_ENGINE: "wasm" } },
];
type Outcome = { what: string; status: number | null; json: string };
/** Runs the steps in a new project with `node` (undefined: through the installed bin's shebang). */
function runCommands(label: string, node?: NodeRuntime): { outcomes: Outcome[]; project: string } {
  const project = join(work, `project-${label}`);
  mkdirSync(project);
  writeFileSync(join(project, "pods.yaml"), PODS);
  const runEnv = node ? { ...env, PATH: `${join(node.dir, "bin")}${delimiter}${env.PATH}` } : env;
  const outcomes = STEPS.map((step) => {
    const what = `azpol ${step.args.join(" ")}${step.env?.AZPOL_ENGINE ? ` (AZPOL_ENGINE=${step.env.AZPOL_ENGINE})` : ""} on ${label}`;
    const r = node ? spawnSync(node.node, [azpolJs, ...step.args], { cwd: project, env: { ...runEnv, ...step.env }, encoding: "utf8" }) : spawnSync(azpol, step.args, { cwd: project, env: { ...runEnv, ...step.env }, encoding: "utf8" });
    const json = jsonShape(r.stdout).startsWith("not JSON") ? "stdout is not JSON" : "JSON on stdout";
    check(r.status === step.status && !/note:/.test(r.stderr) && json === "JSON on stdout", `${what}: exit ${r.status}, expected ${step.status}; ${json}${r.status !== step.status || /note:/.test(r.stderr) ? `; ${r.stderr.trim().slice(0, 300)}` : ""}`);
    return { what, status: r.status, json: r.stdout.split(project).join("<project>") };
  });
  check(existsSync(join(project, "out", "k8s-gcr-deprecation", "policy.json")), `build wrote out/k8s-gcr-deprecation/policy.json on ${label}`);
  return { outcomes, project };
}
const machineNode = `node ${process.version} (this machine's)`;
check(spawnSync(azpol, ["--version"], { env, encoding: "utf8" }).stdout.trim() === version, `azpol --version prints ${version}`);
const baseline = runCommands(machineNode);
const project = baseline.project;
const native = baseline.outcomes[3]?.json.split("<project>").join(project);

const { runtimes, missing } = cachedNodeRuntimes();
const passed = [process.version];
for (const runtime of runtimes) {
  const said = spawnSync(runtime.node, ["--version"], { encoding: "utf8" }).stdout.trim();
  const label = `node ${said || `${runtime.version} (did not start)`}`;
  const before = failures.length;
  check(said === `v${runtime.version}`, `${runtime.node} is node ${runtime.version}`);
  check(spawnSync(runtime.node, [azpolJs, "--version"], { env, encoding: "utf8" }).stdout.trim() === version, `azpol --version prints ${version} on ${label}`);
  runCommands(label, runtime).outcomes.forEach((o, i) => {
    const base = baseline.outcomes[i];
    if (!base) return;
    check(o.status === base.status && jsonShape(o.json) === jsonShape(base.json), `${o.what}: same exit code (${o.status}) and --json shape as on ${machineNode}${o.json === base.json ? ", and the same output" : "; the values differ"}`);
  });
  if (failures.length === before) passed.push(`v${runtime.version}`);
}
// CI fetches the runtimes (.ci/run: npm run setup:node-runtimes); elsewhere a missing one is reported
for (const m of missing) (process.env.CI ? check : (_: boolean, what: string) => console.log(`skip ${what}`))(false, `Node runtime ${m}`);

// 5. Another platform's binary in the engine package: skipped with one note, the wasm engine answers the same.
const foreign = engines.map((d) => d.slice("engine-".length)).find((p) => p !== here && p !== "win32-x64" && existsSync(join(root, "npm", `engine-${p}`, "bin", "azpol-engine")));
if (foreign) {
  const target = join(modules, "@azpol", `engine-${here}`, "bin", `azpol-engine${process.platform === "win32" ? ".exe" : ""}`);
  // unlink first: the engine the last run started may still be exiting, and a running executable
  // cannot be written over (ETXTBSY), while its name can be replaced
  rmSync(target, { force: true });
  copyFileSync(join(root, "npm", `engine-${foreign}`, "bin", "azpol-engine"), target);
  const fallback = spawnSync(azpol, ["test", "pods.yaml", "--json"], { cwd: project, env, encoding: "utf8" });
  const notes = fallback.stderr.split("\n").filter((l) => /note:/.test(l));
  check(fallback.status === 1 && notes.length === 1 && fallback.stderr.includes(`is built for ${foreign}`), `azpol test pods.yaml --json with a ${foreign} binary in @azpol/engine-${here}: exit ${fallback.status}, expected 1, with one note: ${notes.join(" | ") || fallback.stderr.trim().slice(0, 300)}`);
  check(fallback.stdout === native, "the wasm fallback gives the same --json result as the platform package's engine");
} else check(false, "a binary of another platform to install in the wrong place (build the engine packages)");

rmSync(work, { recursive: true, force: true });
console.log(`azpol's commands passed on node ${passed.join(", ")}${missing.length ? `; not run on: ${missing.join("; ")}` : ""}`);
console.log(failures.length === 0 ? `install check passed (${mb.toFixed(1)} MB installed; ${((performance.now() - began) / 1000).toFixed(0)} s)` : `install check: ${failures.length} failed`);
process.exit(failures.length === 0 ? 0 : 1);
