// azpol fix moves images the definitions deny to their declared replacement (the k8s.gcr.io
// preset: registry.k8s.io), in manifests and Helm values, changing only the image scalars: comments,
// quoting, flow and block style, anchors and key order stay byte for byte. The --dry-run diff is
// checked with the real `git apply`, which must turn the original into exactly what fix writes.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { azpolAsync } from "../support/cli.js";

const work = mkdtempSync(join(tmpdir(), "azpol-fix-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const app = `# the web tier
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      containers:
      - name: pause
        image: "k8s.gcr.io/pause:3.9"   # keep this comment
      - {name: etcd, image: 'k8s.gcr.io/etcd@sha256:${"0".repeat(64)}'}
      initContainers:
      - name: ok
        image: registry.k8s.io/busybox:1.36
---
kind: List
apiVersion: v1
items:
- apiVersion: v1
  kind: Pod
  metadata: {name: p}
  spec:
    containers:
    - name: a
      image: &img k8s.gcr.io/coredns:1.8.6
    - name: b
      image: *img
    - name: c
      image: k8s.gcr.io.evil.com/x:1
`;
const values = `image:
  registry: k8s.gcr.io   # upstream
  repository: ingress-nginx/controller
  tag: v1.2.0
sidecar:
  image:
    repository: k8s.gcr.io/git-sync
    tag: "v3.1.0"
`;

const lineOf = (text: string, needle: string) => text.split("\n").findIndex((l) => l.includes(needle)) + 1;

function project(name: string): string {
  const dir = join(work, name);
  mkdirSync(join(dir, "k8s"), { recursive: true });
  mkdirSync(join(dir, "chart"), { recursive: true });
  writeFileSync(join(dir, "k8s", "app.yaml"), app);
  writeFileSync(join(dir, "chart", "values.yaml"), values);
  return dir;
}

beforeAll(async () => {
  const seed = project("seed");
  const made = await azpolAsync(["new", "--preset", "k8s-gcr-deprecation"], { cwd: seed });
  if (made.status !== 0) throw new Error(made.stderr);
});

const withDefinitions = (name: string) => {
  const dir = project(name);
  cpSync(join(work, "seed", "definitions"), join(dir, "definitions"), { recursive: true });
  cpSync(join(work, "seed", "constraint-templates"), join(dir, "constraint-templates"), { recursive: true });
  return dir;
};

describe("azpol fix", () => {
  it("rewrites only the denied images' bytes, in manifests and Helm values", async () => {
    const dir = withDefinitions("write");
    const run = await azpolAsync(["fix", "--json"], { cwd: dir });
    expect(run.status, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout) as { changes: { file: string; line: number; oldImage: string; newImage: string }[]; needsHuman: unknown[] };
    expect(out.changes.map((c) => `${c.file}:${c.line} ${c.oldImage} -> ${c.newImage}`)).toEqual([
      "chart/values.yaml:2 k8s.gcr.io/ingress-nginx/controller:v1.2.0 -> registry.k8s.io/ingress-nginx/controller:v1.2.0",
      "chart/values.yaml:7 k8s.gcr.io/git-sync:v3.1.0 -> registry.k8s.io/git-sync:v3.1.0",
      "k8s/app.yaml:10 k8s.gcr.io/pause:3.9 -> registry.k8s.io/pause:3.9",
      `k8s/app.yaml:11 k8s.gcr.io/etcd@sha256:${"0".repeat(64)} -> registry.k8s.io/etcd@sha256:${"0".repeat(64)}`,
      `k8s/app.yaml:${lineOf(app, "&img")} k8s.gcr.io/coredns:1.8.6 -> registry.k8s.io/coredns:1.8.6`,
    ]);
    expect(out.needsHuman).toEqual([]);
    expect(readFileSync(join(dir, "k8s", "app.yaml"), "utf8")).toBe(
      app
        .replace('image: "k8s.gcr.io/pause:3.9"   # keep this comment', 'image: "registry.k8s.io/pause:3.9"   # keep this comment')
        .replace("image: 'k8s.gcr.io/etcd@", "image: 'registry.k8s.io/etcd@")
        .replace("image: &img k8s.gcr.io/coredns", "image: &img registry.k8s.io/coredns"),
    );
    expect(readFileSync(join(dir, "chart", "values.yaml"), "utf8")).toBe(values.replace("registry: k8s.gcr.io   # upstream", "registry: registry.k8s.io   # upstream").replace("repository: k8s.gcr.io/git-sync", "repository: registry.k8s.io/git-sync"));
    // and now nothing is left: a second run changes nothing
    const again = await azpolAsync(["fix", "--json"], { cwd: dir });
    expect((JSON.parse(again.stdout) as { changes: unknown[] }).changes).toEqual([]);
  });

  it("--dry-run prints a unified diff that git apply turns into exactly what fix writes, and writes nothing", async () => {
    const dry = withDefinitions("dry");
    const written = withDefinitions("written");
    const run = await azpolAsync(["fix", "--dry-run"], { cwd: dry });
    expect(run.status).toBe(1);
    expect(readFileSync(join(dry, "k8s", "app.yaml"), "utf8")).toBe(app);
    expect((await azpolAsync(["fix"], { cwd: written })).status).toBe(0);
    writeFileSync(join(work, "fix.diff"), `${run.stdout}\n`);
    const apply = spawnSync("git", ["apply", "--unidiff-zero", "-p1", join(work, "fix.diff")], { cwd: dry, encoding: "utf8" });
    expect(apply.stderr).toBe("");
    expect(apply.status).toBe(0);
    for (const f of ["k8s/app.yaml", "chart/values.yaml"]) expect(readFileSync(join(dry, f), "utf8")).toBe(readFileSync(join(written, f), "utf8"));
  });

  it("skips a Helm chart's Go templates (their images come from values.yaml) and says so; an unreadable file is a problem", async () => {
    const dir = withDefinitions("helm");
    writeFileSync(join(dir, "chart", "Chart.yaml"), "apiVersion: v2\nname: web\nversion: 1.0.0\n");
    mkdirSync(join(dir, "chart", "templates"));
    writeFileSync(join(dir, "chart", "templates", "deployment.yaml"), "image: {{ .Values.image.registry }}/{{ .Values.image.repository }}\n{{- if .Values.x }}\n");
    const run = await azpolAsync(["fix", "--json"], { cwd: dir });
    const out = JSON.parse(run.stdout) as { helmTemplatesSkipped: string[]; problems: unknown[] };
    expect(out.helmTemplatesSkipped).toEqual(["chart/templates/deployment.yaml"]);
    expect(out.problems).toEqual([]);
    expect(run.status).toBe(0);
    writeFileSync(join(dir, "k8s", "latin1.yaml"), Buffer.from([0x69, 0x6d, 0x61, 0x67, 0x65, 0x3a, 0x20, 0xe9, 0x0a]));
    const bad = await azpolAsync(["fix", "--json"], { cwd: dir });
    expect((JSON.parse(bad.stdout) as { problems: { file: string; message: string }[] }).problems).toEqual([{ file: "k8s/latin1.yaml", line: 1, message: expect.stringMatching(/not valid UTF-8/) as unknown }]);
    expect(bad.status).toBe(1);
  });

  it("lists images with no replacement as needing a human, and never touches a look-alike host", async () => {
    const dir = withDefinitions("allow-list");
    const made = await azpolAsync(["new", "--preset", "allowed-registries", "--registry", "registry.k8s.io"], { cwd: dir });
    expect(made.status).toBe(0);
    const run = await azpolAsync(["fix", "--json"], { cwd: dir });
    const out = JSON.parse(run.stdout) as { changes: { newImage: string }[]; needsHuman: { file: string; line: number; image: string; why: string }[] };
    expect(run.status).toBe(1);
    // the look-alike is denied by the allow-list, and nothing declares where it should go
    expect(out.needsHuman).toEqual([{ file: "k8s/app.yaml", line: lineOf(app, "evil.com"), image: "k8s.gcr.io.evil.com/x:1", why: "denied by allowed-registries, and no definition declares a replacement for its registry" }]);
    expect(out.changes.every((c) => c.newImage.startsWith("registry.k8s.io/"))).toBe(true);
  });
});
