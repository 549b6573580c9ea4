// How scripts/bench-cli.ts times one process: wall seconds, and CPU seconds (user + system), which
// is what to compare on a busy machine, where wall time mostly measures the other load.
//   node processes (azpol, `node -e 0`) run with scripts/rss-probe.mjs preloaded: it reports the
//     process's own CPU and peak memory, plus the CPU of child processes still running when it exits
//     (azpol's native engine, which a timer around node would miss);
//   other tools (gator) run under /usr/bin/time (GNU time: its -f/-o report user and system CPU of
//     the process and everything it waited for); without it their CPU is not reported ("-").
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

export interface Sample {
  wall: number;
  /** user + system seconds; undefined when it could not be measured */
  cpu: number | undefined;
  rssMb: number;
  status: number | null;
  stdout: string;
  stderr: string;
}

const PROBE = join(import.meta.dirname, "rss-probe.mjs");
const GNU_TIME = "/usr/bin/time";
let seq = 0;

export function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
}

/**
 * A node process: `args` after node's own flags (a script and its arguments, or -e code), run by
 * `options.node` (a Node executable; default the one running this script).
 */
export function runNode(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; scratch: string; node?: string }): Sample {
  const report = join(options.scratch, `probe-${process.pid}-${seq++}`);
  const started = performance.now();
  const run = spawnSync(options.node ?? process.execPath, ["--import", PROBE, ...args], { cwd: options.cwd, env: { ...process.env, AZPOL_RSS_FILE: report, ...options.env }, encoding: "utf8", maxBuffer: 1 << 30 });
  const wall = (performance.now() - started) / 1000;
  let cpu: number | undefined;
  let rssMb = NaN;
  try {
    const [rss, self, children] = readFileSync(report, "utf8").trim().split(" ");
    rssMb = Number(rss) / 1024;
    cpu = children === "self-only" ? undefined : Number(self) + Number(children);
    rmSync(report);
  } catch {
    // the process died before its exit handler: no figures
  }
  return { wall, cpu, rssMb, status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** Any other program, under GNU time when it is there. */
export function runTool(command: string, args: string[], options: { cwd: string; scratch: string }): Sample {
  const report = join(options.scratch, `time-${process.pid}-${seq++}`);
  const timed = existsSync(GNU_TIME);
  const started = performance.now();
  const run = timed
    ? spawnSync(GNU_TIME, ["-f", "%U %S %M", "-o", report, command, ...args], { cwd: options.cwd, encoding: "utf8", maxBuffer: 1 << 30 })
    : spawnSync(command, args, { cwd: options.cwd, encoding: "utf8", maxBuffer: 1 << 30 });
  const wall = (performance.now() - started) / 1000;
  let cpu: number | undefined;
  let rssMb = NaN;
  if (timed) {
    // GNU time prefixes "Command exited with non-zero status N" on failure: the figures are the last line
    const last = readFileSync(report, "utf8").trim().split("\n").pop() ?? "";
    const [user, system, rss] = last.split(" ").map(Number);
    cpu = (user ?? NaN) + (system ?? NaN);
    rssMb = (rss ?? NaN) / 1024;
    rmSync(report);
  }
  return { wall, cpu, rssMb, status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** Medians of a command's samples. */
export type Medians = { wall: number; cpu: number | undefined; rssMb: number };

/**
 * Two commands measured in alternation (A B, B A, A B, ...), `runs` samples each, so that a drift in
 * the machine's load moves both alike: the ratio of a start-up row to its own `node -e 0`.
 */
export function sampledPair(runs: number, a: { ok: readonly number[]; what: string; one: () => Sample }, b: { ok: readonly number[]; what: string; one: () => Sample }): [Medians, Medians] {
  const as: Sample[] = [];
  const bs: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    if (i % 2 === 0) {
      as.push(a.one());
      bs.push(b.one());
    } else {
      bs.push(b.one());
      as.push(a.one());
    }
  }
  return [summarise(as, a.ok, a.what), summarise(bs, b.ok, b.what)];
}


function summarise(samples: Sample[], ok: readonly number[], what: string): Medians {
  const bad = samples.find((s) => !ok.includes(s.status ?? -1));
  if (bad) throw new Error(`${what} exited ${bad.status}: ${bad.stderr.slice(0, 2000)}`);
  const cpus = samples.map((s) => s.cpu);
  return {
    wall: median(samples.map((s) => s.wall)),
    cpu: cpus.every((c): c is number => c !== undefined && Number.isFinite(c)) ? median(cpus) : undefined,
    rssMb: median(samples.map((s) => s.rssMb)),
  };
}

/** Medians of `runs` samples; throws when a run's exit status is not one of `ok`. */
export function sampled(runs: number, ok: readonly number[], what: string, one: () => Sample): Medians {
  return summarise(Array.from({ length: runs }, one), ok, what);
}
