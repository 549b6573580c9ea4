// The CLI bundled as it is published (esbuild), in three parts that run the same code (src/cli/main.ts):
//   - dist/azpol.js, the entry (src/cli/bundle-entry.ts): picks one of the two below;
//   - dist/main.js and dist/chunks/: code-split at every `await import()` (each command, the Azure and
//     Kubernetes SDK adapters), for every command line;
//   - dist/help.js: the program and every command's flags, no action, for help;
//   - dist/command-<name>.js for each single-file command (src/cli/single-file-commands.ts): that
//     command and all it loads in one file, without the other commands.
// scripts/pack.ts ships it; scripts/bench-cli.ts measures it, so the benchmark times what users run.
import { join } from "node:path";
import { build, type BuildOptions, type Metafile, type Plugin } from "esbuild";
import { SINGLE_FILE_COMMANDS, singleFileName, type SingleFile } from "../src/cli/single-file-commands.js";

/** help.js, then each single-file command's file */
export const SINGLE_FILES: readonly SingleFile[] = ["help", ...SINGLE_FILE_COMMANDS];

export interface CliBundle {
  /** the code-split bundle (main.js and its chunks) */
  main: Metafile;
  /** the entry, then each of SINGLE_FILES */
  others: Metafile[];
}

/** Every input and output of the bundle's parts. */
export const bundleParts = (b: CliBundle): Metafile[] => [b.main, ...b.others];

// CommonJS packages in the bundle call require() for Node's own modules, which an ES module
// provides through createRequire.
const common = (root: string, outdir: string): BuildOptions => ({
  outdir,
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  minify: true,
  legalComments: "none",
  metafile: true,
  logLevel: "warning",
  absWorkingDir: root,
  banner: { js: 'import { createRequire as __azpolCreateRequire } from "node:module"; const require = __azpolCreateRequire(import.meta.url);' },
});

/**
 * Modules a single file must not hold become modules that fail if they are ever loaded (only the
 * code-split bundle runs them; src/cli/bundle-entry.ts never sends such a command line here):
 *   - a single-file command's file: the command table's import of any other command;
 *   - help.js: every action and renderer a command loads when it runs (help runs none), the action
 *     context, and the engine main.ts starts early for a command that evaluates (never for help).
 */
function leaveOut(file: SingleFile): Plugin {
  const fromCommandTable = (importer: string) => /[\\/]src[\\/]cli[\\/]command-table\.ts$/.test(importer);
  const outside = (args: { path: string; importer: string; kind: string }): boolean => {
    if (file !== "help") return fromCommandTable(args.importer) && /^\.\/commands\/[a-z-]+\.js$/.test(args.path) && args.path !== `./commands/${file}.js`;
    if (args.kind !== "dynamic-import") return false;
    if (/[\\/]src[\\/]cli[\\/](commands[\\/][a-z-]+|command-io)\.ts$/.test(args.importer)) return true;
    return /[\\/]src[\\/]cli[\\/]main\.ts$/.test(args.importer) && /\/(rego\/engine|pipeline\/warm-plan)\.js$/.test(args.path);
  };
  return {
    name: "leave-out",
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => (outside(args) ? { path: args.path, namespace: "left-out" } : undefined));
      b.onLoad({ filter: /.*/, namespace: "left-out" }, (args) => ({
        contents: `throw new Error(${JSON.stringify(`${args.path} is not in azpol's ${singleFileName(file)}: the published entry (dist/azpol.js) runs such a command line from main.js`)});`,
        loader: "js",
      }));
    },
  };
}

export async function bundleCli(root: string, outdir: string): Promise<CliBundle> {
  const main = join(root, "src", "cli", "main.ts");
  const [split, entry, ...singles] = await Promise.all([
    build({ ...common(root, outdir), entryPoints: { main }, splitting: true, chunkNames: "chunks/[name]-[hash]" }),
    build({ ...common(root, outdir), entryPoints: { azpol: join(root, "src", "cli", "bundle-entry.ts") } }),
    ...SINGLE_FILES.map((file) => build({ ...common(root, outdir), entryPoints: { [singleFileName(file).replace(/\.js$/, "")]: main }, plugins: [leaveOut(file)] })),
  ]);
  const meta = (r: { metafile?: Metafile | undefined }): Metafile => {
    if (!r.metafile) throw new Error("esbuild returned no metafile");
    return r.metafile;
  };
  return { main: meta(split), others: [meta(entry), ...singles.map(meta)] };
}
