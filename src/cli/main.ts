#!/usr/bin/env node
// The azpol binary. The only place that sets process.exitCode, and the only one that exits.
import { processOutput } from "./output.js";
import { runCli } from "./run.js";

// `azpol ... | head` closes stdout early; that is not an error worth a stack trace
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw e;
  });
}

const code = await runCli(process.argv.slice(2), processOutput);
// Exit as soon as the work is done: the js/wasm engine's Go runtime would otherwise keep the
// event loop alive for seconds. Flush first (stdout may be an asynchronous pipe).
await Promise.all([process.stdout, process.stderr].map((s) => new Promise<void>((resolve) => s.write("", () => resolve()))));
process.exit(code);
