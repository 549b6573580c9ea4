// Which files azpol fix and azpol mirror read, through the real CLI. The oracle for "what holds
// objects" is azpol test -R, which reads folders as kubectl apply -f -R does (checked against
// kubectl's reader in manifest-reading.e2e.test.ts): after fix, every object test still denies is
// in a file fix named as skipped or not checked, never passed over in silence. Policy sources are
// never edited; a file too deep to parse, a packaged subchart and an unreadable file are named and
// keep the run from claiming success; a symlinked file is read (and diffed) once, and the patch
// applies with the real git apply; a `Kustomization` (kustomize's third name) is fixed and
// kustomize's render then passes.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { azpolAsync } from "../support/cli.js";
import { findHelm } from "../support/helm.js";

const work = mkdtempSync(join(tmpdir(), "azpol-fix-files-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const pod = (name: string, image = "k8s.gcr.io/pause:3.9") => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\nspec: {containers: [{name: c, image: "${image}"}]}\n`;

interface NotRead {
  path: string;
  reason: string;
}
interface FixJson {
  changes: { file: string; oldImage: string; newImage: string }[];
  problems: { file: string; message: string }[];
  skipped: NotRead[];
  notChecked: NotRead[];
}

beforeAll(async () => {
  mkdirSync(join(work, "seed"));
  const made = await azpolAsync(["new", "--preset", "k8s-gcr-deprecation"], { cwd: join(work, "seed") });
  if (made.status !== 0) throw new Error(made.stderr);
});

function project(name: string, files: Record<string, string>): string {
  const dir = join(work, name);
  for (const folder of ["definitions", "constraint-templates"]) cpSync(join(work, "seed", folder), join(dir, folder), { recursive: true });
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(dir, file, ".."), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  return dir;
}

const deniedFiles = async (dir: string, args: string[]) => {
  const run = await azpolAsync(["test", ...args, "--json"], { cwd: dir });
  const out = JSON.parse(run.stdout) as { objects: { file: string; verdict: string }[] };
  return [...new Set(out.objects.filter((o) => o.verdict === "violations").map((o) => o.file))].sort();
};

describe("azpol fix and mirror read what kubectl reads, or name it", () => {
  it("JSON manifests, dotfiles, out/ and golden/ are fixed; a dot folder and other files are named; what test -R still denies is only what fix named", async () => {
    const dir = project("walk", {
      "m/a.yaml": pod("a"),
      "m/.dot.yaml": pod("dot"),
      "m/out/o.yaml": pod("o"),
      "m/golden/g.yaml": pod("g"),
      "m/.hidden/h.yaml": pod("h"),
      "m/b.json": '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"j"},"spec":{"containers":[{"name":"c","image":"k8s.gcr.io/j"}]}}\n',
      "m/package.json": '{"name": "not-a-manifest"}\n',
      "m/README.md": "image: k8s.gcr.io/pause:3.9\n",
    });
    expect(await deniedFiles(dir, ["-R", "m"])).toEqual(["m/.dot.yaml", "m/.hidden/h.yaml", "m/a.yaml", "m/b.json", "m/golden/g.yaml", "m/out/o.yaml"]);
    const run = await azpolAsync(["fix", "m", "--json"], { cwd: dir });
    expect(run.status, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout) as FixJson;
    expect(out.changes.map((c) => c.file).sort()).toEqual(["m/.dot.yaml", "m/a.yaml", "m/b.json", "m/golden/g.yaml", "m/out/o.yaml"]);
    expect(out.skipped.map((s) => s.path)).toEqual(["m/.hidden", "m/README.md", "m/package.json"]);
    expect(out.skipped[0]?.reason).toMatch(/dot folder.*azpol fix m\/\.hidden/);
    // the JSON manifest stays JSON, with only the image changed
    expect(JSON.parse(readFileSync(join(dir, "m/b.json"), "utf8"))).toMatchObject({ spec: { containers: [{ image: "registry.k8s.io/j" }] } });
    // the oracle: what is still denied is exactly what fix named as skipped
    expect(await deniedFiles(dir, ["-R", "m"])).toEqual(["m/.hidden/h.yaml"]);
    const text = await azpolAsync(["fix", "m", "--dry-run"], { cwd: dir });
    expect(text.stderr).toContain("skipped m/.hidden: a dot folder");
    expect(text.stderr).toContain("skipped 1 file(s), not a YAML, JSON or kustomization file: m/README.md");
    // named as a path, the dot folder is read
    expect((JSON.parse((await azpolAsync(["fix", "m/.hidden", "--json"], { cwd: dir })).stdout) as FixJson).changes.map((c) => c.file)).toEqual(["m/.hidden/h.yaml"]);
    // mirror names the same
    const mirror = await azpolAsync(["mirror", "--registry", "myacr.azurecr.io", "m", "--json"], { cwd: dir });
    expect((JSON.parse(mirror.stdout) as { skipped: NotRead[] }).skipped.map((s) => s.path)).toEqual(["m/.hidden", "m/README.md", "m/package.json"]);
  });

  it("never edits policy sources: assignments/, the --definitions folder wherever it is, even when named as a path", async () => {
    const assignment = "name: gcr\ndefinition: k8s-gcr-deprecation\nscopes: [/subscriptions/00000000-0000-0000-0000-000000000000]\nparameters:\n  blockedRegistries: [k8s.gcr.io, k8s.gcr.io/google-containers]\n";
    const dir = project("policy", { "assignments/gcr.yaml": assignment, "initiatives/i/initiative.yaml": "name: i\nimage: k8s.gcr.io/pause:3.9\n", "k8s/app.yaml": pod("app") });
    cpSync(join(dir, "definitions"), join(dir, "policies"), { recursive: true });
    // a block rule that has an image's shape: fix once moved it, so the policy blocked its replacement
    const definition = join(dir, "policies/k8s-gcr-deprecation/definition.yaml");
    const before = readFileSync(definition, "utf8").replace("      - k8s.gcr.io\n", "      - k8s.gcr.io\n      - k8s.gcr.io/google-containers\n");
    expect(before).toContain("k8s.gcr.io/google-containers");
    writeFileSync(definition, before);
    for (const args of [["fix", "--json"], ["fix", "--definitions", "policies", "--json"], ["fix", "assignments/gcr.yaml", "policies", "--definitions", "policies", "--json"]]) {
      const run = await azpolAsync(args, { cwd: dir });
      const out = JSON.parse(run.stdout) as FixJson;
      expect(out.changes.filter((c) => !c.file.startsWith("k8s/")), args.join(" ")).toEqual([]);
      for (const s of out.skipped.filter((s) => /^(assignments|policies|initiatives|definitions)/.test(s.path))) expect(s.reason).toMatch(/never edits policy sources/);
    }
    const named = JSON.parse((await azpolAsync(["fix", "assignments/gcr.yaml", "policies", "--definitions", "policies", "--json"], { cwd: dir })).stdout) as FixJson;
    expect(named.skipped.map((s) => s.path)).toEqual(["assignments/gcr.yaml", "policies"]);
    expect(readFileSync(join(dir, "assignments/gcr.yaml"), "utf8")).toBe(assignment);
    expect(readFileSync(join(dir, "policies/k8s-gcr-deprecation/definition.yaml"), "utf8")).toBe(before);
    expect(readFileSync(join(dir, "k8s/app.yaml"), "utf8")).toBe(pod("app", "registry.k8s.io/pause:3.9"));
  });

  it("a file nested 3,000 levels deep is a problem that names it; the other files are still fixed and mirrored (never exit 70)", async () => {
    let deep = "a:\n";
    for (let i = 0; i < 3000; i++) deep += `${"  ".repeat(i + 1)}k:\n`;
    const dir = project("deep", { "d/deep.yaml": `${deep}${"  ".repeat(3001)}v\n`, "d/a.yaml": pod("a") });
    const run = await azpolAsync(["fix", "d", "--json", "--dry-run"], { cwd: dir });
    expect(run.status, run.stderr).toBe(1);
    const out = JSON.parse(run.stdout) as FixJson;
    expect(out.changes.map((c) => c.file)).toEqual(["d/a.yaml"]);
    expect(out.problems).toEqual([{ file: "d/deep.yaml", line: 1, message: expect.stringMatching(/levels deep, over the \d+-level limit/) as unknown }]);
    const mirror = await azpolAsync(["mirror", "--registry", "myacr.azurecr.io", "d", "--json"], { cwd: dir });
    expect(mirror.status, mirror.stderr).toBe(1);
    const planned = JSON.parse(mirror.stdout) as { problems: string[]; cacheRules: unknown[] };
    expect(planned.problems).toEqual([expect.stringMatching(/^d\/deep\.yaml: cannot read: this file is nested/)]);
    expect(planned.cacheRules).toHaveLength(1);
  });

  it("a file reached through a symlink is read and diffed once, and the --dry-run patch applies with git apply", async () => {
    const dir = project("link", { "m/real/r.yaml": pod("r") });
    symlinkSync("real/r.yaml", join(dir, "m/in.yaml"));
    const git = (...args: string[]) => spawnSync("git", ["-c", "user.email=t@t", "-c", "user.name=t", ...args], { cwd: dir, encoding: "utf8" });
    git("init", "-q");
    git("add", "-A");
    git("commit", "-qm", "start");
    const run = await azpolAsync(["fix", "m", "--dry-run"], { cwd: dir });
    expect(run.status).toBe(1);
    expect(run.stdout.match(/^\+\+\+ /gm)).toHaveLength(1);
    expect(run.stderr).toContain("skipped m/in.yaml: the same file as m/real/r.yaml (through a symbolic link)");
    expect(run.stderr).toMatch(/1 to move/);
    writeFileSync(join(work, "link.diff"), run.stdout);
    const apply = git("apply", join(work, "link.diff"));
    expect(apply.stderr).toBe("");
    expect(readFileSync(join(dir, "m/real/r.yaml"), "utf8")).toBe(pod("r", "registry.k8s.io/pause:3.9"));
  });

  it("a packaged subchart (charts/*.tgz) is named as not checked, and the run does not claim success", async () => {
    const dir = project("subchart", {
      "dep/Chart.yaml": "apiVersion: v2\nname: dep\nversion: 0.1.0\n",
      "dep/values.yaml": 'image:\n  repository: k8s.gcr.io/dep\n  tag: "1.0"\n',
      "dep/templates/pod.yaml": 'apiVersion: v1\nkind: Pod\nmetadata: {name: dep}\nspec:\n  containers:\n  - name: c\n    image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"\n',
      "c2/Chart.yaml": 'apiVersion: v2\nname: c2\nversion: 0.1.0\ndependencies:\n- {name: dep, version: 0.1.0, repository: "file://../dep"}\n',
      "c2/values.yaml": "{}\n",
    });
    const helm = findHelm();
    // what `helm dependency update` makes; without helm, the same layout made by tar
    const packed = helm ? spawnSync(helm, ["dependency", "update", "c2"], { cwd: dir, encoding: "utf8", env: { ...process.env, HELM_CACHE_HOME: join(work, ".helm"), HELM_CONFIG_HOME: join(work, ".helm"), HELM_DATA_HOME: join(work, ".helm") } }) : (mkdirSync(join(dir, "c2/charts")), spawnSync("tar", ["czf", "c2/charts/dep-0.1.0.tgz", "dep"], { cwd: dir, encoding: "utf8" }));
    expect(packed.status, packed.stderr).toBe(0);
    if (helm) expect(spawnSync(helm, ["template", "c2"], { cwd: dir, encoding: "utf8" }).stdout).toContain("k8s.gcr.io/dep:1.0");
    const run = await azpolAsync(["fix", "c2", "--json"], { cwd: dir });
    expect(run.status, run.stderr).toBe(1);
    expect((JSON.parse(run.stdout) as FixJson).notChecked).toEqual([{ path: "c2/charts/dep-0.1.0.tgz", reason: expect.stringMatching(/^packaged subchart: .*run helm dependency update after fixing its source, or unpack it/) as unknown }]);
    const text = await azpolAsync(["fix", "c2"], { cwd: dir });
    expect(text.stderr).toMatch(/c2\/charts\/dep-0\.1\.0\.tgz: not checked: packaged subchart/);
    expect(text.stderr).toMatch(/1 file\(s\) not checked/);
    const mirror = await azpolAsync(["mirror", "--registry", "myacr.azurecr.io", "c2", "--json"], { cwd: dir });
    expect(mirror.status).toBe(1);
    expect((JSON.parse(mirror.stdout) as { problems: string[] }).problems).toEqual([expect.stringMatching(/^c2\/charts\/dep-0\.1\.0\.tgz: not checked: packaged subchart/)]);
  });

  it("a kustomization named Kustomization is fixed, and kustomize's render then passes", async () => {
    const dir = project("kustomization", {
      "k3/deploy.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: web, image: registry.k8s.io/web:1.0}]}\n",
      "k3/Kustomization": 'resources:\n- deploy.yaml\nimages:\n- name: registry.k8s.io/web\n  newName: k8s.gcr.io/web\n  newTag: "2.0"\n',
    });
    expect((await azpolAsync(["test", "-k", "k3", "-q"], { cwd: dir })).status).toBe(1);
    const run = await azpolAsync(["fix", "k3", "--json"], { cwd: dir });
    expect(run.status, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as FixJson).changes.map((c) => `${c.file} ${c.newImage}`)).toEqual(["k3/Kustomization registry.k8s.io/web:2.0"]);
    const after = await azpolAsync(["test", "-k", "k3"], { cwd: dir });
    expect(after.status, after.stdout + after.stderr).toBe(0);
  });

  it("mirror names files it cannot read as problems (exit 1), as fix does", async () => {
    const dir = project("mirror-broken", { "mp/broken.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: x\nspec: {containers: [{name: c, image: k8s.gcr.io/y}]}\n", "mp/nowhere.yaml": "" });
    rmSync(join(dir, "mp/nowhere.yaml"));
    symlinkSync("gone.yaml", join(dir, "mp/nowhere.yaml"));
    const mirror = await azpolAsync(["mirror", "--registry", "myacr.azurecr.io", "mp", "--json"], { cwd: dir });
    expect(mirror.status).toBe(1);
    const problems = (JSON.parse(mirror.stdout) as { problems: string[] }).problems;
    expect(problems).toEqual([expect.stringMatching(/^mp\/nowhere\.yaml: cannot read: /), expect.stringMatching(/^mp\/broken\.yaml:\d+: cannot read: /)]);
    const fix = JSON.parse((await azpolAsync(["fix", "mp", "--json"], { cwd: dir })).stdout) as FixJson;
    expect(fix.problems.map((p) => p.file)).toEqual(["mp/nowhere.yaml", "mp/broken.yaml"]);
  });
});
