// Preloaded by scripts/bench-floor.ts (node --import) into one `azpol test` run: records what that
// run asks of its native engine, for scripts/engine-replay.mjs. azpol's code is not changed: the
// preload wraps node:child_process's spawn (syncBuiltinESMExports makes the bundle's import see the
// wrapper), and for the engine's process writes to $AZPOL_ENGINE_RECORD, one JSON line each:
//   {"spawn": binary, "env": {GOGC, GOMEMLIMIT}}   how azpol started it (engine-env.ts decides)
//   {"request": <line>}                           each request, as written to the engine's stdin
//   {"reply": <line>}                             each reply line from its stdout
// The record holds the manifests and templates of the run: the benchmark's own scratch files.
import childProcess from "node:child_process";
import { appendFileSync } from "node:fs";
import { syncBuiltinESMExports } from "node:module";

const record = process.env.AZPOL_ENGINE_RECORD;
const realSpawn = childProcess.spawn;
const isEngine = (file) => /azpol-engine(\.exe)?$/.test(String(file));
const note = (entry) => appendFileSync(record, JSON.stringify(entry) + "\n");

if (record) {
  childProcess.spawn = function spawn(file, args, options) {
    const child = realSpawn.call(this, file, args, options);
    if (!isEngine(file)) return child;
    const env = options?.env ?? {};
    note({ spawn: file, env: { GOGC: env.GOGC, GOMEMLIMIT: env.GOMEMLIMIT } });
    const write = child.stdin.write.bind(child.stdin);
    child.stdin.write = (chunk, ...rest) => {
      for (const line of String(chunk).split("\n")) if (line) note({ request: line });
      return write(chunk, ...rest);
    };
    let partial = "";
    child.stdout.on("data", (chunk) => {
      partial += String(chunk);
      let nl;
      while ((nl = partial.indexOf("\n")) >= 0) {
        note({ reply: partial.slice(0, nl) });
        partial = partial.slice(nl + 1);
      }
    });
    return child;
  };
  syncBuiltinESMExports();
}
