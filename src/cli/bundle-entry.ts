#!/usr/bin/env node
// The published binary's entry (scripts/bundle-cli.ts bundles it as dist/azpol.js; the tsc build's
// binary is cli/main.ts itself). Help and the single-file commands (cli/single-file-commands.ts)
// load their own file, anything else the code-split bundle's main.js; all run cli/main.ts
// unchanged. For a single file, the compile cache is turned on first, so that it covers that file
// too (main.ts turns it on after its own file has loaded); for a single-file command, the native
// engine is started too.
import { enableCompileCache } from "./compile-cache.js";
import { prestartsEngine, singleFileFor, singleFileName } from "./single-file-commands.js";

const args = process.argv.slice(2);
const single = singleFileFor(args);
if (single) enableCompileCache();
// the engine's Go runtime starts while the command's file loads (rego/engine-prestart.ts)
if (prestartsEngine(args)) (await import("../rego/engine-prestart.js")).prestartEngine();
// a computed name, so that the bundler leaves the import to run time
const file = single ? singleFileName(single) : "main.js";
await import(new URL(`./${file}`, import.meta.url).href);
