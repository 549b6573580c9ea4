// azpol fix on Helm charts, proved with the real Helm (built from the Go module proxy, npm run
// setup:helm): charts written in the layouts of ingress-nginx, csi-driver-nfs, kube-state-metrics
// and bitnami (test/fixtures/charts/README.md) are rendered with `helm template` before and after
// `azpol fix`. After: `azpol test -` finds no denied image in the render, and the render is the
// one before with only the moved registry changed, byte for byte. What fix cannot move it lists as
// needing a human, never as checked.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { azpolAsync } from "../support/cli.js";
import { findHelm } from "../support/helm.js";

const helm = findHelm();
const charts = join(import.meta.dirname, "..", "fixtures", "charts");
const work = mkdtempSync(join(tmpdir(), "azpol-fix-helm-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function render(chart: string, extra: string[] = []): string {
  const run = spawnSync(helm as string, ["template", "rel", chart, "--namespace", "apps", ...extra.flatMap((f) => ["-f", join(chart, f)])], { encoding: "utf8", env: { ...process.env, HELM_CACHE_HOME: join(work, ".helm"), HELM_CONFIG_HOME: join(work, ".helm"), HELM_DATA_HOME: join(work, ".helm") } });
  if (run.status !== 0) throw new Error(`helm template ${chart}: ${run.stderr}`);
  return run.stdout;
}

let seed: string;
beforeAll(async () => {
  seed = join(work, "seed");
  mkdirSync(seed);
  const made = await azpolAsync(["new", "--preset", "k8s-gcr-deprecation"], { cwd: seed });
  if (made.status !== 0) throw new Error(made.stderr);
});

const project = (name: string, chart: string) => {
  const dir = join(work, name);
  cpSync(seed, dir, { recursive: true });
  cpSync(join(charts, chart), join(dir, "chart"), { recursive: true });
  return dir;
};

const deniedIn = async (dir: string, rendered: string) => {
  const run = await azpolAsync(["test", "-", "--json"], { cwd: dir, input: rendered });
  const out = JSON.parse(run.stdout) as { objects: { violations: unknown[] }[] };
  return { objects: out.objects.length, violating: out.objects.filter((o) => o.violations.length).length };
};

describe.skipIf(!helm)("azpol fix on Helm charts, rendered by the real helm", () => {
  it.each([
    ["ingress-nginx", [], 3],
    ["csi-driver-nfs", [], 5],
    ["kube-state-metrics", [], 1],
    ["bitnami-nginx", [], 4],
    ["bitnami-nginx", ["values-mirror.yaml"], 5],
  ] as const)("%s %j: after fix the render has no denied image and differs only in the registry", async (chart, extra, images) => {
    const dir = project(`${chart}-${extra.length}`, chart);
    const before = render(join(dir, "chart"), [...extra]);
    expect(before.match(/image: "?k8s\.gcr\.io\//g)).toHaveLength(images);
    expect((await deniedIn(dir, before)).violating).toBeGreaterThan(0);
    const fix = await azpolAsync(["fix", "chart", "--json"], { cwd: dir });
    const out = JSON.parse(fix.stdout) as { changes: unknown[]; needsHuman: unknown[] };
    expect(out.needsHuman).toEqual([]);
    expect(fix.status, fix.stderr).toBe(0);
    const after = render(join(dir, "chart"), [...extra]);
    expect(after).toBe(before.replace(/k8s\.gcr\.io\//g, "registry.k8s.io/"));
    const verdict = await deniedIn(dir, after);
    expect(verdict.violating).toBe(0);
    expect(verdict.objects).toBeGreaterThan(0);
  });

  it("with an allow list that registry.k8s.io does not satisfy either, what cannot move is listed as needing a human (exit 1)", async () => {
    const dir = project("allow", "kube-state-metrics");
    const made = await azpolAsync(["new", "--preset", "allowed-registries", "--registry", "registry.k8s.io"], { cwd: dir });
    expect(made.status).toBe(0);
    const fix = await azpolAsync(["fix", "chart", "--json"], { cwd: dir });
    const out = JSON.parse(fix.stdout) as { changes: { oldImage: string; newImage: string }[]; needsHuman: { image: string; why: string }[] };
    expect(fix.status).toBe(1);
    // kube-rbac-proxy on quay.io: denied by the allow list, and nothing says where it should go
    expect(out.needsHuman).toEqual([expect.objectContaining({ image: "quay.io/brancz/kube-rbac-proxy:v0.14.0", why: expect.stringMatching(/no definition declares a replacement/) as unknown })]);
    expect(out.changes.map((c) => `${c.oldImage} -> ${c.newImage}`)).toEqual(["k8s.gcr.io/kube-state-metrics/kube-state-metrics -> registry.k8s.io/kube-state-metrics/kube-state-metrics"]);
  });
});

it("helm is there in CI (npm run setup:helm)", () => {
  if (process.env.CI) expect(helm).toBeDefined();
});
