// azpol bench: how fast each definition's template judges objects in azpol's engine, the way
// `gator bench` reports Gatekeeper's (policy evaluation only; no API server, webhook or network):
// setup (the first review, which compiles the template or prepares Gatekeeper's client), latency of
// one review at a time (mean, p50, p95, p99 over every review of every iteration) and throughput
// of the whole set in one batch. The clock is a parameter so the arithmetic is tested without time.
import type { KubeObject } from "../rego/kubernetes-object.js";
import { reviewObjects, type Policy } from "../rego/evaluate.js";
import type { TemplateCache } from "../rego/template-cache.js";
import { engineLabel } from "../rego/engine-choice.js";

export interface BenchResult {
  definition: string;
  template: string;
  /** "Rego" or "CEL", the code that judged it */
  engine: string;
  reviews: number;
  iterations: number;
  setupMs: number;
  latencyMs: { mean: number; p50: number; p95: number; p99: number };
  reviewsPerSecond: number;
}

/** The value at quantile q of sorted values (nearest rank). */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

export async function benchPolicy(cache: TemplateCache, policy: Policy & { definition: string }, objects: KubeObject[], iterations: number, now: () => number = () => performance.now()): Promise<BenchResult> {
  const decided = cache.engineFor(policy.template);
  const engine = typeof decided === "string" ? engineLabel(decided) : "none";
  const setupStart = now();
  await reviewObjects(cache, [policy], objects.slice(0, 1));
  const setupMs = now() - setupStart;
  const latencies: number[] = [];
  for (let i = 0; i < iterations; i++) {
    for (const object of objects) {
      const t = now();
      await reviewObjects(cache, [policy], [object]);
      latencies.push(now() - t);
    }
  }
  const batchStart = now();
  for (let i = 0; i < iterations; i++) await reviewObjects(cache, [policy], objects);
  const batchMs = now() - batchStart;
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    definition: policy.definition,
    template: policy.template.name,
    engine,
    reviews: objects.length,
    iterations,
    setupMs: round(setupMs),
    latencyMs: { mean: round(sorted.reduce((s, x) => s + x, 0) / Math.max(1, sorted.length)), p50: round(quantile(sorted, 0.5)), p95: round(quantile(sorted, 0.95)), p99: round(quantile(sorted, 0.99)) },
    reviewsPerSecond: batchMs > 0 ? round((objects.length * iterations * 1000) / batchMs) : 0,
  };
}
