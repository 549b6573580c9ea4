// The CLI bundled as it is published (esbuild: one ESM entry, code-split at every `await import()`:
// each command, the Azure and Kubernetes SDK adapters). scripts/pack.ts ships it; scripts/bench-cli.ts
// measures it, so the benchmark times what users run.
import { join } from "node:path";
import { build, type Metafile } from "esbuild";

export async function bundleCli(root: string, outdir: string): Promise<Metafile> {
  // CommonJS packages in the bundle call require() for Node's own modules, which an ES module
  // provides through createRequire.
  const bundled = await build({
    entryPoints: { azpol: join(root, "src", "cli", "main.ts") },
    outdir,
    chunkNames: "chunks/[name]-[hash]",
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    minify: true,
    legalComments: "none",
    metafile: true,
    logLevel: "warning",
    banner: { js: 'import { createRequire as __azpolCreateRequire } from "node:module"; const require = __azpolCreateRequire(import.meta.url);' },
  });
  return bundled.metafile;
}
