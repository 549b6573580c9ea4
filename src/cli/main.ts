#!/usr/bin/env node
// The azpol binary. The only place that sets process.exitCode.
import { processOutput } from "./output.js";
import { runCli } from "./run.js";

// `azpol ... | head` closes stdout early; that is not an error worth a stack trace
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw e;
  });
}

process.exitCode = await runCli(process.argv.slice(2), processOutput);
