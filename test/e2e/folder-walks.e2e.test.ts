// Two classes of silent or crashing folder walks a first-time user found, through the real CLI:
//   - a gator Suite anywhere below a folder made `azpol test <folder>` read none of the folder's
//     manifests, and say nothing about it (a k8s.gcr.io Pod passed with "23 passed", exit 0);
//   - a subfolder that cannot be listed (EACCES: another account's data volume) was an internal
//     error (exit 70) in test, fix, validate and build. It is now named: a skipped path or a
//     problem where the command can go on without it, an error that names it where it cannot.
// The unreadable folder is real: as root the commands run as `nobody` (runuser), since root
// lists any folder; as another account the folder's mode is 000.
import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { azpol, CLI } from "../support/cli.js";

const root = join(import.meta.dirname, "..", "..");
const dir = mkdtempSync(join(tmpdir(), "azpol-folder-walks-"));
chmodSync(dir, 0o755); // readable by the unprivileged account below
afterAll(() => {
  for (const locked of lockedFolders) chmodSync(locked, 0o755);
  rmSync(dir, { recursive: true, force: true });
});
cpSync(join(root, "definitions"), join(dir, "definitions"), { recursive: true, filter: (s) => !s.includes("golden") });
cpSync(join(root, "constraint-templates"), join(dir, "constraint-templates"), { recursive: true });
const POD = (name: string, image: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: shop}\nspec: {containers: [{name: c, image: ${image}}]}\n`;
const SUITE = "kind: Suite\napiVersion: test.gatekeeper.sh/v1alpha1\nmetadata: {name: empty}\ntests: []\n";

describe("a folder with a suite below it", () => {
  mkdirSync(join(dir, "app", "tests"), { recursive: true });
  writeFileSync(join(dir, "app", "pod.yaml"), POD("old", "k8s.gcr.io/pause:3.9"));
  writeFileSync(join(dir, "app", "tests", "suite.yaml"), SUITE);

  it("still has its own manifests read and judged; the suite's folder is the suite's", () => {
    const run = azpol(["test", "app", "--param", "effect=Deny", "--json"], { cwd: dir });
    const out = JSON.parse(run.stdout) as { ok: boolean; objects: { object: string; verdict: string }[]; skipped: unknown[] };
    expect(out.objects.map((o) => [o.object, o.verdict])).toEqual([["v1 Pod shop/old", "violations"]]);
    expect(out.skipped).toEqual([]);
    expect(out.ok).toBe(false);
    expect(run.status).toBe(1);
    // with -R too: the suite's folder holds its fixtures, not manifests
    writeFileSync(join(dir, "app", "tests", "object.yaml"), POD("fixture", "k8s.gcr.io/pause:3.9"));
    const recursive = JSON.parse(azpol(["test", "app", "-R", "--param", "effect=Deny", "--json"], { cwd: dir }).stdout) as typeof out;
    expect(recursive.objects.map((o) => o.object)).toEqual(["v1 Pod shop/old"]);
  });

  it("the project's root: its suites run, and the folders of files it does not read without -R are named", () => {
    mkdirSync(join(dir, "k8s"), { recursive: true });
    writeFileSync(join(dir, "k8s", "app.yaml"), POD("old", "k8s.gcr.io/pause:3.9"));
    const run = azpol(["test", ".", "--json"], { cwd: dir });
    const out = JSON.parse(run.stdout) as { cases: unknown[]; skipped: { path: string; reason: string }[] };
    expect(out.cases.length).toBeGreaterThan(0);
    expect(out.skipped.find((s) => s.path === "k8s")?.reason).toMatch(/pass -R/);
    // a folder that held only suites (and their files) ran them: nothing in it is left unread
    expect(out.skipped.map((s) => s.path)).not.toContain("constraint-templates");
  });

  it("a suite without a case checks nothing, and says so (it printed nothing and exited 0)", () => {
    const run = azpol(["test", join("app", "tests")], { cwd: dir });
    expect(run.stderr).toMatch(/nothing was checked: the suite app\/tests\/suite\.yaml holds no test case/);
    expect(run.status).toBe(2);
  });

  it("a suite's own folder is read as gator verify reads it: no manifests, nothing named", () => {
    const run = azpol(["test", join("constraint-templates", "disallowed-registries"), "--json"], { cwd: dir });
    const out = JSON.parse(run.stdout) as { cases: unknown[]; objects: unknown[]; skipped: unknown[] };
    expect(out.cases.length).toBeGreaterThan(0);
    expect(out.objects).toEqual([]);
    expect(out.skipped).toEqual([]);
    expect(run.status).toBe(0);
  });
});

describe("a FIFO given where a folder or file of sources is expected", () => {
  it("is a usage error that names it (it was walked as a folder: ENOTDIR, an internal error)", () => {
    const fifo = join(dir, "pipe.yaml");
    if (spawnSync("mkfifo", [fifo]).status !== 0) return; // no mkfifo (Windows): nothing to check
    writeFileSync(join(dir, "one.yaml"), POD("one", "nginx"));
    for (const args of [["validate", "pipe.yaml"], ["build", "pipe.yaml", "--out", "out"], ["fix", "pipe.yaml", "--dry-run"], ["test", "--definitions", "pipe.yaml", "one.yaml"]]) {
      const run = azpol(args, { cwd: dir });
      expect(run.stderr, args.join(" ")).toMatch(/pipe\.yaml is not a regular file or a folder \(a FIFO, device or socket\)/);
      expect(run.status, args.join(" ")).toBe(2);
    }
  });
});

// The account the commands run as, so that a folder can really be unlistable for them.
const asRoot = process.getuid?.() === 0;
const hasRunuser = asRoot && spawnSync("runuser", ["--help"]).status === 0;
const unprivileged = (args: string[], cwd: string) => {
  const env = { ...process.env, AZPOL_CACHE_DIR: join(dir, "cache"), HOME: dir };
  const run = asRoot
    ? spawnSync("runuser", ["-u", "nobody", "--", process.execPath, CLI, ...args], { cwd, env, encoding: "utf8" })
    : spawnSync(process.execPath, [CLI, ...args], { cwd, env, encoding: "utf8" });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
};
const lockedFolders: string[] = [];
/** A folder the unprivileged account cannot list (owned by root with mode 700, or mode 000). */
function locked(path: string): void {
  mkdirSync(join(path, "inside"), { recursive: true });
  writeFileSync(join(path, "inside", "pod.yaml"), POD("hidden", "k8s.gcr.io/pause:3.9"));
  chmodSync(path, asRoot ? 0o700 : 0o000);
  lockedFolders.push(path);
}

describe.runIf(!asRoot || hasRunuser)("a folder that cannot be listed", () => {
  mkdirSync(join(dir, "cache"), { mode: 0o777 });
  chmodSync(join(dir, "cache"), 0o777);
  mkdirSync(join(dir, "m"));
  writeFileSync(join(dir, "m", "pod.yaml"), POD("old", "k8s.gcr.io/pause:3.9"));
  locked(join(dir, "m", "pgdata"));

  it("test: the folder's manifests are judged and the folder is named, never an internal error", () => {
    const run = unprivileged(["test", "m", "--param", "effect=Deny", "--json"], dir);
    expect(run.stderr).not.toMatch(/internal error/);
    const out = JSON.parse(run.stdout) as { objects: { object: string; verdict: string }[]; skipped: { path: string; reason: string }[] };
    expect(out.objects.map((o) => [o.object, o.verdict])).toEqual([["v1 Pod shop/old", "violations"]]);
    expect(out.skipped).toEqual([{ path: join("m", "pgdata"), reason: expect.stringMatching(/-R.*cannot be listed \(EACCES\), so suites in it, if any, did not run/) as unknown }]);
    expect(run.status).toBe(1);
  });

  it("fix: a problem names the folder whose files were not checked", () => {
    const run = unprivileged(["fix", "m", "--dry-run", "--json"], dir);
    expect(run.stderr).not.toMatch(/internal error/);
    const out = JSON.parse(run.stdout) as { problems: { file: string; message: string }[] };
    expect(out.problems).toContainEqual(expect.objectContaining({ file: join("m", "pgdata"), message: expect.stringMatching(/cannot be listed \(EACCES\); its files were not checked/) as unknown }));
    expect(run.status).toBe(1);
  });

  it("validate and build: an error that names the folder (exit 1), no output written", () => {
    locked(join(dir, "definitions", "zz"));
    for (const args of [["validate"], ["build", "--out", "out"]]) {
      const run = unprivileged(args, dir);
      expect(run.stderr).not.toMatch(/internal error/);
      expect(run.stderr).toMatch(/definitions\/zz cannot be listed \(EACCES\)/);
      expect(run.status).toBe(1);
    }
  });
});
