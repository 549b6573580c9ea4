// `azpol build` never loses a file it did not write (issue: `--out definitions` once deleted
// every source, and every build deleted terraform.tfstate beside the generated main.tf).
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { azpol } from "../support/cli.js";

const root = join(import.meta.dirname, "..", "..");
const scratch = mkdtempSync(join(tmpdir(), "azpol-build-output-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let n = 0;
function project(): string {
  const dir = join(scratch, `p${n++}`);
  cpSync(join(root, "definitions"), join(dir, "definitions"), { recursive: true, filter: (src) => !src.includes("golden") });
  cpSync(join(root, "constraint-templates"), join(dir, "constraint-templates"), { recursive: true });
  return dir;
}

function tree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" }).sort();
}

describe("--out is refused where it would touch sources", () => {
  it.each([["definitions"], ["constraint-templates"], ["constraint-templates/allowed-registries"], ["definitions/k8s-gcr-deprecation/out"], ["."], [".."]])("--out %s: exit 2, nothing changed", (out) => {
    const dir = project();
    const before = tree(dir);
    const run = azpol(["build", "--out", out], { cwd: dir });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/--out .* (overlaps|is the project folder)/);
    expect(tree(dir)).toEqual(before);
  });

  it.each([["a file", "notes.txt"], ["a path through a file", "notes.txt/out"], ["/dev/null", "/dev/null"], ["/proc", "/proc/self"], ["/sys", "/sys"]])("--out naming %s: exit 2 with a message, not an internal error", (_, out) => {
    const dir = project();
    writeFileSync(join(dir, "notes.txt"), "mine\n");
    const run = azpol(["build", "--out", out], { cwd: dir });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/--out|cannot write the build/);
    expect(readFileSync(join(dir, "notes.txt"), "utf8")).toBe("mine\n");
  });
});

describe("files beside the generated ones", () => {
  it("terraform state, .terraform/ and tfvars survive every rebuild", () => {
    const dir = project();
    expect(azpol(["build"], { cwd: dir }).status).toBe(0);
    const module = join(dir, "out", "k8s-gcr-deprecation");
    writeFileSync(join(module, "terraform.tfstate"), '{"version": 4}\n');
    writeFileSync(join(module, "prod.tfvars"), 'scope = "x"\n');
    mkdirSync(join(module, ".terraform", "providers"), { recursive: true });
    writeFileSync(join(module, ".terraform", "providers", "lock"), "x");
    const run = azpol(["build", "--param", "effect=Audit"], { cwd: dir });
    expect(run.status).toBe(0);
    expect(readFileSync(join(module, "terraform.tfstate"), "utf8")).toBe('{"version": 4}\n');
    expect(readFileSync(join(module, "prod.tfvars"), "utf8")).toBe('scope = "x"\n');
    expect(existsSync(join(module, ".terraform", "providers", "lock"))).toBe(true);
    expect(readFileSync(join(module, "policy.json"), "utf8")).toContain('"defaultValue": "Audit"');
  });

  it("a generated file edited by hand is not overwritten without --force", () => {
    const dir = project();
    expect(azpol(["build"], { cwd: dir }).status).toBe(0);
    const mainTf = join(dir, "out", "k8s-gcr-deprecation", "main.tf");
    writeFileSync(mainTf, readFileSync(mainTf, "utf8") + "# my edit\n");
    const run = azpol(["build", "--param", "effect=Audit"], { cwd: dir });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("main.tf");
    expect(readFileSync(mainTf, "utf8")).toContain("# my edit");
    expect(azpol(["build", "--param", "effect=Audit", "--force"], { cwd: dir }).status).toBe(0);
    expect(readFileSync(mainTf, "utf8")).not.toContain("# my edit");
  });

  it("a file azpol did not write is not overwritten", () => {
    const dir = project();
    mkdirSync(join(dir, "out", "k8s-gcr-deprecation"), { recursive: true });
    writeFileSync(join(dir, "out", "k8s-gcr-deprecation", "main.tf"), "# hand-written\n");
    const run = azpol(["build"], { cwd: dir });
    expect(run.status).toBe(1);
    expect(readFileSync(join(dir, "out", "k8s-gcr-deprecation", "main.tf"), "utf8")).toBe("# hand-written\n");
    expect(existsSync(join(dir, "out", "k8s-gcr-deprecation", "policy.json"))).toBe(false);
  });

  it("files of a removed definition go, unless edited; the user's files in that folder stay", () => {
    const dir = project();
    expect(azpol(["build"], { cwd: dir }).status).toBe(0);
    const gone = join(dir, "out", "allowed-registries");
    writeFileSync(join(gone, "terraform.tfstate"), "{}\n");
    writeFileSync(join(gone, "portal.json"), readFileSync(join(gone, "portal.json"), "utf8") + "\n");
    rmSync(join(dir, "definitions", "allowed-registries"), { recursive: true });
    const run = azpol(["build"], { cwd: dir });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("removed out/allowed-registries/policy.json");
    expect(run.stderr).toContain("kept out/allowed-registries/portal.json");
    expect(tree(gone)).toEqual(["portal.json", "terraform.tfstate"]);
  });
});

describe("azpol new refuses what it cannot scaffold correctly, before writing anything", () => {
  it.each([
    ["--registry on the k8s.gcr.io preset (its message would lie)", ["new", "--preset", "k8s-gcr-deprecation", "--registry", "myacr.azurecr.io"], /takes no --registry/],
    ["an http template URL", ["new", "--preset", "k8s-gcr-deprecation", "--template-url", "http://example.com/t.yaml"], /must be an https:\/\/ URL/],
    // a secret in the URL would go into a file meant for git and into templateInfo.url (Azure shows it in clear)
    ["a template URL with a SAS", ["new", "--preset", "k8s-gcr-deprecation", "--template-url", "https://acct.blob.core.windows.net/c/t.yaml?sv=2024-11-04&sig=SECRETSIG"], /t\.yaml\?sv=\*\*\*&sig=\*\*\* has a query string that looks like a SAS or token/],
    ["a template URL with a SAS, from a template", ["new", "--from-template", "notes.txt", "--template-url", "https://acct.blob.core.windows.net/c/t.yaml?sig=SECRETSIG"], /looks like a SAS or token/],
    ["--dir naming a file", ["new", "--preset", "k8s-gcr-deprecation", "--dir", "notes.txt"], /--dir: "notes.txt" is a file, not a folder/],
    ["--templates naming a file", ["new", "--preset", "k8s-gcr-deprecation", "--templates", "notes.txt"], /--templates: "notes.txt" is a file, not a folder/],
  ])("%s: exit 2, nothing written", (_, args, message) => {
    const dir = join(scratch, `new-${n++}`);
    mkdirSync(dir);
    writeFileSync(join(dir, "notes.txt"), "mine\n");
    const run = azpol(args, { cwd: dir });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toContain("SECRETSIG");
    expect(tree(dir)).toEqual(["notes.txt"]);
  });
});

describe("definitions and suites may only point inside the project", () => {
  function withTemplatePath(dir: string, path: string): void {
    const def = join(dir, "definitions", "k8s-gcr-deprecation", "definition.yaml");
    writeFileSync(def, readFileSync(def, "utf8").replace(/path: .*template\.yaml/, `path: ${path}`));
  }

  it("a template.path that climbs out of the project is refused; --allow-outside-project lifts it", () => {
    const dir = project();
    writeFileSync(join(scratch, "secret.txt"), "token=do-not-embed\n");
    withTemplatePath(dir, `../../../${relative(dir, join(scratch, "secret.txt")).split("/").slice(-1)[0] ?? ""}`);
    const run = azpol(["validate"], { cwd: dir });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/resolves outside the project .*--allow-outside-project/);
    expect(run.stdout + run.stderr).not.toContain("do-not-embed");
    const allowed = azpol(["validate", "--allow-outside-project"], { cwd: dir });
    expect(allowed.stderr).not.toMatch(/resolves outside the project/);
  });

  it("a symbolic link inside the project that points outside is refused too", () => {
    const dir = project();
    writeFileSync(join(scratch, "elsewhere.yaml"), readFileSync(join(root, "constraint-templates", "disallowed-registries", "template.yaml")));
    symlinkSync(join(scratch, "elsewhere.yaml"), join(dir, "constraint-templates", "link.yaml"));
    withTemplatePath(dir, "../../constraint-templates/link.yaml");
    const run = azpol(["build"], { cwd: dir });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/resolves outside the project/);
  });

  it("a suite object outside the project is an error for that case", () => {
    const dir = project();
    writeFileSync(join(scratch, "pod.yaml"), "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: nginx}]}\n");
    writeFileSync(
      join(dir, "suite.yaml"),
      `kind: Suite\napiVersion: test.gatekeeper.sh/v1alpha1\ntests:\n- name: t\n  template: constraint-templates/disallowed-registries/template.yaml\n  constraint: constraint-templates/disallowed-registries/samples/k8s-gcr-io/constraint.yaml\n  cases:\n  - name: outside\n    object: ${relative(dir, join(scratch, "pod.yaml"))}\n    assertions: [{violations: no}]\n`,
    );
    const run = azpol(["test", "suite.yaml"], { cwd: dir });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/ERR {2}t \/ outside: .*resolves outside the project/);
  });
});

describe("a template.path naming something that is not a small UTF-8 file is an error, never a hang or a crash", () => {
  const cases: [string, (dir: string) => string, string[], RegExp][] = [
    ["a FIFO", (dir) => (spawnSync("mkfifo", [join(dir, "constraint-templates", "fifo.yaml")]), "../../constraint-templates/fifo.yaml"), [], /is not a regular file \(a FIFO, device or socket\)/],
    ["a folder", () => "../../constraint-templates", [], /is a folder, not a file/],
    ["an empty path", () => '""', [], /must not be empty|is empty/],
    ["a binary file", (dir) => (writeFileSync(join(dir, "constraint-templates", "bin.yaml"), Buffer.from([0xff, 0xfe, 0x00, 0xd8, 0x00, 0x41, 0xc3, 0x28])), "../../constraint-templates/bin.yaml"), [], /is not valid UTF-8/],
    ["/dev/zero (with --allow-outside-project)", () => "/dev/zero", ["--allow-outside-project"], /is not a regular file/],
    ["a file over the size cap", () => "../../constraint-templates/disallowed-registries/template.yaml", [], /over the 0\.00 MiB limit|MiB limit \(raise it with AZPOL_MAX_FILE_BYTES/],
  ];
  it.each(cases)("%s: exit 1 with a message", (label, make, flags, message) => {
    const dir = project();
    const path = make(dir);
    const def = join(dir, "definitions", "k8s-gcr-deprecation", "definition.yaml");
    writeFileSync(def, readFileSync(def, "utf8").replace(/path: .*template\.yaml/, `path: ${path}`));
    const env = label.includes("size cap") ? { AZPOL_MAX_FILE_BYTES: "4096" } : {};
    const started = Date.now();
    const run = azpol(["validate", ...flags], { cwd: dir, env });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/internal error/);
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it("a definition source that is not valid UTF-8 is refused, not read with replacement characters", () => {
    const dir = project();
    const def = join(dir, "definitions", "k8s-gcr-deprecation", "definition.yaml");
    writeFileSync(def, Buffer.concat([Buffer.from("name: k8s-gcr-deprecation\ndisplayName: caf"), Buffer.from([0xe9]), Buffer.from("\n")]));
    const run = azpol(["build"], { cwd: dir });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/is not valid UTF-8/);
    expect(existsSync(join(dir, "out"))).toBe(false);
  });
});
