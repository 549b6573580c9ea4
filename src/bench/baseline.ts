// Baselines for azpol bench: `--save` writes the results, `--compare` reads one back and names each
// template whose throughput fell, or whose p95 latency rose, by more than the threshold (percent),
// so a CI step can fail on a regression (exit 1). A template in only one of the two is reported,
// never silently passed.
import type { BenchResult } from "./measure.js";

export interface Baseline {
  kind: "azpol-bench-baseline";
  version: 1;
  results: BenchResult[];
}

export interface Comparison {
  definition: string;
  template: string;
  /** percent change, positive = better */
  throughputChange: number;
  p95Change: number;
  regressed: boolean;
  reason?: string;
}

export function toBaseline(results: BenchResult[]): Baseline {
  return { kind: "azpol-bench-baseline", version: 1, results };
}

export function readBaseline(data: unknown): Baseline | string {
  const b = data as Partial<Baseline> | null;
  if (!b || typeof b !== "object" || b.kind !== "azpol-bench-baseline" || b.version !== 1 || !Array.isArray(b.results)) return "not an azpol bench baseline (written by azpol bench --save)";
  return b as Baseline;
}

const pct = (x: number) => Math.round(x * 10) / 10;

export function compareToBaseline(current: BenchResult[], baseline: Baseline, thresholdPercent: number): Comparison[] {
  const key = (r: BenchResult) => `${r.definition}\u0000${r.template}`;
  const before = new Map(baseline.results.map((r) => [key(r), r]));
  const out: Comparison[] = current.map((r) => {
    const b = before.get(key(r));
    if (!b) return { definition: r.definition, template: r.template, throughputChange: 0, p95Change: 0, regressed: false, reason: "not in the baseline" };
    const throughputChange = b.reviewsPerSecond > 0 ? pct(((r.reviewsPerSecond - b.reviewsPerSecond) / b.reviewsPerSecond) * 100) : 0;
    const p95Change = b.latencyMs.p95 > 0 ? pct(((b.latencyMs.p95 - r.latencyMs.p95) / b.latencyMs.p95) * 100) : 0;
    const reasons = [
      ...(throughputChange < -thresholdPercent ? [`throughput ${r.reviewsPerSecond} reviews/s is ${-throughputChange}% below the baseline's ${b.reviewsPerSecond}`] : []),
      ...(p95Change < -thresholdPercent ? [`p95 latency ${r.latencyMs.p95} ms is ${-p95Change}% above the baseline's ${b.latencyMs.p95}`] : []),
    ];
    return { definition: r.definition, template: r.template, throughputChange, p95Change, regressed: reasons.length > 0, ...(reasons.length ? { reason: reasons.join("; ") } : {}) };
  });
  const now = new Set(current.map(key));
  for (const b of baseline.results) if (!now.has(key(b))) out.push({ definition: b.definition, template: b.template, throughputChange: 0, p95Change: 0, regressed: true, reason: "in the baseline but not measured now" });
  return out;
}
