// The floor of `azpol test` on one run's input (scripts/bench-floor.ts): a bare Node process starts
// the native engine, as azpol does, and sends it every request azpol's run sent (recorded by
// scripts/engine-recorder.mjs) at once, with no azpol code in between: no reading of definitions,
// no rendering. A request that names a compiled template (evaluate, release) or a Gatekeeper handle
// waits only for the reply that made it. Exits when every request has its answer.
// --check: also exits 1 unless every answer that carries a result (reading, strict validation,
// evaluation: verdicts and their deterministic costs) equals the recorded one, so the floor is
// known to do the run's whole work, no less.
//   node scripts/engine-replay.mjs <record> [--check]
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";

const check = process.argv.includes("--check");
const entries = readFileSync(process.argv[2], "utf8").trim().split("\n").map((l) => JSON.parse(l));
const started = entries.find((e) => e.spawn);
if (!started) throw new Error("the record has no engine start");
const env = { ...process.env };
for (const [k, v] of Object.entries(started.env)) if (v !== undefined) env[k] = v;
const engine = spawn(started.spawn, [], { stdio: ["pipe", "pipe", "inherit"], env });

const requests = entries.filter((e) => e.request).map((e) => JSON.parse(e.request));
const replies = new Map(entries.filter((e) => e.reply).map((e) => JSON.parse(e.reply)).map((r) => [r.id, r]));
// which recorded request produced each recorded template id and Gatekeeper handle
const madeBy = { template: new Map(), handle: new Map() };
for (const req of requests) {
  const reply = replies.get(req.id);
  if (req.op === "compile" && typeof reply?.template === "number") madeBy.template.set(reply.template, req.id);
  if (req.op === "gkPrepare" && typeof reply?.handle === "number") madeBy.handle.set(reply.handle, req.id);
}

const answered = new Map(); // request id -> its reply in this run
const waiting = new Map(); // request id -> callbacks for its reply
const whenAnswered = (id) => (answered.has(id) ? Promise.resolve(answered.get(id)) : new Promise((resolve) => waiting.set(id, [...(waiting.get(id) ?? []), resolve])));
let buffered = "";
engine.stdout.setEncoding("utf8");
engine.stdout.on("data", (chunk) => {
  buffered += chunk;
  let nl;
  while ((nl = buffered.indexOf("\n")) >= 0) {
    const reply = JSON.parse(buffered.slice(0, nl));
    buffered = buffered.slice(nl + 1);
    answered.set(reply.id, reply);
    for (const resolve of waiting.get(reply.id) ?? []) resolve(reply);
    waiting.delete(reply.id);
  }
});
// the answers that are the run's results; compile and precompile answers carry ids and timing-dependent flags
const RESULT_OPS = new Set(["readManifests", "strictValidate", "evaluate", "gkReview", "gatorRead", "kustomize", "expand", "mutate"]);
const differ = [];
const send = (req) => engine.stdin.write(JSON.stringify(req) + "\n");

await Promise.all(
  requests.map(async (req) => {
    const out = { ...req };
    for (const field of ["template", "handle"]) {
      if (typeof req[field] !== "number" || req.op === "compile") continue;
      const maker = madeBy[field].get(req[field]);
      if (maker === undefined) throw new Error(`request ${req.id} (${req.op}) names ${field} ${req[field]}, which no recorded request made`);
      out[field] = (await whenAnswered(maker))[field];
    }
    send(out);
    const reply = await whenAnswered(req.id);
    if (typeof reply.error === "string" && typeof replies.get(req.id)?.error !== "string") throw new Error(`request ${req.id} (${req.op}) failed in the replay: ${reply.error}`);
    if (check && RESULT_OPS.has(req.op) && JSON.stringify(reply) !== JSON.stringify(replies.get(req.id))) differ.push(`${req.op} (request ${req.id})`);
  }),
);
if (differ.length) {
  process.stderr.write(`the replay's answers differ from the recorded run's: ${differ.join(", ")}\n`);
  process.exit(1);
}
// as azpol ends: stop the engine and exit without waiting for it (the benchmark's probe counts the
// CPU of a child still running at exit, scripts/rss-probe.mjs)
engine.stdin.end();
engine.kill();
process.exit(0);
