// Differential test against kubectl's reader: seeded adversarial manifest files are read by
// azpol (the engine's reader, as `azpol test` uses it) and by k8s.io/cli-runtime's resource
// builder configured as `kubectl apply -f` (the oracle). Every file must give the same
// objects in the same order, and azpol must report a problem exactly where kubectl reports
// an error, or where kubectl would find no object to apply. Replay with AZPOL_ORACLE_SEED.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// Generous: a busy 2-core machine may take minutes; the test prints its progress.
const TIMEOUT = 900_000;
import { readManifests } from "../../src/io/manifests.js";
import { loadEngine } from "../../src/rego/engine.js";
import type { RegoEngine } from "../../src/rego/engine-port.js";
import { generateManifest } from "./manifest-corpus.js";
import { oracleReadManifests } from "./oracle.js";
import { Random, oracleSeed } from "./random.js";

const COUNT = Number.parseInt(process.env.AZPOL_ORACLE_MANIFESTS ?? "1500", 10);
const seed = oracleSeed();
const dir = mkdtempSync(join(tmpdir(), "azpol-manifest-oracle-"));
let engine: RegoEngine;

beforeAll(async () => {
  engine = await loadEngine();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("azpol's manifest reader vs kubectl's (k8s.io/cli-runtime)", () => {
  it(`reads ${COUNT} generated files exactly as kubectl apply -f does`, async () => {
    const r = new Random(seed);
    const files = Array.from({ length: COUNT }, (_, i) => {
      const file = join(dir, `m${i}.yaml`);
      writeFileSync(file, generateManifest(r));
      return file;
    });
    const oracle = oracleReadManifests(files);
    const wrong: string[] = [];
    let objects = 0;
    let errorFiles = 0;
    for (const [i, file] of files.entries()) {
      const want = oracle[i];
      const got = await readManifests(engine, file, file);
      if (!want) throw new Error(`oracle gave no answer for ${file}`);
      const kubectlFails = want.errors.length > 0 || want.objects.length === 0;
      objects += want.objects.length;
      if (kubectlFails) errorFiles++;
      const sameObjects = JSON.stringify(got.objects.map((o) => o.object)) === JSON.stringify(want.objects.map(sortKeys));
      if (sameObjects && kubectlFails === got.problems.length > 0) continue;
      wrong.push(`${file}: kubectl ${want.objects.length} objects, errors ${JSON.stringify(want.errors)}; azpol ${got.objects.length} objects, problems ${JSON.stringify(got.problems.map((p) => p.message))}${sameObjects ? "" : "; objects differ"}`);
    }
    console.log(`manifest oracle: seed ${seed}, ${files.length} files, ${objects} objects, ${errorFiles} files kubectl refuses or finds empty; ${wrong.length} disagreements`);
    expect({ seed, disagreements: wrong.length, first: wrong.slice(0, 15) }).toEqual({ seed, disagreements: 0, first: [] });
  }, TIMEOUT);
});

// The engine marshals Go maps with sorted keys; sort the oracle's the same way to compare.
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
  return value;
}
