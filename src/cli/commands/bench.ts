// azpol bench: per-template evaluation latency and throughput on the given manifests (like gator
// bench), with --save for a baseline and --compare --threshold for a CI regression gate.
import type { Command } from "commander";
import { dirname, resolve } from "node:path";
import { compareToBaseline, readBaseline, toBaseline, type Comparison } from "../../bench/baseline.js";
import type { BenchResult } from "../../bench/measure.js";
import { AzpolError, ExitCode, UsageError } from "../../errors.js";
import { writeGuarded } from "../../io/guarded-writer.js";
import { readAnywhere } from "../../io/project-boundary.js";
import { readInputText } from "../../io/read-input.js";
import type { KubeObject } from "../../rego/kubernetes-object.js";
import type { CommandIo } from "../command-io.js";

interface BenchOptions {
  definitions: string;
  iterations: string;
  save?: string;
  compare?: string;
  threshold: string;
  json?: boolean;
}

function wholeNumber(value: string, flag: string, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new UsageError(`${flag} must be a whole number from 1 to ${max}, got ${JSON.stringify(value)}`);
  return n;
}

const ms = (x: number) => `${x.toFixed(2)} ms`;

function isBaseline(bytes: Buffer): boolean {
  try {
    return typeof readBaseline(JSON.parse(bytes.toString("utf8"))) !== "string";
  } catch {
    return false;
  }
}

export function registerBench(program: Command, io: CommandIo): void {
  const { output } = io;
  program
    .command("bench")
    .description("measure how fast each definition's template judges the given manifests (setup, latency per review, reviews/s), like gator bench")
    .argument("<manifests...>", "manifest files whose objects are reviewed")
    .option("--definitions <path>", "definitions whose templates are measured", "definitions")
    .option("--iterations <n>", "how many times each object is reviewed", "20")
    .option("--save <file>", "write the results as a baseline for --compare")
    .option("--compare <file>", "compare with a baseline; exit 1 when a template is slower by more than --threshold")
    .option("--threshold <percent>", "allowed fall in throughput or rise in p95 latency against the baseline", "10")
    .option("--json", "print as JSON")
    .addHelpText("after", "\nMeasures policy evaluation in azpol's engine only (no API server, webhook or network), so compare runs on the same machine.\nExit codes: 0 ok, 1 a regression against --compare, 2 usage error.")
    .action(io.handler(async (manifests: string[], options: BenchOptions) => {
      const iterations = wholeNumber(options.iterations, "--iterations", 100_000);
      const threshold = Number(options.threshold);
      if (!Number.isFinite(threshold) || threshold < 0 || threshold > 1000) throw new UsageError(`--threshold must be a percentage from 0 to 1000, got ${JSON.stringify(options.threshold)}`);
      let baseline;
      if (options.compare !== undefined) {
        const read = readInputText(options.compare);
        if ("error" in read) throw new UsageError(`--compare ${options.compare}: ${read.error}`);
        let data: unknown;
        try {
          data = JSON.parse(read.text);
        } catch {
          data = undefined;
        }
        baseline = readBaseline(data);
        if (typeof baseline === "string") throw new UsageError(`--compare ${options.compare}: ${baseline}`);
      }
      // the pipeline and the engine load when the command runs, not for --help
      const [{ benchPolicy }, { definitionPolicies }, { loadEngine }, { TemplateCache }] = await Promise.all([
        import("../../bench/measure.js"),
        import("../../pipeline/definition-policies.js"),
        import("../../rego/engine.js"),
        import("../../rego/template-cache.js"),
      ]);
      // bench has never had a project boundary (no --allow-outside-project): kept, said explicitly
      const { policies } = definitionPolicies(options.definitions, [], readAnywhere());
      if (policies.length === 0) throw new UsageError(`no definitions with a template in ${options.definitions}`);
      const engine = await loadEngine();
      const objects: KubeObject[] = [];
      for (const file of manifests) {
        const read = readInputText(file);
        if ("error" in read) throw new UsageError(`${file}: ${read.error}`);
        const parsed = await engine.readManifests(read.text);
        const fatal = parsed.problems.find((p) => p.fatal);
        if (fatal) throw new AzpolError("ManifestReadFailed", `${file}:${fatal.line}: ${fatal.message}`);
        objects.push(...parsed.objects.map((o) => o.object as KubeObject));
      }
      if (objects.length === 0) throw new UsageError("no objects in the manifests");
      const cache = new TemplateCache(engine);
      const results: BenchResult[] = [];
      for (const p of policies) results.push(await benchPolicy(cache, p, objects, iterations));
      const comparison: Comparison[] | undefined = baseline ? compareToBaseline(results, baseline, threshold) : undefined;
      if (options.save !== undefined) {
        const target = resolve(options.save);
        // like every output, --save replaces only a file azpol wrote: an earlier baseline
        writeGuarded(dirname(target), target, `${JSON.stringify(toBaseline(results), null, 2)}\n`, { label: "--save's folder", owned: { what: "an azpol bench baseline (written by azpol bench --save)", is: isBaseline } });
      }
      const regressed = comparison?.some((c) => c.regressed) === true;
      if (options.json) output.out(JSON.stringify({ ok: !regressed, engine: engine.source, opaVersion: engine.opaVersion, results, ...(comparison ? { comparison, threshold } : {}) }, null, 2));
      else {
        output.out(`engine: ${engine.source}, OPA ${engine.opaVersion}; ${objects.length} objects x ${iterations} iterations per template`);
        for (const r of results) {
          output.out(`${r.definition} (template ${r.template}, ${r.engine}): setup ${ms(r.setupMs)}; latency mean ${ms(r.latencyMs.mean)}, p50 ${ms(r.latencyMs.p50)}, p95 ${ms(r.latencyMs.p95)}, p99 ${ms(r.latencyMs.p99)}; ${r.reviewsPerSecond.toFixed(0)} reviews/s`);
        }
        for (const c of comparison ?? []) output.out(`${c.regressed ? "REGRESSION" : "ok"} ${c.definition}: throughput ${c.throughputChange >= 0 ? "+" : ""}${c.throughputChange}%, p95 ${c.p95Change >= 0 ? "+" : ""}${c.p95Change}% (better is positive)${c.reason ? `: ${c.reason}` : ""}`);
        if (options.save !== undefined) output.err(`wrote the baseline to ${options.save}`);
      }
      return regressed ? ExitCode.Findings : ExitCode.Ok;
    }));
}
