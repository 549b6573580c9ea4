// Reading a large manifest run by run (to bound memory) must give exactly what reading it whole
// gives: the same objects in the same order, with the same document numbers and lines, the
// same problems, and the same stop at a YAML error. Runs are made small here so that every
// kind of separator, empty document and comment lands on a cut somewhere.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { manifestChunks } from "../src/io/manifest-chunks.js";
import { parseManifests, visitManifests, type ManifestObject } from "../src/io/manifests.js";
import { loadEngine } from "../src/rego/engine.js";
import type { RegoEngine } from "../src/rego/engine-port.js";
import { generateManifest } from "./oracle/manifest-corpus.js";
import { Random } from "./oracle/random.js";

const dir = mkdtempSync(join(tmpdir(), "azpol-chunks-"));
let engine: RegoEngine;
beforeAll(async () => {
  engine = await loadEngine();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function bigStream(seed: number, withErrors: boolean): Promise<string> {
  const r = new Random(seed);
  const parts: string[] = [];
  let size = 0;
  while (size < 200_000) {
    const m = generateManifest(r);
    if (m.trimStart().startsWith("{") || m.startsWith("\ufeff")) continue;
    // without errors: only files kubectl reads to the end (a YAML error stops the stream)
    if (!withErrors && (await engine.readManifests(m)).problems.some((p) => p.fatal)) continue;
    if (withErrors && parts.length < 200 && (await engine.readManifests(m)).problems.some((p) => p.fatal)) continue;
    parts.push(m.endsWith("\n") ? m : `${m}\n`);
    size += m.length;
  }
  return parts.join(r.pick(["---\n", "--- # cut here\n", "---\r\n", "\n---\n"]));
}

for (const [seed, withErrors] of [[1, false], [2, false], [3, true], [4, true]] as const) {
  it(`seed ${seed}${withErrors ? ", with YAML errors" : ""}: chunked reading equals whole reading`, async () => {
    const text = await bigStream(seed, withErrors);
    expect([...manifestChunks(text, 7)].length).toBeGreaterThan(10);
    const file = join(dir, `s${seed}.yaml`);
    writeFileSync(file, text);
    const whole = await parseManifests(engine, "f", text);
    const chunked: ManifestObject[] = [];
    const read = await visitManifests(engine, file, "f", (objects) => {
      chunked.push(...objects);
      return Promise.resolve();
    }, 7);
    expect(whole.objects.length).toBeGreaterThan(100);
    expect(chunked.length).toBe(whole.objects.length);
    expect(chunked).toEqual(whole.objects);
    expect(read.problems).toEqual(whole.problems);
  });
}
