// azpol bench on the shipped definitions: per-template setup, latency and throughput; a baseline
// saved with --save is read back by --compare (made far slower than any machine: clean), and a baseline far faster
// than any machine (x1000) is a regression (exit 1) naming the template; a template missing from
// either side is reported. Decided by outcome: no assertion depends on how fast this machine is.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { quantile } from "../../src/bench/measure.js";
import { azpol } from "../support/cli.js";
import { matchesCliSchema } from "../support/cli-schemas.js";

const root = join(import.meta.dirname, "..", "..");
const work = mkdtempSync(join(tmpdir(), "azpol-bench-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
cpSync(join(root, "definitions"), join(work, "definitions"), { recursive: true, filter: (p) => !p.includes("golden") });
cpSync(join(root, "constraint-templates"), join(work, "constraint-templates"), { recursive: true });
writeFileSync(
  join(work, "pods.yaml"),
  ["k8s.gcr.io/pause:3.9", "registry.k8s.io/pause:3.9", "myacr.azurecr.io/app:1"].map((image, i) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p${i}\n  namespace: shop\nspec:\n  containers:\n    - name: c\n      image: ${image}\n`).join("---\n"),
);
const bench = (...args: string[]) => azpol(["bench", "pods.yaml", "--iterations", "3", ...args], { cwd: work });

interface Doc {
  ok: boolean;
  results: { definition: string; reviews: number; iterations: number; setupMs: number; latencyMs: { p50: number; p95: number; p99: number }; reviewsPerSecond: number }[];
  comparison?: { definition: string; regressed: boolean; reason?: string }[];
}

describe("azpol bench", () => {
  it("measures each definition's template and saves a baseline that --compare reads back", () => {
    const saved = bench("--save", "base.json", "--json");
    expect(saved.status, saved.stderr).toBe(0);
    const doc = JSON.parse(saved.stdout) as Doc;
    expect(matchesCliSchema("bench", doc)).toBe(true);
    expect(doc.results.map((r) => r.definition).sort()).toEqual(["allowed-registries", "k8s-gcr-deprecation"]);
    for (const r of doc.results) {
      expect(r).toMatchObject({ reviews: 3, iterations: 3 });
      expect(r.reviewsPerSecond).toBeGreaterThan(0);
      expect(r.latencyMs.p50).toBeLessThanOrEqual(r.latencyMs.p95);
      expect(r.latencyMs.p95).toBeLessThanOrEqual(r.latencyMs.p99);
    }
    // the saved file read back as a baseline, made far slower than any machine (x1000), so that
    // no load on this machine can make the comparison fail: comparing against the file as saved
    // failed once under load even with --threshold 1000, as a timed test does
    const slow = JSON.parse(readFileSync(join(work, "base.json"), "utf8")) as { results: Doc["results"] };
    for (const r of slow.results) {
      r.reviewsPerSecond /= 1000;
      r.latencyMs.p95 *= 1000;
    }
    writeFileSync(join(work, "slow.json"), JSON.stringify(slow));
    const again = bench("--compare", "slow.json");
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^ok allowed-registries: throughput/m);
  });

  it("--compare fails (exit 1) on a template slower than the baseline by more than --threshold, and names it", () => {
    const base = JSON.parse(readFileSync(join(work, "base.json"), "utf8")) as { results: Doc["results"] };
    for (const r of base.results) {
      r.reviewsPerSecond *= 1000;
      r.latencyMs.p95 /= 1000;
    }
    base.results = base.results.filter((r) => r.definition !== "allowed-registries");
    writeFileSync(join(work, "fast.json"), JSON.stringify(base));
    const run = bench("--compare", "fast.json", "--json");
    expect(run.status).toBe(1);
    const doc = JSON.parse(run.stdout) as Doc;
    expect(matchesCliSchema("bench", doc)).toBe(true);
    expect(doc.ok).toBe(false);
    const slower = doc.comparison?.find((c) => c.definition === "k8s-gcr-deprecation");
    expect(slower?.regressed).toBe(true);
    expect(slower?.reason).toMatch(/throughput .* below the baseline's .*; p95 latency .* above the baseline's/);
    expect(doc.comparison?.find((c) => c.definition === "allowed-registries")).toMatchObject({ regressed: false, reason: "not in the baseline" });
  });

  it("refuses a file that is not a baseline, and bad numbers, as usage errors (exit 2)", () => {
    writeFileSync(join(work, "not.json"), "{}");
    expect(bench("--compare", "not.json").stderr).toMatch(/not an azpol bench baseline/);
    expect(bench("--compare", "not.json").status).toBe(2);
    expect(bench("--iterations", "0").status).toBe(2);
    expect(bench("--threshold", "fast").status).toBe(2);
  });

  it("quantiles are nearest-rank", () => {
    expect([0.5, 0.95, 0.99].map((q) => quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], q))).toEqual([5, 10, 10]);
    expect(quantile([], 0.5)).toBe(0);
  });
});
