// Issue 21, item 1 and 7: every command that writes goes through the guarded writer. Hostile
// template names cannot move a write outside its folder (import, new --from-template); a local
// template is copied into the project so new → validate → build works wherever it was; fix writes
// through symlinks inside its path and refuses those pointing outside (exit 1, with a message),
// keeps a BOM and UTF-16, and follows an image behind a YAML alias; impossible exemption dates
// are errors.
import { createHash } from "node:crypto";
import { chmodSync, cpSync, existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { azpolAsync } from "../support/cli.js";

const root = join(import.meta.dirname, "..", "..");
const work = mkdtempSync(join(tmpdir(), "azpol-hostile-writes-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const shipped = readFileSync(join(root, "constraint-templates", "allowed-registries", "template.yaml"), "utf8");
const renamed = (name: string) => shipped.replace(/^(\s+name:) k8sazpolallowedregistries$/m, `$1 ${JSON.stringify(name)}`);
const templateText = stringify({
  apiVersion: "templates.gatekeeper.sh/v1",
  kind: "ConstraintTemplate",
  metadata: { name: "k8snolatest" },
  spec: { crd: { spec: { names: { kind: "K8sNoLatest" } } }, targets: [{ target: "admission.k8s.gatekeeper.sh", rego: 'package k8snolatest\nviolation[{"msg": "latest"}] { endswith(input.review.object.spec.containers[_].image, ":latest") }\n' }] },
});
let n = 0;
const fresh = () => {
  const dir = join(work, `p${n++}`, "a", "b", "project");
  mkdirSync(dir, { recursive: true });
  return dir;
};
/** every file under `work` outside `project` (nothing may appear there) */
const outsideFiles = (project: string) => {
  const found: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, e.name);
      if (full === project) continue;
      if (e.isDirectory()) walk(full);
      else found.push(full);
    }
  };
  walk(join(project, "..", "..", ".."));
  return found;
};

describe("names from input never leave their folder", () => {
  it.each(["../../../victim", "..", "a/b", "x\u202eevil"])("import of a Base64 template named %j: exit 2, nothing written outside", async (name) => {
    const project = fresh();
    const policy = JSON.parse(readFileSync(join(root, "definitions", "allowed-registries", "golden", "policy.json"), "utf8")) as { properties: { policyRule: { then: { details: { templateInfo: { content: string } } } } } };
    policy.properties.policyRule.then.details.templateInfo.content = Buffer.from(renamed(name)).toString("base64");
    writeFileSync(join(project, "in.json"), JSON.stringify(policy));
    const run = await azpolAsync(["import", "in.json", "--name", "imported", "--json", "--force"], { cwd: project });
    expect(run.status, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/metadata\.name/);
    expect((JSON.parse(run.stdout) as { error: { code: string } }).error.code).toBe("WriteRefused");
    expect(outsideFiles(project)).toEqual([]);
    expect(existsSync(join(project, "definitions"))).toBe(false);
  });

  it("new --from-template of a file whose metadata.name climbs out: exit 2, nothing written", async () => {
    const project = fresh();
    writeFileSync(join(project, "t.yaml"), renamed("../../../victim"));
    const run = await azpolAsync(["new", "--from-template", "t.yaml", "--force"], { cwd: project });
    expect(run.status, run.stderr).toBe(2);
    expect(outsideFiles(project)).toEqual([]);
  });

  it("new --from-template with the template at the project root or outside it: new → validate → build all succeed", async () => {
    for (const where of ["root", "outside"]) {
      const project = fresh();
      const file = where === "root" ? join(project, "t.yaml") : join(project, "..", "t.yaml");
      writeFileSync(file, templateText);
      const made = await azpolAsync(["new", "--from-template", file, "--json"], { cwd: project });
      expect(made.status, made.stderr).toBe(0);
      expect(JSON.parse(made.stdout)).toMatchObject({ template: "constraint-templates/k8snolatest/template.yaml" });
      expect(readFileSync(join(project, "constraint-templates", "k8snolatest", "template.yaml"), "utf8")).toBe(templateText);
      const validate = await azpolAsync(["validate"], { cwd: project });
      expect(validate.status, validate.stderr).toBe(0);
      const build = await azpolAsync(["build"], { cwd: project });
      expect(build.status, `${where}: ${build.stderr}`).toBe(0);
    }
  }, 60_000);
});

describe("new --from-template accepts only what Azure accepts and enforces", () => {
  const withSchema = (properties: Record<string, unknown>, rego = 'package k8snolatest\nviolation[{"msg": "x"}] { false }\n') =>
    stringify({ apiVersion: "templates.gatekeeper.sh/v1", kind: "ConstraintTemplate", metadata: { name: "k8snolatest" }, spec: { crd: { spec: { names: { kind: "K8sNoLatest" }, validation: { openAPIV3Schema: { type: "object", properties } } } }, targets: [{ target: "admission.k8s.gatekeeper.sh", rego }] } });
  it("maps a property name that is not a safe parameter name (and says so), drops enum values of the wrong type (and says so); validate passes", async () => {
    const project = fresh();
    writeFileSync(join(project, "t.yaml"), withSchema({ "a'b": { type: "string" }, "x.y": { type: "integer" }, mode: { type: "string", enum: [1, "x"] } }));
    const run = await azpolAsync(["new", "--from-template", "t.yaml", "--json"], { cwd: project });
    expect(run.status, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout) as { renamed: string[]; skipped: string[] };
    expect(doc.renamed).toEqual([expect.stringMatching(/^"a'b" → a_b /), expect.stringMatching(/^"x\.y" → x_y /)]);
    expect(doc.skipped).toEqual([expect.stringMatching(/^mode: enum values \[1\] are not String/)]);
    const text = readFileSync(join(project, "definitions", "k8snolatest", "definition.yaml"), "utf8");
    expect(text).not.toMatch(/parameters\('a'b'\)/);
    const validate = await azpolAsync(["validate"], { cwd: project });
    expect(validate.status, validate.stdout + validate.stderr).toBe(0);
  });
  it("refuses Rego that reads data.inventory even without the requires-sync-data annotation", async () => {
    const project = fresh();
    writeFileSync(join(project, "t.yaml"), withSchema({}, 'package k8snolatest\nviolation[{"msg": "dup"}] { data.inventory.namespace[_] }\n'));
    const run = await azpolAsync(["new", "--from-template", "t.yaml"], { cwd: project });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/reads data\.inventory/);
  });
});

describe("fix writes only where it was pointed, the way the file was", () => {
  let seed = "";
  beforeAll(async () => {
    seed = fresh();
    const made = await azpolAsync(["new", "--preset", "k8s-gcr-deprecation"], { cwd: seed });
    if (made.status !== 0) throw new Error(made.stderr);
  });
  const project = () => {
    const dir = fresh();
    cpSync(join(seed, "definitions"), join(dir, "definitions"), { recursive: true });
    cpSync(join(seed, "constraint-templates"), join(dir, "constraint-templates"), { recursive: true });
    mkdirSync(join(dir, "k8s"));
    return dir;
  };
  const pod = (image: string) => stringify({ apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { containers: [{ name: "c", image }] } });

  it("writes through a symlink to a file inside the path; refuses one pointing outside (exit 1, target untouched)", async () => {
    const dir = project();
    writeFileSync(join(dir, "k8s", "real.yaml"), pod("k8s.gcr.io/pause:3.9"));
    symlinkSync("real.yaml", join(dir, "k8s", "link.yaml"));
    const inside = await azpolAsync(["fix", "k8s/link.yaml", "--json"], { cwd: dir });
    expect(inside.status, inside.stderr).toBe(0);
    expect(readFileSync(join(dir, "k8s", "real.yaml"), "utf8")).toContain("registry.k8s.io/pause:3.9");
    expect(lstatSync(join(dir, "k8s", "link.yaml")).isSymbolicLink()).toBe(true);

    const victim = join(dir, "..", "victim.yaml");
    writeFileSync(victim, pod("k8s.gcr.io/pause:3.9"));
    symlinkSync(victim, join(dir, "k8s", "out.yaml"));
    const outside = await azpolAsync(["fix", "k8s", "--json"], { cwd: dir });
    expect(outside.status, outside.stderr).toBe(1);
    const out = JSON.parse(outside.stdout) as { notWritten: string[]; problems: { message: string }[] };
    expect(out.notWritten).toEqual(["k8s/out.yaml"]);
    expect(out.problems[0]?.message).toMatch(/symbolic link.*outside/);
    expect(readFileSync(victim, "utf8")).toBe(pod("k8s.gcr.io/pause:3.9"));
    expect(lstatSync(join(dir, "k8s", "out.yaml")).isSymbolicLink()).toBe(true);
  });

  it("keeps a UTF-8 BOM, UTF-16 and CRLF byte for byte but for the image", async () => {
    const dir = project();
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const crlf = pod("k8s.gcr.io/pause:3.9").replace(/\n/g, "\r\n");
    writeFileSync(join(dir, "k8s", "bom.yaml"), Buffer.concat([bom, Buffer.from(crlf)]));
    writeFileSync(join(dir, "k8s", "utf16.yaml"), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(pod("k8s.gcr.io/etcd:3.5"), "utf16le")]));
    const run = await azpolAsync(["fix", "k8s", "--json"], { cwd: dir });
    expect(run.status, run.stderr).toBe(0);
    expect(readFileSync(join(dir, "k8s", "bom.yaml")).equals(Buffer.concat([bom, Buffer.from(crlf.replace("k8s.gcr.io", "registry.k8s.io"))]))).toBe(true);
    expect(readFileSync(join(dir, "k8s", "utf16.yaml")).equals(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(pod("registry.k8s.io/etcd:3.5"), "utf16le")]))).toBe(true);
  });

  it("follows an image behind a YAML alias to its anchor", async () => {
    const dir = project();
    const text = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    base: &pause k8s.gcr.io/pause:3.9\nspec:\n  containers:\n  - name: c\n    image: *pause\n`;
    writeFileSync(join(dir, "k8s", "alias.yaml"), text);
    const run = await azpolAsync(["fix", "k8s", "--json"], { cwd: dir });
    const out = JSON.parse(run.stdout) as { imagesChecked: number };
    expect(out.imagesChecked).toBeGreaterThan(0);
    expect(run.status, run.stderr).toBe(0);
    expect(readFileSync(join(dir, "k8s", "alias.yaml"), "utf8")).toBe(text.replace("&pause k8s.gcr.io", "&pause registry.k8s.io"));
  });
});

it("an exemption that expires on a date that does not exist is an error", async () => {
  const project = fresh();
  const made = await azpolAsync(["new", "--preset", "k8s-gcr-deprecation"], { cwd: project });
  expect(made.status, made.stderr).toBe(0);
  const file = join(project, "definitions", "k8s-gcr-deprecation", "definition.yaml");
  writeFileSync(file, `${readFileSync(file, "utf8")}\nexemptions:\n  - name: e1\n    category: Waiver\n    expiresOn: 2027-02-30\n`);
  const run = await azpolAsync(["validate", "--json"], { cwd: project });
  expect(run.status).toBe(1);
  expect(JSON.stringify(JSON.parse(run.stdout))).toMatch(/AZP2036.*does not exist|does not exist.*AZP2036/);
});

// Audit "hostile input" S1, S2, S6, S7, L2: writes and removals are confined by real paths, never
// through a hard link, never over a read-only file or a file azpol did not write, for every command.
describe("build, fix and bench --save touch nothing outside their folder, nor a file azpol did not write", () => {
  let seed = "";
  beforeAll(async () => {
    seed = fresh();
    const made = await azpolAsync(["new", "--preset", "k8s-gcr-deprecation", "-n", "ok"], { cwd: seed });
    if (made.status !== 0) throw new Error(made.stderr);
  });
  /** a project with its definition, built once into out/ (ARM only: the quickest build) */
  const built = async () => {
    const dir = fresh();
    cpSync(join(seed, "definitions"), join(dir, "definitions"), { recursive: true });
    cpSync(join(seed, "constraint-templates"), join(dir, "constraint-templates"), { recursive: true });
    const run = await azpolAsync(["build", "--format", "arm"], { cwd: dir });
    if (run.status !== 0) throw new Error(run.stderr);
    return dir;
  };
  const sha256 = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");
  const forgeManifest = (dir: string, rel: string, hash: string) => {
    const file = join(dir, "out", ".azpol-manifest.json");
    const manifest = JSON.parse(readFileSync(file, "utf8")) as { files: Record<string, string> };
    manifest.files[rel] = hash;
    writeFileSync(file, JSON.stringify(manifest));
  };
  const victimFolder = (dir: string) => {
    const victim = join(dir, "..", "victim");
    mkdirSync(victim, { recursive: true });
    return victim;
  };

  it("S1: a manifest line under a folder that links outside --out: the file is not removed, exit 2 naming it, nothing written", async () => {
    const dir = await built();
    const victim = victimFolder(dir);
    writeFileSync(join(victim, "policy.json"), "precious\n");
    forgeManifest(dir, join("gone", "policy.json"), sha256(join(victim, "policy.json")));
    symlinkSync(victim, join(dir, "out", "gone"));
    const manifestBefore = readFileSync(join(dir, "out", ".azpol-manifest.json"), "utf8");
    const run = await azpolAsync(["build", "--format", "arm", "--json"], { cwd: dir });
    expect(run.status, run.stderr).toBe(2);
    expect((JSON.parse(run.stdout) as { error: { message: string } }).error.message).toMatch(/gone.*symbolic link.*outside --out.*will not remove/);
    expect(readFileSync(join(victim, "policy.json"), "utf8")).toBe("precious\n");
    expect(readFileSync(join(dir, "out", ".azpol-manifest.json"), "utf8")).toBe(manifestBefore);
  });

  it("S1: a manifest line naming a symbolic link in --out: neither the link nor its target is removed", async () => {
    const dir = await built();
    const victim = victimFolder(dir);
    writeFileSync(join(victim, "target.json"), "precious\n");
    symlinkSync(join(victim, "target.json"), join(dir, "out", "stale.json"));
    forgeManifest(dir, "stale.json", sha256(join(victim, "target.json")));
    const run = await azpolAsync(["build", "--format", "arm"], { cwd: dir });
    expect(run.status, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/stale\.json.*symbolic link/);
    expect(lstatSync(join(dir, "out", "stale.json")).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(victim, "target.json"), "utf8")).toBe("precious\n");
  });

  it("S1: a stale file azpol wrote, reached by its real path inside --out, is still removed", async () => {
    const dir = await built();
    mkdirSync(join(dir, "out", "gone"));
    writeFileSync(join(dir, "out", "gone", "policy.json"), "old build\n");
    forgeManifest(dir, join("gone", "policy.json"), sha256(join(dir, "out", "gone", "policy.json")));
    const run = await azpolAsync(["build", "--format", "arm", "--json"], { cwd: dir });
    expect(run.status, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { removed: string[] }).removed).toEqual(["out/gone/policy.json"]);
    expect(existsSync(join(dir, "out", "gone"))).toBe(false);
  });

  it("a manifest that is a symbolic link to outside --out: refused before any file is written, the target untouched", async () => {
    const dir = await built();
    const victim = victimFolder(dir);
    const forged = `${JSON.stringify({ generatedBy: "azpol", files: {} })}\n`;
    writeFileSync(join(victim, "manifest.json"), forged);
    rmSync(join(dir, "out", ".azpol-manifest.json"));
    symlinkSync(join(victim, "manifest.json"), join(dir, "out", ".azpol-manifest.json"));
    rmSync(join(dir, "out", "ok", "policy.json"));
    const run = await azpolAsync(["build", "--format", "arm"], { cwd: dir });
    expect(run.status, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/azpol-manifest\.json.*symbolic link.*outside --out/);
    expect(existsSync(join(dir, "out", "ok", "policy.json"))).toBe(false);
    expect(readFileSync(join(victim, "manifest.json"), "utf8")).toBe(forged);
  });

  it.each([
    ["definitions/", "definitions", /overlaps/],
    ["the folder above the project", "..", /project folder or one above it/],
    ["the project itself", ".", /project folder or one above it/],
  ])("S2: --out through a symbolic link to %s is refused like the folder itself (exit 2, nothing written)", async (_what, to, message) => {
    const dir = fresh();
    cpSync(join(seed, "definitions"), join(dir, "definitions"), { recursive: true });
    cpSync(join(seed, "constraint-templates"), join(dir, "constraint-templates"), { recursive: true });
    symlinkSync(to, join(dir, "outlink"));
    const before = readdirSync(join(dir, "definitions", "ok")).sort();
    const above = readdirSync(join(dir, "..")).sort();
    // a folder below the link is inside definitions/ too (below ".." or "." it is a folder of its own)
    for (const out of to === "definitions" ? ["outlink", join("outlink", "sub")] : ["outlink"]) {
      const run = await azpolAsync(["build", "--format", "arm", "--out", out], { cwd: dir });
      expect(run.status, run.stderr).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).toMatch(/it leads to/);
    }
    expect(readdirSync(join(dir, "definitions", "ok")).sort()).toEqual(before);
    expect(readdirSync(join(dir, "..")).sort()).toEqual(above);
  });

  it("S7: a file in --out hard-linked to a file outside: build replaces its name and says so; the outside file keeps its bytes", async () => {
    const dir = await built();
    const victim = victimFolder(dir);
    writeFileSync(join(victim, "hl.json"), "precious\n");
    rmSync(join(dir, "out", "ok", "policy.json"));
    linkSync(join(victim, "hl.json"), join(dir, "out", "ok", "policy.json"));
    forgeManifest(dir, join("ok", "policy.json"), sha256(join(victim, "hl.json")));
    const run = await azpolAsync(["build", "--format", "arm", "--json"], { cwd: dir });
    expect(run.status, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { hardLinksBroken: string[] }).hardLinksBroken).toEqual(["out/ok/policy.json"]);
    expect(readFileSync(join(victim, "hl.json"), "utf8")).toBe("precious\n");
    expect(readFileSync(join(dir, "out", "ok", "policy.json"), "utf8")).toMatch(/"policyRule"/);
    expect(lstatSync(join(victim, "hl.json")).nlink).toBe(1);

    // --force over a hard link azpol never wrote: the same rule, said in text
    rmSync(join(dir, "out", "ok", "policy.json"));
    linkSync(join(victim, "hl.json"), join(dir, "out", "ok", "policy.json"));
    const forced = await azpolAsync(["build", "--format", "arm", "--force"], { cwd: dir });
    expect(forced.status, forced.stderr).toBe(0);
    expect(forced.stderr).toMatch(/note: out\/ok\/policy\.json had other names \(hard links\); azpol wrote a new file in its place/);
    expect(readFileSync(join(victim, "hl.json"), "utf8")).toBe("precious\n");
  });

  const pod = stringify({ apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { containers: [{ name: "c", image: "k8s.gcr.io/pause:3.1" }] } });

  it("S6: fix leaves a read-only (0444) file alone, whoever runs it (root included): exit 1, named", async () => {
    const dir = await built();
    writeFileSync(join(dir, "ro.yaml"), pod);
    chmodSync(join(dir, "ro.yaml"), 0o444);
    const run = await azpolAsync(["fix", "ro.yaml", "--json"], { cwd: dir });
    expect(run.status, run.stderr).toBe(1);
    const out = JSON.parse(run.stdout) as { notWritten: string[]; problems: { message: string }[] };
    expect(out.notWritten).toEqual(["ro.yaml"]);
    expect(out.problems.map((p) => p.message).join("\n")).toMatch(/read-only/);
    expect(readFileSync(join(dir, "ro.yaml"), "utf8")).toBe(pod);
  });

  it("S7: fix replaces a hard-linked file's name and says so; the other name keeps its bytes", async () => {
    const dir = await built();
    const victim = victimFolder(dir);
    writeFileSync(join(victim, "pod.yaml"), pod);
    mkdirSync(join(dir, "k8s"));
    linkSync(join(victim, "pod.yaml"), join(dir, "k8s", "pod.yaml"));
    const run = await azpolAsync(["fix", "k8s", "--json"], { cwd: dir });
    expect(run.status, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { writtenThrough: string[] }).writtenThrough).toEqual([expect.stringMatching(/^k8s\/pod\.yaml: had 1 other name \(hard link\); azpol wrote a new file in its place, so that name keeps the old content/)]);
    expect(readFileSync(join(dir, "k8s", "pod.yaml"), "utf8")).toContain("registry.k8s.io/pause:3.1");
    expect(readFileSync(join(victim, "pod.yaml"), "utf8")).toBe(pod);
  });

  it("L2: bench --save replaces only an earlier baseline, never another file (exit 2, left as it was)", async () => {
    const dir = await built();
    writeFileSync(join(dir, "pod.yaml"), pod);
    writeFileSync(join(dir, "mine.json"), "{}\n");
    const refusedRun = await azpolAsync(["bench", "pod.yaml", "--iterations", "1", "--save", "mine.json"], { cwd: dir });
    expect(refusedRun.status, refusedRun.stderr).toBe(2);
    expect(refusedRun.stderr).toMatch(/mine\.json.*is not an azpol bench baseline/);
    expect(readFileSync(join(dir, "mine.json"), "utf8")).toBe("{}\n");
    const first = await azpolAsync(["bench", "pod.yaml", "--iterations", "1", "--save", "base.json"], { cwd: dir });
    expect(first.status, first.stderr).toBe(0);
    const again = await azpolAsync(["bench", "pod.yaml", "--iterations", "1", "--save", "base.json"], { cwd: dir });
    expect(again.status, again.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, "base.json"), "utf8"))).toMatchObject({ kind: "azpol-bench-baseline", version: 1 });
  });
});
