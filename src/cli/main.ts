#!/usr/bin/env node
// The azpol binary. The only place that sets process.exitCode, and the only one that exits.
// Start-up matters (every CI step and editor hook runs azpol): `--version` answers before anything
// else loads, and on Node >= 22.1 the compiled code is cached between runs (cli/compile-cache.ts).
// The published bundle enters through cli/bundle-entry.ts, which loads this file.
import { enableCompileCache } from "./compile-cache.js";
import { VERSION } from "./program-version.js";

// `azpol ... | head` closes stdout early; that is not an error worth a stack trace
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw e;
  });
}

const args = process.argv.slice(2);
let code = 0;
// command-words.ts's asksForVersionOnly, written out: `--version` loads no other module (in the
// code-split bundle that one would be a chunk of its own)
if (args.length === 1 && (args[0] === "--version" || args[0] === "-V")) {
  process.stdout.write(`${VERSION}\n`);
} else {
  enableCompileCache();
  // A command that always evaluates starts the engine first, so the engine's own start-up (its Go
  // runtime, the handshake) overlaps with the loading of azpol's code, and so does the compiling
  // of the templates this folder's last run used (pipeline/warm-plan.ts). A failure to start is
  // the command's to report, when it asks for the engine (rego/engine.ts keeps one per process).
  const { startsEngineEarly } = await import("./command-table.js");
  if (startsEngineEarly(args)) {
    void Promise.all([import("../rego/engine.js"), import("../pipeline/warm-plan.js"), import("./run.js")])
      .then(([engine, warm, { outputText }]) => {
        const precompile = warm.readWarmPlan(process.cwd());
        // the engine's own notes (a binary skipped, and why) pass the output boundary too
        engine.configureEngine({ onNote: (line) => process.stderr.write(`${outputText(`azpol: note: ${line}`)}\n`), ...(precompile.length ? { precompile } : {}) });
        return engine.loadEngine();
      })
      .catch(() => undefined);
  }
  const [{ processOutput }, { runCli }] = await Promise.all([import("./output.js"), import("./run.js")]);
  code = await runCli(args, processOutput);
}
// Exit as soon as the work is done: the js/wasm engine's Go runtime would otherwise keep the
// event loop alive for seconds. Flush first (stdout may be an asynchronous pipe).
await Promise.all([process.stdout, process.stderr].map((s) => new Promise<void>((resolve) => s.write("", () => resolve()))));
process.exit(code);
