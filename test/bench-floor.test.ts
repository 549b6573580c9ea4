// The floor that npm run bench:cli prints beside `azpol test` of a small input (scripts/bench-floor.ts):
// one real run is recorded at the engine's pipe (scripts/engine-recorder.mjs, preloaded; azpol's
// code unchanged), and a bare Node process replays it (scripts/engine-replay.mjs). The replay must
// do the run's whole work: its answers (manifests read, strict validation, verdicts with their
// costs) equal the recorded run's, and --check says so when they do not. Runs the real engine.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { engineCandidates } from "../src/rego/engine-locate.js";
import { CLI } from "./support/cli.js";

const root = join(import.meta.dirname, "..");
const scripts = join(root, "scripts");
const native = engineCandidates()[0]?.kind === "native";
const scratch = mkdtempSync(join(tmpdir(), "azpol-bench-floor-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const project = join(scratch, "project");
cpSync(join(root, "definitions", "k8s-gcr-deprecation"), join(project, "definitions", "k8s-gcr-deprecation"), { recursive: true, filter: (s) => !s.includes("golden") });
cpSync(join(root, "constraint-templates", "disallowed-registries"), join(project, "constraint-templates", "disallowed-registries"), { recursive: true });
const pod = (name: string, image: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  namespace: shop\nspec:\n  containers:\n  - name: app\n    image: ${image}\n`;
writeFileSync(join(project, "app.yaml"), [pod("old", "k8s.gcr.io/pause:3.9"), pod("new", "registry.k8s.io/pause:3.9")].join("---\n"));

const record = join(scratch, "record.jsonl");
const env = { ...process.env, AZPOL_CACHE_DIR: join(scratch, "cache"), AZPOL_ENGINE_RECORD: record };
const replay = (file: string) => spawnSync(process.execPath, [join(scripts, "engine-replay.mjs"), file, "--check"], { cwd: project, encoding: "utf8" });
const entries = () => readFileSync(record, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { spawn?: string; request?: string; reply?: string });

describe.runIf(native)("the floor of azpol test", () => {
  it("records what one run asks of its engine, without changing the run", () => {
    const recorded = spawnSync(process.execPath, ["--import", join(scripts, "engine-recorder.mjs"), CLI, "test", "app.yaml", "--json"], { cwd: project, env, encoding: "utf8" });
    const plain = spawnSync(process.execPath, [CLI, "test", "app.yaml", "--json"], { cwd: project, env: { ...env, AZPOL_ENGINE_RECORD: "" }, encoding: "utf8" });
    expect(recorded.status).toBe(1); // the k8s.gcr.io Pod is denied
    expect(recorded.stdout).toBe(plain.stdout);
    const ops = entries().flatMap((e) => (e.request ? [(JSON.parse(e.request) as { op: string }).op] : []));
    expect(ops).toEqual(expect.arrayContaining(["version", "compile", "readManifests", "strictValidate", "evaluate"]));
    expect(entries()[0]?.spawn).toMatch(/azpol-engine(\.exe)?$/);
  });

  it("replays it from a bare Node process with the same answers", () => {
    const run = replay(record);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
  });

  it("says so when an answer differs from the recorded run's", () => {
    const tampered = join(scratch, "tampered.jsonl");
    const lines = entries().map((e) => {
      if (!e.reply?.includes('"violations":[{')) return e;
      return { reply: e.reply.replace("k8s.gcr.io", "example.test") };
    });
    expect(lines.some((e) => e.reply?.includes("example.test"))).toBe(true);
    writeFileSync(tampered, lines.map((e) => JSON.stringify(e)).join("\n") + "\n");
    const run = replay(tampered);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/differ from the recorded run's: evaluate/);
  });
});
