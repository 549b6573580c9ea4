// Issue 21, item 1 and 7: every command that writes goes through the guarded writer. Hostile
// template names cannot move a write outside its folder (import, new --from-template); a local
// template is copied into the project so new → validate → build works wherever it was; fix writes
// through symlinks inside its path and refuses those pointing outside (exit 1, with a message),
// keeps a BOM and UTF-16, and follows an image behind a YAML alias; impossible exemption dates
// are errors.
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
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
