// The CLI bundled as it is published (esbuild), in three parts that run the same code (src/cli/main.ts):
//   - dist/azpol.js, the entry (src/cli/bundle-entry.ts): picks one of the two below;
//   - dist/main.js and dist/chunks/: code-split at every `await import()` (each command, the Azure and
//     Kubernetes SDK adapters), for every command line;
//   - dist/command-<name>.js for each single-file command (src/cli/single-file-commands.ts): that
//     command and all it loads in one file, without the other commands.
// scripts/pack.ts ships it; scripts/bench-cli.ts measures it, so the benchmark times what users run.
import { join } from "node:path";
import { build, type BuildOptions, type Metafile, type Plugin } from "esbuild";
import { SINGLE_FILE_COMMANDS, singleFileName, type SingleFileCommand } from "../src/cli/single-file-commands.js";

export interface CliBundle {
  /** the code-split bundle (main.js and its chunks) */
  main: Metafile;
  /** the entry, then each single-file command */
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
 * A single-file command's file holds no other command: the command table's import of another
 * command's module becomes a module that fails if it is ever loaded (only the code-split bundle
 * runs other commands; src/cli/bundle-entry.ts never sends them here).
 */
function onlyCommand(command: SingleFileCommand): Plugin {
  return {
    name: "only-command",
    setup(b) {
      b.onResolve({ filter: /^\.\/commands\/[a-z-]+\.js$/ }, (args) => {
        if (!/[\\/]src[\\/]cli[\\/]command-table\.ts$/.test(args.importer) || args.path === `./commands/${command}.js`) return undefined;
        return { path: args.path, namespace: "other-command" };
      });
      b.onLoad({ filter: /.*/, namespace: "other-command" }, (args) => ({
        contents: `throw new Error(${JSON.stringify(`${args.path} is not in azpol's ${singleFileName(command)}: the published entry (dist/azpol.js) runs other commands from main.js`)});`,
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
    ...SINGLE_FILE_COMMANDS.map((command) => build({ ...common(root, outdir), entryPoints: { [singleFileName(command).replace(/\.js$/, "")]: main }, plugins: [onlyCommand(command)] })),
  ]);
  const meta = (r: { metafile?: Metafile | undefined }): Metafile => {
    if (!r.metafile) throw new Error("esbuild returned no metafile");
    return r.metafile;
  };
  return { main: meta(split), others: [meta(entry), ...singles.map(meta)] };
}
