// azpol fix on Helm charts, proved with the real Helm (built from the Go module proxy, npm run
// setup:helm): charts written in the layouts of ingress-nginx, csi-driver-nfs, kube-state-metrics
// and bitnami (test/fixtures/charts/README.md) are rendered with `helm template` before and after
// `azpol fix`. After: `azpol test -` finds no denied image in the render, and the render is the
// one before with only the moved registry changed, byte for byte. What fix cannot move it lists as
// needing a human, never as checked.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
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

// a chart naming its registry the ways charts do besides `*registry` keys (istio `hub:`, kubeadm's
// `imageRepository:`, `registry:` beside `repository:` without a tag), and images written into its
// templates and _helpers.tpl, which fix cannot edit
const REGISTRY_CHART: Record<string, string> = {
  "Chart.yaml": "apiVersion: v2\nname: hosts\nversion: 0.1.0\n",
  "values.yaml": "hub: k8s.gcr.io\nimageRepository: k8s.gcr.io\na:\n  repository: pause\n  tag: \"3.9\"\nd:\n  registry: k8s.gcr.io\n  repository: coredns\n",
  "templates/pods.yaml": ["hub", "kubeadm", "d"]
    .map((name, i) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n  - name: c\n    image: ${['"{{ .Values.hub }}/{{ .Values.a.repository }}:{{ .Values.a.tag }}"', '"{{ .Values.imageRepository }}/etcd:3.5"', '"{{ .Values.d.registry }}/{{ .Values.d.repository }}:1.0"'][i]}\n`)
    .join("---\n"),
};
const HARDCODED: Record<string, string> = {
  "templates/hard.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: hard\nspec:\n  containers:\n  - name: c\n    image: k8s.gcr.io/hardcoded:1.0\n  - name: side\n    image: {{ include \"hosts.sidecar\" . }}\n",
  "templates/_helpers.tpl": '{{- define "hosts.sidecar" -}}\n{{ .Values.sidecarRegistry | default "k8s.gcr.io" }}/sidecar:1.0\n{{- end -}}\n',
};

describe.skipIf(!helm)("azpol fix on registry hosts and hard-coded template images, rendered by the real helm", () => {
  const chartProject = (name: string, files: Record<string, string>) => {
    const dir = join(work, name);
    cpSync(seed, dir, { recursive: true });
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(join(dir, "chart", file, ".."), { recursive: true });
      writeFileSync(join(dir, "chart", file), text);
    }
    return dir;
  };

  it("a bare k8s.gcr.io host under hub:, imageRepository: or registry: is moved: the render then has no denied image", async () => {
    const dir = chartProject("hosts", REGISTRY_CHART);
    const before = render(join(dir, "chart"));
    expect(before.match(/image: "k8s\.gcr\.io\//g)).toHaveLength(3);
    expect((await deniedIn(dir, before)).violating).toBe(3);
    const fix = await azpolAsync(["fix", "chart", "--json"], { cwd: dir });
    const out = JSON.parse(fix.stdout) as { changes: { oldImage: string; newImage: string }[]; needsHuman: unknown[] };
    expect(out.needsHuman).toEqual([]);
    expect(fix.status, fix.stderr).toBe(0);
    expect(out.changes.map((c) => c.oldImage)).toEqual(["k8s.gcr.io (hub)", "k8s.gcr.io (imageRepository)", "k8s.gcr.io/coredns"]);
    const after = render(join(dir, "chart"));
    expect(after).toBe(before.replace(/k8s\.gcr\.io\//g, "registry.k8s.io/"));
    expect((await deniedIn(dir, after)).violating).toBe(0);
  });

  it("an image hard-coded in a template or _helpers.tpl needs a human, with the file and line; the run does not claim success", async () => {
    const dir = chartProject("hardcoded", { ...REGISTRY_CHART, ...HARDCODED });
    const before = render(join(dir, "chart"));
    expect(before).toContain("image: k8s.gcr.io/hardcoded:1.0");
    expect(before).toContain("image: k8s.gcr.io/sidecar:1.0");
    const fix = await azpolAsync(["fix", "chart", "--json"], { cwd: dir });
    const out = JSON.parse(fix.stdout) as { needsHuman: { file: string; line: number; image: string; why: string }[]; helmTemplatesSkipped: string[] };
    expect(fix.status).toBe(1);
    expect(out.needsHuman.map((h) => [h.file, h.line, h.image])).toEqual([
      ["chart/templates/hard.yaml", 8, "k8s.gcr.io/hardcoded:1.0"],
      ["chart/templates/_helpers.tpl", 2, "k8s.gcr.io"],
    ]);
    for (const h of out.needsHuman) expect(h.why).toMatch(/Helm template: fix cannot edit Go templates/);
    expect(out.helmTemplatesSkipped).toEqual(["chart/templates/hard.yaml", "chart/templates/pods.yaml", "chart/templates/_helpers.tpl"]);
    // what fix could move it moved; the two it named are what the render still denies
    const after = render(join(dir, "chart"));
    const left = [...after.matchAll(/image: (k8s\.gcr\.io\/\S+)/g)].map((m) => m[1]);
    expect(left).toEqual(["k8s.gcr.io/hardcoded:1.0", "k8s.gcr.io/sidecar:1.0"]);
    const text = await azpolAsync(["fix", "chart", "--dry-run"], { cwd: dir });
    expect(text.stderr).toMatch(/2 need a human/);
  });
});

it("helm is there in CI (npm run setup:helm)", () => {
  if (process.env.CI) expect(helm).toBeDefined();
});
