// Kustomizations read the way `kubectl apply -k` reads them (the kustomize API kubectl 1.33 links,
// in the engine): `azpol test -k` (and `impact -k`) judges what the kustomization renders, including an image set by
// `images[].newName: k8s.gcr.io/...`; `azpol fix` edits `images:` entries together with the
// workloads they match, so the engine's own kustomize render after fix is the render before with
// only the registry changed (external-dns once rendered untagged because only the Deployment
// moved). An `images[].name` whose workloads fix was not given needs a human.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadEngine } from "../../src/rego/engine.js";
import { azpolAsync } from "../support/cli.js";

const work = mkdtempSync(join(tmpdir(), "azpol-kustomize-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let seed: string;
beforeAll(async () => {
  seed = join(work, "seed");
  mkdirSync(join(seed, "kustomize"), { recursive: true });
  mkdirSync(join(seed, "overlay"), { recursive: true });
  const made = await azpolAsync(["new", "--preset", "k8s-gcr-deprecation"], { cwd: seed });
  if (made.status !== 0) throw new Error(made.stderr);
  // external-dns's kustomize/ layout: the Deployment names the image, images[] pins the tag
  writeFileSync(
    join(seed, "kustomize", "external-dns-deployment.yaml"),
    `apiVersion: apps/v1
kind: Deployment
metadata:
  name: external-dns
spec:
  selector:
    matchLabels: {app: external-dns}
  template:
    metadata:
      labels: {app: external-dns}
    spec:
      containers:
      - name: external-dns
        image: k8s.gcr.io/external-dns/external-dns
      - name: proxy
        image: nginx:1.25
`,
  );
  writeFileSync(join(seed, "kustomize", "kustomization.yaml"), "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- external-dns-deployment.yaml\nimages:\n- name: k8s.gcr.io/external-dns/external-dns\n  newTag: v0.10.2\n");
  // an overlay that points an image at k8s.gcr.io through newName
  writeFileSync(join(seed, "overlay", "kustomization.yaml"), "resources:\n- ../kustomize\nnamespace: dns\nimages:\n- name: nginx\n  newName: k8s.gcr.io/pause\n  newTag: \"3.9\"\n");
});

const copy = (name: string) => {
  const dir = join(work, name);
  cpSync(seed, dir, { recursive: true });
  return dir;
};

async function render(dir: string): Promise<string> {
  const rendered = await (await loadEngine()).kustomize(dir);
  if ("error" in rendered) throw new Error(rendered.error);
  return rendered.yaml;
}

describe("kustomize", () => {
  it("test -k judges what the kustomization renders, newName included", async () => {
    const run = await azpolAsync(["test", "-k", "overlay", "--json"], { cwd: seed });
    const out = JSON.parse(run.stdout) as { objects: { location: string; object: string; violations: { msg: string }[] }[] };
    expect(out.objects.map((o) => o.object)).toEqual(["apps/v1 Deployment dns/external-dns"]);
    expect(out.objects[0]?.location).toMatch(/^overlay \(kustomize\)#0$/);
    const messages = out.objects[0]?.violations.map((v) => v.msg).join("\n") ?? "";
    expect(messages).toContain("k8s.gcr.io/external-dns/external-dns:v0.10.2");
    expect(messages).toContain("k8s.gcr.io/pause:3.9");
    expect(run.status).toBe(1);
  });

  it("impact -k counts what the kustomization would create, and names the denying definition per image", async () => {
    const run = await azpolAsync(["impact", "-k", "overlay", "--json"], { cwd: seed });
    const out = JSON.parse(run.stdout) as { source: string; objects: number; denied: { name: string; namespace: string }[]; byImage: { image: string; definitions: string[] }[] };
    expect(out.source).toBe("overlay (kustomize)");
    expect(out.objects).toBe(1);
    expect(out.denied.map((d) => `${d.namespace}/${d.name}`)).toEqual(["dns/external-dns"]);
    expect(out.byImage.map((i) => `${i.image} ${i.definitions.join(",")}`).sort()).toEqual(["k8s.gcr.io/external-dns/external-dns:v0.10.2 k8s-gcr-deprecation", "k8s.gcr.io/pause:3.9 k8s-gcr-deprecation"]);
    expect(run.status).toBe(1);
  });

  it("a folder without a kustomization is a problem that names it", async () => {
    const run = await azpolAsync(["test", "-k", "definitions"], { cwd: seed });
    expect(run.stdout).toMatch(/definitions \(kustomize\).*is not a folder with a kustomization file/);
    expect(run.status).toBe(1);
  });

  it("fix moves images[] entries with the workloads they match: the render changes only in the registry", async () => {
    const dir = copy("fix");
    const before = await render(join(dir, "overlay"));
    expect(before).toContain("image: k8s.gcr.io/external-dns/external-dns:v0.10.2");
    const fix = await azpolAsync(["fix", "--json"], { cwd: dir });
    const out = JSON.parse(fix.stdout) as { changes: { file: string; oldImage: string; newImage: string }[]; needsHuman: unknown[] };
    expect(out.needsHuman).toEqual([]);
    expect(fix.status, fix.stderr).toBe(0);
    expect(out.changes.map((c) => `${c.file}: ${c.oldImage} -> ${c.newImage}`).sort()).toEqual([
      "kustomize/external-dns-deployment.yaml: k8s.gcr.io/external-dns/external-dns -> registry.k8s.io/external-dns/external-dns",
      "kustomize/kustomization.yaml: k8s.gcr.io/external-dns/external-dns:v0.10.2 -> registry.k8s.io/external-dns/external-dns:v0.10.2",
      "overlay/kustomization.yaml: k8s.gcr.io/pause:3.9 -> registry.k8s.io/pause:3.9",
    ]);
    const after = await render(join(dir, "overlay"));
    expect(after).toBe(before.replace(/k8s\.gcr\.io\//g, "registry.k8s.io/"));
    const test = await azpolAsync(["test", "-k", "overlay"], { cwd: dir });
    expect(test.status, test.stdout).toBe(0);
  });

  it("an images[].name whose workloads fix was not given is not renamed alone: it needs a human", async () => {
    const dir = copy("alone");
    const fix = await azpolAsync(["fix", "kustomize/kustomization.yaml", "--json"], { cwd: dir });
    const out = JSON.parse(fix.stdout) as { changes: unknown[]; needsHuman: { image: string; why: string }[] };
    expect(out.changes).toEqual([]);
    expect(out.needsHuman).toEqual([{ file: "kustomize/kustomization.yaml", line: 6, image: "k8s.gcr.io/external-dns/external-dns:v0.10.2", why: expect.stringMatching(/kustomize matches this name .* set newName: registry\.k8s\.io\/external-dns\/external-dns/) as unknown }]);
    expect(fix.status).toBe(1);
  });
});
