#!/usr/bin/env node
// The azpol binary. The only place that sets process.exitCode.
import { processOutput } from "./output.js";
import { runCli } from "./run.js";

process.exitCode = await runCli(process.argv.slice(2), processOutput);
