// azpol fix and azpol mirror find the images of a file as `azpol test` judges them (the oracle here:
// test's own verdict on the same file, read by kubectl's reader and rendered by kustomize), with one
// reader both use (src/fix/find-images.ts):
// - image volumes (`volumes[].image.reference`, Kubernetes 1.31+), moved like container images;
// - an image shared through a YAML anchor gets the verdict of every object that uses it;
// - mirror plans every image `fix --to` points a workload at (untagged k8s.gcr.io values too);
// - images set by a kustomization's inline patches: moved in place, or named as needing a human;
// - a document kubectl cannot decode is blamed with its own reason, not the previous document's.
// Each was a silent "0 need a human" / exit 0 (or a wrong reason) while `azpol test` denied.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { azpolAsync } from "../support/cli.js";

const work = mkdtempSync(join(tmpdir(), "azpol-fix-images-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface FixJson {
  changes: { file: string; line: number; oldImage: string; newImage: string }[];
  needsHuman: { file: string; line: number; image: string; why: string }[];
  excluded: { file: string; line: number; image: string; reason: string }[];
  rejected: { file: string; line: number; image: string; reason: string }[];
}

const seeds: Record<string, string[][]> = {
  gcr: [["new", "--preset", "k8s-gcr-deprecation"]],
  allow: [["new", "--preset", "allowed-registries", "--registry", "myacr.azurecr.io"]],
  both: [["new", "--preset", "k8s-gcr-deprecation"], ["new", "--preset", "allowed-registries", "--registry", "myacr.azurecr.io"]],
};

beforeAll(async () => {
  for (const [name, commands] of Object.entries(seeds)) {
    mkdirSync(join(work, "seed", name), { recursive: true });
    for (const args of commands) {
      const made = await azpolAsync(args, { cwd: join(work, "seed", name) });
      if (made.status !== 0) throw new Error(made.stderr);
    }
  }
});

/** A fresh project of a preset, with these files. */
function project(name: string, seed: keyof typeof seeds, files: Record<string, string>): string {
  const dir = join(work, name);
  cpSync(join(work, "seed", seed), dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(dir, file, ".."), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  return dir;
}

const fixJson = async (dir: string, args: string[]) => {
  const run = await azpolAsync(["fix", ...args, "--json"], { cwd: dir });
  return { status: run.status, stderr: run.stderr, out: JSON.parse(run.stdout) as FixJson };
};

const VOLUME_POD = `apiVersion: v1
kind: Pod
metadata: {name: vol, namespace: default}
spec:
  containers:
  - name: c
    image: registry.k8s.io/pause:3.9
  volumes:
  - name: v
    image:
      reference: k8s.gcr.io/etcd:3.5.0-0
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: k8s.gcr.io/web:1.0}]
      volumes: [{name: models, image: {reference: "k8s.gcr.io/models:1", pullPolicy: IfNotPresent}}]
`;

describe("image volumes", () => {
  it("fix moves them like container images, and the fixed file passes azpol test", async () => {
    const dir = project("volume", "gcr", { "k8s/vol.yaml": VOLUME_POD });
    expect((await azpolAsync(["test", "k8s"], { cwd: dir })).status).toBe(1);
    const fix = await fixJson(dir, ["k8s"]);
    expect(fix.status, fix.stderr).toBe(0);
    expect(fix.out.changes.map((c) => [c.line, c.oldImage, c.newImage])).toEqual([
      [11, "k8s.gcr.io/etcd:3.5.0-0", "registry.k8s.io/etcd:3.5.0-0"],
      [21, "k8s.gcr.io/web:1.0", "registry.k8s.io/web:1.0"],
      [22, "k8s.gcr.io/models:1", "registry.k8s.io/models:1"],
    ]);
    expect(readFileSync(join(dir, "k8s", "vol.yaml"), "utf8")).toBe(VOLUME_POD.replace(/k8s\.gcr\.io\//g, "registry.k8s.io/"));
    const test = await azpolAsync(["test", "k8s"], { cwd: dir });
    expect(test.status, test.stdout).toBe(0);
  });

  it("with an allow list, a volume image with nowhere to go needs a human (exit 1); mirror plans it", async () => {
    const volume = `apiVersion: v1\nkind: Pod\nmetadata: {name: v, namespace: default}\nspec:\n  containers: [{name: c, image: myacr.azurecr.io/app:1}]\n  volumes:\n  - name: m\n    image: {reference: docker.io/evil/models:1}\n`;
    const dir = project("volume-allow", "allow", { "k8s/v.yaml": volume });
    const fix = await fixJson(dir, ["k8s", "--dry-run"]);
    expect(fix.out.needsHuman).toEqual([expect.objectContaining({ line: 8, image: "docker.io/evil/models:1", why: expect.stringMatching(/no definition declares a replacement/) as unknown })]);
    expect(fix.status).toBe(1);
    const mirror = await azpolAsync(["mirror", "k8s", "--registry", "myacr.azurecr.io", "--json"], { cwd: dir });
    const planned = JSON.parse(mirror.stdout) as { references: { image: string; mirrored: string }[] };
    expect(planned.references).toEqual([{ image: "docker.io/evil/models:1", mirrored: "myacr.azurecr.io/docker.io/evil/models:1" }]);
  });
});

describe("an image shared through a YAML anchor", () => {
  const LIST = `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Pod
  metadata: {name: sys, namespace: kube-system}
  spec: {containers: [{name: c, image: &img "k8s.gcr.io/pause:3.9"}]}
- apiVersion: v1
  kind: Pod
  metadata: {name: app, namespace: default}
  spec: {containers: [{name: c, image: *img}]}
- apiVersion: v1
  kind: Pod
  metadata: {name: sys2, namespace: kube-system}
  spec:
    containers: [&side {name: side, image: k8s.gcr.io/side:1.0}]
- apiVersion: v1
  kind: Pod
  metadata: {name: app2, namespace: default}
  spec:
    containers: [*side]
- apiVersion: v1
  kind: Pod
  metadata: {name: only-sys, namespace: kube-system}
  spec: {containers: [{name: c, image: &sys k8s.gcr.io/sys:1}, {name: d, image: *sys}]}
`;
  it("gets the verdict of every object that uses it: moved when any included object runs it, excluded only when every one is", async () => {
    const dir = project("anchor", "gcr", { "k8s/anch.yaml": LIST });
    const before = await azpolAsync(["test", "k8s", "--json"], { cwd: dir });
    const denied = (JSON.parse(before.stdout) as { objects: { object: string; violations: unknown[] }[] }).objects.filter((o) => o.violations.length).map((o) => o.object);
    expect(denied).toEqual(["v1 Pod default/app", "v1 Pod default/app2"]);
    const fix = await fixJson(dir, ["k8s"]);
    expect(fix.status, fix.stderr).toBe(0);
    expect(fix.out.changes.map((c) => c.oldImage)).toEqual(["k8s.gcr.io/pause:3.9", "k8s.gcr.io/side:1.0"]);
    expect(fix.out.excluded.map((e) => [e.image, e.reason])).toEqual([["k8s.gcr.io/sys:1", expect.stringContaining("kube-system") as unknown]]);
    // the anchors' values changed, nothing else
    expect(readFileSync(join(dir, "k8s", "anch.yaml"), "utf8")).toBe(LIST.replace("k8s.gcr.io/pause", "registry.k8s.io/pause").replace("k8s.gcr.io/side", "registry.k8s.io/side"));
    const after = await azpolAsync(["test", "k8s"], { cwd: dir });
    expect(after.status, after.stdout).toBe(0);
  });
});

describe("fix --to and mirror read the same images", () => {
  const VALUES = `b:\n  repository: k8s.gcr.io/pause\n  pullPolicy: IfNotPresent\nextra:\n  - k8s.gcr.io/busybox\nhub: k8s.gcr.io\n`;
  it("every image fix --to points at is one mirror plans (untagged k8s.gcr.io values, a bare k8s.gcr.io host)", async () => {
    const dir = project("mirror-agree", "both", { "mv/values.yaml": VALUES });
    const mirror = await azpolAsync(["mirror", "mv", "--registry", "myacr.azurecr.io", "--json"], { cwd: dir });
    const planned = JSON.parse(mirror.stdout) as { references: { image: string; mirrored: string }[] };
    expect(planned.references.map((r) => r.image)).toEqual(["k8s.gcr.io/busybox", "k8s.gcr.io/pause"]);
    const fix = await fixJson(dir, ["mv", "--to", "myacr.azurecr.io"]);
    expect(fix.status, fix.stderr).toBe(0);
    const mirrored = new Set(planned.references.map((r) => r.mirrored));
    const moved = fix.out.changes.filter((c) => !c.oldImage.includes(" ("));
    expect(moved.map((c) => c.newImage)).toEqual(["myacr.azurecr.io/registry.k8s.io/pause", "myacr.azurecr.io/registry.k8s.io/busybox"]);
    for (const c of moved) expect(mirrored.has(c.newImage), c.newImage).toBe(true);
  });
});

describe("kustomization inline patches", () => {
  const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: registry.k8s.io/web:1.0}]}
`;
  const LITERAL = `resources: [deploy.yaml]
patches:
- target: {kind: Deployment, name: web}
  patch: |-
    - op: add
      path: /spec/template/spec/containers/-
      value: {name: side, image: k8s.gcr.io/side:1.0}
    - op: replace
      path: /spec/template/spec/containers/0/image
      value: k8s.gcr.io/web:2.0
- patch: |
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: web}
    spec:
      template:
        spec:
          initContainers:
          - name: init
            image: "k8s.gcr.io/init:1.0"   # a comment stays
          volumes:
          - name: v
            image: {reference: k8s.gcr.io/vol:1}
patchesJson6902:
- target: {group: apps, version: v1, kind: Deployment, name: web}
  patch: |
    - {op: add, path: /spec/template/spec/containers/-, value: {name: j, image: 'k8s.gcr.io/j:1'}}
`;
  it("a literal block patch is moved in place, and kustomize's render then passes azpol test -k", async () => {
    const dir = project("kustomize-literal", "gcr", { "k1/deploy.yaml": DEPLOY, "k1/kustomization.yaml": LITERAL });
    const before = await azpolAsync(["test", "-k", "k1"], { cwd: dir });
    expect(before.status).toBe(1);
    for (const image of ["side:1.0", "web:2.0", "init:1.0", "vol:1", "j:1"]) expect(before.stdout).toContain(`k8s.gcr.io/${image}`);
    const fix = await fixJson(dir, ["k1"]);
    expect(fix.status, fix.stderr).toBe(0);
    expect(fix.out.changes.map((c) => [c.line, c.oldImage])).toEqual([
      [7, "k8s.gcr.io/side:1.0"],
      [10, "k8s.gcr.io/web:2.0"],
      [20, "k8s.gcr.io/init:1.0"],
      [23, "k8s.gcr.io/vol:1"],
      [27, "k8s.gcr.io/j:1"],
    ]);
    expect(readFileSync(join(dir, "k1", "kustomization.yaml"), "utf8")).toBe(LITERAL.replace(/k8s\.gcr\.io\//g, "registry.k8s.io/"));
    const after = await azpolAsync(["test", "-k", "k1"], { cwd: dir });
    expect(after.status, after.stdout).toBe(0);
  });

  it("a folded or quoted inline patch is named as needing a human, never passed over", async () => {
    const folded = `resources: [deploy.yaml]
patchesStrategicMerge:
- >-
  {apiVersion: apps/v1, kind: Deployment, metadata: {name: web},
  spec: {template: {spec: {initContainers: [{name: f, image: k8s.gcr.io/folded:1}]}}}}
patches:
- patch: "[{\\"op\\": \\"add\\", \\"path\\": \\"/spec/template/spec/containers/-\\", \\"value\\": {\\"name\\": \\"q\\", \\"image\\": \\"k8s.gcr.io/quoted:1\\"}}]"
  target: {kind: Deployment}
`;
    const dir = project("kustomize-folded", "gcr", { "k2/deploy.yaml": DEPLOY, "k2/kustomization.yaml": folded });
    const test = await azpolAsync(["test", "-k", "k2"], { cwd: dir });
    expect(test.status).toBe(1);
    expect(test.stdout).toContain("k8s.gcr.io/folded:1");
    expect(test.stdout).toContain("k8s.gcr.io/quoted:1");
    const fix = await fixJson(dir, ["k2", "--dry-run"]);
    expect(fix.out.needsHuman.map((h) => [h.line, h.image]).sort()).toEqual([
      [3, "k8s.gcr.io/folded:1"],
      [7, "k8s.gcr.io/quoted:1"],
    ]);
    for (const h of fix.out.needsHuman) expect(h.why).toMatch(/inline kustomize patch/);
    expect(fix.status).toBe(1);
  });
});

it("a document kubectl cannot decode is blamed with its own reason, not the previous document's", async () => {
  const text = `apiVersion: v1
kind: Pod
metadata: {name: first}
spec: {containers: [{name: c, image: registry.k8s.io/ok, imagePullPolicyy: Always}]}
---
apiVersion: v1
kind: Pod
metadata: {name: second, labels: {canary: yes}}
spec: {containers: [{name: c, image: k8s.gcr.io/x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: third, labels: {canary: "yes"}}
spec: {containers: [{name: c, image: k8s.gcr.io/y}]}
`;
  const dir = project("blame", "gcr", { "attr.yaml": text });
  const test = await azpolAsync(["test", "attr.yaml"], { cwd: dir });
  expect(test.stdout + test.stderr).toMatch(/cannot unmarshal bool/);
  const fix = await fixJson(dir, ["attr.yaml", "--dry-run"]);
  expect(fix.out.rejected).toEqual([expect.objectContaining({ line: 9, image: "k8s.gcr.io/x", reason: expect.stringMatching(/cannot read this document: .*cannot unmarshal bool/) as unknown })]);
  expect(fix.out.rejected[0]?.reason).not.toContain("imagePullPolicyy");
  // the decodable document after it is judged on its own
  expect(fix.out.changes.map((c) => [c.line, c.oldImage])).toEqual([[14, "k8s.gcr.io/y"]]);
  expect(fix.status).toBe(1);
});
