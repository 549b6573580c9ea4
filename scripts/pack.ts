// Packs azpol the way it is published, into .pack/ (npm run pack):
//   azpol-<version>.tgz          the CLI bundled by esbuild (one ESM entry, the Azure and Kubernetes
//                                SDK adapters in chunks loaded only by the commands that use them),
//                                the js/wasm engine (the fallback), presets, schemas, LICENSE and the
//                                licenses of the bundled packages; no dependencies to install, so an
//                                install fetches only this and one engine package;
//   azpol-engine-<platform>-<version>.tgz  for each npm/engine-<platform>/ whose binary is built
//                                (scripts/build-engine-packages.sh), listed as optionalDependencies
//                                with os/cpu, the way esbuild ships its binaries (npm/README.md).
// No test code, golden files or native engine of the build machine go into the main package.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { bundleCli, bundleParts } from "./bundle-cli.js";

const root = join(import.meta.dirname, "..");
const out = join(root, ".pack");
const stage = join(out, "azpol");
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { name: string; version: string; description: string; license: string; engines: Record<string, string> };
export const PLATFORMS = ["linux-x64", "linux-arm64", "darwin-x64", "darwin-arm64", "win32-x64"] as const;

rmSync(out, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });

// The CLI: an entry, a bundle code-split at each command and at the SDK adapters, and the single-file
// commands (scripts/bundle-cli.ts).
const parts = bundleParts(await bundleCli(root, join(stage, "dist")));

// The licenses of everything bundled (MIT, BSD and Apache-2.0 all ask for their notice to travel with the code).
const packages = new Map<string, string>();
for (const input of parts.flatMap((m) => Object.keys(m.inputs))) {
  const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
  if (m?.[1]) packages.set(m[1], m[1]);
}
const notices = [...packages.keys()].sort().map((dir) => {
  const pkg = JSON.parse(readFileSync(join(root, dir, "package.json"), "utf8")) as { name: string; version: string; license?: string };
  const file = readdirSync(join(root, dir)).find((f) => /^(licen[cs]e|copying|notice)(\.|$)/i.test(f));
  const text = file ? readFileSync(join(root, dir, file), "utf8").trim() : `(no license file in the package; package.json says ${pkg.license ?? "nothing"})`;
  return `${pkg.name}@${pkg.version} (${pkg.license ?? "unknown"})\n\n${text}\n`;
});
writeFileSync(join(stage, "THIRD-PARTY-NOTICES"), `The azpol bundle (dist/) contains these packages:\n\n${notices.join(`\n${"-".repeat(72)}\n\n`)}`);

// What the CLI reads at run time besides its code.
const copy = (from: string, filter?: (path: string) => boolean) => cpSync(join(root, from), join(stage, from), { recursive: true, ...(filter ? { filter } : {}) });
copy("README.md");
copy("LICENSE");
copy("schemas");
copy("constraint-templates");
copy("definitions", (p) => !relative(join(root, "definitions"), p).split(/[\\/]/).includes("golden"));
mkdirSync(join(stage, "engine", "dist"), { recursive: true });
for (const f of ["engine.wasm.gz", "wasm_exec.cjs", "source.sha256", ".source-hash"]) cpSync(join(root, "engine", "dist", f), join(stage, "engine", "dist", f));

const built = PLATFORMS.filter((p) => readdirSync(join(root, "npm", `engine-${p}`)).includes("bin") && readdirSync(join(root, "npm", `engine-${p}`, "bin")).length > 0);
writeFileSync(
  join(stage, "package.json"),
  `${JSON.stringify(
    {
      name: manifest.name,
      version: manifest.version,
      description: manifest.description,
      license: manifest.license,
      type: "module",
      bin: { azpol: "dist/azpol.js" },
      engines: manifest.engines,
      optionalDependencies: Object.fromEntries(PLATFORMS.map((p) => [`@azpol/engine-${p}`, manifest.version])),
    },
    null,
    2,
  )}\n`,
);

const pack = (dir: string) => execFileSync("npm", ["pack", "--silent", "--pack-destination", out], { cwd: dir, encoding: "utf8" }).trim();
console.log(`${join(out, pack(stage))} (${parts.reduce((n, m) => n + Object.keys(m.outputs).length, 0)} bundle files, ${packages.size} bundled packages)`);
for (const p of built) {
  const dir = join(out, `engine-${p}`);
  cpSync(join(root, "npm", `engine-${p}`), dir, { recursive: true });
  cpSync(join(root, "LICENSE"), join(dir, "LICENSE"));
  const engineManifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Record<string, unknown>;
  writeFileSync(join(dir, "package.json"), `${JSON.stringify({ ...engineManifest, version: manifest.version }, null, 2)}\n`);
  console.log(join(out, pack(dir)));
}
const missing = PLATFORMS.filter((p) => !built.includes(p));
if (missing.length > 0) console.log(`not packed (binary not built; scripts/build-engine-packages.sh ${missing.join(" ")}): ${missing.map((p) => `@azpol/engine-${p}`).join(", ")}`);
