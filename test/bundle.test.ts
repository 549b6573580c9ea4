// The CLI as published (scripts/bundle-cli.ts): an entry that picks the code-split bundle or a
// single-file command's file. Both must be what the tsc build is: the same bytes out for the same
// command lines, and a single-file command must hold everything it loads and no other command.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Metafile } from "esbuild";
import { bundleCli, type CliBundle } from "../scripts/bundle-cli.js";
import { SINGLE_FILE_COMMANDS, singleFileFor, singleFileName } from "../src/cli/single-file-commands.js";
import { SINGLE_FILES } from "../scripts/bundle-cli.js";
import { COMMANDS } from "../src/cli/command-table.js";
import { azpol } from "./support/cli.js";

const root = join(import.meta.dirname, "..");
// inside the repository, so the bundle finds engine/dist as an installed package finds its own
const outRoot = join(root, ".pack");
mkdirSync(outRoot, { recursive: true });
const out = mkdtempSync(join(outRoot, "bundle-test-"));
const dist = join(out, "dist");
const project = mkdtempSync(join(tmpdir(), "azpol-bundle-project-"));
const cache = mkdtempSync(join(tmpdir(), "azpol-bundle-cache-"));
let bundle: CliBundle;
beforeAll(async () => {
  bundle = await bundleCli(root, dist);
  cpSync(join(root, "definitions"), join(project, "definitions"), { recursive: true, filter: (s) => !s.includes("golden") });
  cpSync(join(root, "constraint-templates"), join(project, "constraint-templates"), { recursive: true });
  writeFileSync(
    join(project, "app.yaml"),
    `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: k8s.gcr.io/pause:3.9}]
      initContainers: [{name: init, image: myacr.azurecr.io/init:1}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: shop}
data: {level: info}
`,
  );
}, 120_000);
afterAll(() => {
  for (const dir of [out, project, cache]) rmSync(dir, { recursive: true, force: true });
});

const published = (args: string[]) => {
  const run = spawnSync(process.execPath, [join(dist, "azpol.js"), ...args], { cwd: project, env: { ...process.env, AZPOL_CACHE_DIR: cache, FORCE_COLOR: "" }, encoding: "utf8" });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
};
const fromTsc = (args: string[]) => azpol(args, { cwd: project, env: { AZPOL_CACHE_DIR: cache, FORCE_COLOR: "" } });

describe("the entry's choice", () => {
  it("help from help.js, a single-file command from its file, --version and anything else from main.js", () => {
    expect(singleFileFor(["test", "app.yaml"])).toBe("test");
    expect(singleFileFor(["--no-color", "test", "-", "--json"])).toBe("test");
    expect(singleFileFor(["test", "--help"])).toBe("help");
    expect(singleFileFor(["test", "-h"])).toBe("help");
    expect(singleFileFor(["help", "test"])).toBe("help");
    expect(singleFileFor([])).toBe("help");
    expect(singleFileFor(["--no-color"])).toBe("help");
    expect(singleFileFor(["--help"])).toBe("help");
    // after "--" nothing is an option of azpol's
    expect(singleFileFor(["test", "--", "--help"])).toBe("test");
    // commander runs the words after "--" when none come before (src/cli/command-words.ts)
    expect(singleFileFor(["--", "test", "app.yaml"])).toBe("test");
    expect(singleFileFor(["--", "validate"])).toBeUndefined();
    expect(singleFileFor(["validate", "test"])).toBeUndefined();
    expect(singleFileFor(["--version"])).toBeUndefined();
    expect(singleFileFor(["-V"])).toBeUndefined();
  });
});

function outputOf(meta: Metafile, suffix: string): [string, Metafile["outputs"][string]] {
  const found = Object.entries(meta.outputs).find(([o]) => o.endsWith(suffix));
  if (!found) throw new Error(`no ${suffix} in the bundle`);
  return found;
}

describe("the bundle's parts", () => {
  it("every single-file command evaluates on the engine (the entry starts it for them: src/rego/engine-prestart.ts)", () => {
    for (const command of SINGLE_FILE_COMMANDS) expect(COMMANDS.find((c) => c.name === command)?.usesEngine).toBe(true);
  });

  it("the entry is a few KB: the choice, the compile cache and the engine's early start, nothing else", () => {
    const [, entry] = outputOf(bundle.others[0] as Metafile, "/azpol.js");
    expect(Object.keys(entry.inputs).sort()).toEqual([
      "src/cli/bundle-entry.ts",
      "src/cli/command-words.ts",
      "src/cli/compile-cache.ts",
      "src/cli/single-file-commands.ts",
      "src/errors.ts",
      "src/io/cache-dir.ts",
      "src/rego/binary-platform.ts",
      "src/rego/engine-check.ts",
      "src/rego/engine-defaults.ts",
      "src/rego/engine-env.ts",
      "src/rego/engine-locate.ts",
      "src/rego/engine-prestart.ts",
    ]);
    expect(entry.bytes).toBeLessThan(10_000);
    expect(entry.imports.filter((i) => !i.external)).toEqual([]);
  });

  it("help.js: one file with the program and every command's flags, and no action, YAML library, ajv, SDK or engine", () => {
    const [, file] = outputOf(bundle.others[1 + SINGLE_FILES.indexOf("help")] as Metafile, "/help.js");
    expect(file.imports.filter((i) => !i.external)).toEqual([]);
    const inputs = Object.keys(file.inputs);
    for (const c of COMMANDS) expect(inputs).toContain(`src/cli/commands/${c.name}.ts`);
    expect(inputs.filter((i) => /^src\/(actions|pipeline)\/|^src\/rego\/engine(-transport|-locate|-prestart)?\.ts$|node_modules\/(yaml|ajv|@azure|@kubernetes)\//.test(i))).toEqual([]);
    expect(inputs.filter((i) => i.startsWith("left-out:")).length).toBeGreaterThan(0);
    expect(file.bytes).toBeLessThan(200_000);
  });

  for (const command of SINGLE_FILE_COMMANDS) {
    it(`${singleFileName(command)}: one file with the ${command} command, its action, and no other command`, () => {
      const [, file] = outputOf(bundle.others[1 + SINGLE_FILES.indexOf(command)] as Metafile, `/${singleFileName(command)}`);
      // one file: everything it imports is one of Node's own modules
      expect(file.imports.filter((i) => !i.external)).toEqual([]);
      const inputs = Object.keys(file.inputs);
      expect(inputs).toContain(`src/cli/commands/${command}.ts`);
      expect(inputs).toContain(`src/actions/${command}.ts`);
      expect(inputs).toContain("src/cli/main.ts");
      const others = COMMANDS.filter((c) => c.name !== command).map((c) => `src/cli/commands/${c.name}.ts`);
      expect(inputs.filter((i) => others.includes(i))).toEqual([]);
      // the other commands' modules are there only as a loud failure, never as their code
      expect(inputs.filter((i) => i.startsWith("left-out:")).length).toBeGreaterThan(0);
    });
  }
});

describe("the published CLI answers as the tsc build does", () => {
  const lines: string[][] = [
    ["test", "app.yaml", "--json"],
    ["test", "app.yaml"],
    ["test", "app.yaml", "--param", "excludedNamespaces=[\"shop\"]"],
    ["test", "missing.yaml"],
    ["test", "--help"],
    ["--help"],
    [],
    ["help", "deploy"],
    ["new", "--help"],
    ["completion", "--help"],
    ["bogus", "--help"],
    ["--help", "--json"],
    ["validate", "--json"],
    ["--", "explain", "AZP1001"],
    ["--", "test", "app.yaml"],
    ["--version"],
  ];
  for (const args of lines) {
    it(`azpol ${args.join(" ")}`, () => {
      const a = published(args);
      const b = fromTsc(args);
      expect({ status: a.status, stdout: a.stdout, stderr: a.stderr }).toEqual({ status: b.status, stdout: b.stdout, stderr: b.stderr });
      expect(a.stdout.length + a.stderr.length).toBeGreaterThan(0);
    });
  }
});
