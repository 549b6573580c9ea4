// The floor of `azpol test` on a small input, for scripts/bench-cli.ts: how fast that run could be
// if azpol's own code took no time at all. One run of the published CLI is recorded (what it asked
// of its native engine: scripts/engine-recorder.mjs); then a bare Node process starts the same
// engine the same way and sends it every one of those requests at once (scripts/engine-replay.mjs),
// measured in alternation with gator. What is left is Node's own start and the engine's work:
// its Go runtime's start, compiling the templates, reading and strictly validating the manifests,
// and the evaluations. No change to azpol's own code can make `azpol test` faster than this.
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { runNode, sampledPair, type Medians, type Sample } from "./bench-measure.js";

const RECORDER = join(import.meta.dirname, "engine-recorder.mjs");
const REPLAY = join(import.meta.dirname, "engine-replay.mjs");

export interface FloorOptions {
  /** one run of the published CLI with node's own flags `nodeArgs` and environment `env` */
  runCli: (nodeArgs: string[], env: NodeJS.ProcessEnv) => Sample;
  /** the record's file (in the benchmark's scratch folder) */
  record: string;
  cwd: string;
  scratch: string;
  node?: string;
  runs: number;
  /** the peer, run in alternation with the replay */
  peer: { ok: readonly number[]; what: string; one: () => Sample };
}

/** [the replay, the peer]: medians of `runs` samples each, in alternation. */
export function engineFloor(o: FloorOptions): [Medians, Medians] {
  rmSync(o.record, { force: true });
  const recorded = o.runCli(["--import", RECORDER], { AZPOL_ENGINE_RECORD: o.record });
  if (recorded.status !== 0 && recorded.status !== 1) throw new Error(`the recorded azpol run exited ${recorded.status}: ${recorded.stderr.slice(0, 2000)}`);
  // a run that did not start the native engine (no engine built, AZPOL_ENGINE=wasm) has no floor to show
  if (!existsSync(o.record) || !readFileSync(o.record, "utf8").includes('"spawn"')) throw new Error("the recorded azpol run did not start the native engine (npm run build:engine)");
  const node = o.node ? { node: o.node } : {};
  // once untimed with --check: the replay gives the run's own answers, so it does the whole work
  const checked = runNode([REPLAY, o.record, "--check"], { cwd: o.cwd, scratch: o.scratch, ...node });
  if (checked.status !== 0) throw new Error(`the engine replay did not give the recorded run's answers: ${checked.stderr.slice(0, 2000)}`);
  return sampledPair(
    o.runs,
    { ok: [0], what: "engine replay", one: () => runNode([REPLAY, o.record], { cwd: o.cwd, scratch: o.scratch, ...node }) },
    o.peer,
  );
}
