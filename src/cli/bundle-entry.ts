#!/usr/bin/env node
// The published binary's entry (scripts/bundle-cli.ts bundles it as dist/azpol.js; the tsc build's
// binary is cli/main.ts itself). A single-file command (cli/single-file-commands.ts) loads its own
// file, anything else the code-split bundle's main.js; both run cli/main.ts unchanged. For a
// single-file command, the compile cache is turned on first, so that it covers that file too
// (main.ts turns it on after its own file has loaded), and the native engine is started.
import { enableCompileCache } from "./compile-cache.js";
import { prestartsEngine, singleFileCommandFor, singleFileName } from "./single-file-commands.js";

const args = process.argv.slice(2);
const command = singleFileCommandFor(args);
if (command) enableCompileCache();
// the engine's Go runtime starts while the command's file loads (rego/engine-prestart.ts)
if (prestartsEngine(args)) (await import("../rego/engine-prestart.js")).prestartEngine();
// a computed name, so that the bundler leaves the import to run time
const file = command ? singleFileName(command) : "main.js";
await import(new URL(`./${file}`, import.meta.url).href);
