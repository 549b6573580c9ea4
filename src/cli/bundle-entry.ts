#!/usr/bin/env node
// The published binary's entry (scripts/bundle-cli.ts bundles it as dist/azpol.js; the tsc build's
// binary is cli/main.ts itself). A single-file command (cli/single-file-commands.ts) loads its own
// file, anything else the code-split bundle's main.js; both run cli/main.ts unchanged. The compile
// cache is turned on first, so that it covers the single file too (main.ts turns it on after its
// own file has loaded).
import { enableCompileCache } from "./compile-cache.js";
import { singleFileCommandFor, singleFileName } from "./single-file-commands.js";

const command = singleFileCommandFor(process.argv.slice(2));
if (command) enableCompileCache();
// a computed name, so that the bundler leaves the import to run time
const file = command ? singleFileName(command) : "main.js";
await import(new URL(`./${file}`, import.meta.url).href);
