// `azpol fix --dry-run > p.diff && git apply p.diff` must turn every file into exactly what
// `azpol fix` writes, byte for byte, on a generated corpus of the shapes that once broke the
// patch (3 of 51 real files were "corrupt patch"): no final newline, blank and whitespace-only
// last lines, CRLF, a UTF-8 byte-order mark, tabs, changes on the first and last line, changes
// close together (one hunk) and far apart (two), file names with spaces. The oracle is the real
// `git apply` (no --unidiff-zero, no whitespace fixing). Images that need a human go to stderr:
// stdout is the patch alone. The corpus is seeded (AZPOL_ORACLE_SEED replays another one).
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Random, oracleSeed } from "../oracle/random.js";
import { CLI, azpolAsync } from "../support/cli.js";

const work = mkdtempSync(join(tmpdir(), "azpol-fix-corpus-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const FILES = 48;

/** One generated YAML file (a sequence of maps per document, so every line is valid YAML): its
 * lines (without endings) and how they are joined and ended. */
function generate(random: Random, n: number): { name: string; bytes: Buffer } {
  const lines: string[] = [];
  const filler = () =>
    random.pick([
      "# a comment",
      "#\ta comment after a tab",
      "- note: \"tab\tinside\"   \t# trailing tab",
      "",
      "   ",
      "- labels: {app: web}",
      "- replicas: 2",
      "---",
    ]);
  const image = () =>
    random.pick([
      `- image: k8s.gcr.io/pause:3.${random.int(10)}`,
      `- image: "k8s.gcr.io/etcd:3.5.${random.int(9)}"   # keep`,
      `- {name: c, image: 'k8s.gcr.io/coredns:1.${random.int(12)}'}`,
      "- image: registry.k8s.io/pause:3.9",
      `- image: quay.io/team/app:${random.int(99)}`, // denied by the allow list, no replacement: needs a human
    ]);
  if (random.chance(0.3)) lines.push(image()); // a change on the first line
  const body = 2 + random.int(20);
  for (let i = 0; i < body; i++) lines.push(random.chance(0.25) ? image() : filler());
  if (random.chance(0.3)) lines.push(image()); // ... and on the last
  const ending = random.pick(["none", "newline", "blank", "blanks", "spaces"] as const);
  const eol = random.chance(0.35) ? "\r\n" : "\n";
  let text = lines.join(eol);
  if (ending === "newline") text += eol;
  if (ending === "blank") text += eol + eol;
  if (ending === "blanks") text += eol.repeat(2 + random.int(3));
  if (ending === "spaces") text += `${eol}  ${eol} \t`;
  const bom = random.chance(0.3) ? "\uFEFF" : "";
  const name = `${n % 5 === 0 ? "with space " : ""}m${n}-${eol === "\r\n" ? "crlf" : "lf"}-${ending}${bom ? "-bom" : ""}.yaml`;
  return { name, bytes: Buffer.from(bom + text, "utf8") };
}

let seed: string;
let corpus: { name: string; bytes: Buffer }[];

beforeAll(async () => {
  seed = join(work, "seed");
  mkdirSync(seed);
  for (const args of [["new", "--preset", "k8s-gcr-deprecation"], ["new", "--preset", "allowed-registries", "--registry", "registry.k8s.io"]]) {
    const made = await azpolAsync(args, { cwd: seed });
    if (made.status !== 0) throw new Error(made.stderr);
  }
  const random = new Random(oracleSeed());
  corpus = Array.from({ length: FILES }, (_, n) => generate(random, n));
  mkdirSync(join(seed, "k8s"));
  for (const f of corpus) writeFileSync(join(seed, "k8s", f.name), f.bytes);
});

const copy = (name: string) => {
  const dir = join(work, name);
  cpSync(seed, dir, { recursive: true });
  return dir;
};

it("every dry-run diff applies with git apply and gives exactly the bytes fix writes", async () => {
  const dry = copy("dry");
  const written = copy("written");
  // raw bytes: a byte-order mark or a CR must reach the patch file unchanged
  const run = spawnSync(process.execPath, [CLI, "fix", "--dry-run", "k8s"], { cwd: dry });
  expect(run.status).toBe(1);
  const stdout = run.stdout;
  const stderr = run.stderr.toString("utf8");
  // the patch alone on stdout; what needs a human is on stderr
  expect(stdout.toString("utf8")).not.toMatch(/needs a human/);
  expect(stderr).toMatch(/needs a human: quay\.io\/team\/app/);
  expect(stderr).not.toMatch(/cannot read/);
  for (const f of corpus) expect(readFileSync(join(dry, "k8s", f.name))).toEqual(f.bytes);
  writeFileSync(join(work, "fix.diff"), stdout);
  const apply = spawnSync("git", ["apply", "-p1", "--whitespace=nowarn", join(work, "fix.diff")], { cwd: dry, encoding: "utf8" });
  expect({ status: apply.status, stderr: apply.stderr }).toEqual({ status: 0, stderr: "" });

  const wrote = await azpolAsync(["fix", "k8s"], { cwd: written });
  expect(wrote.status, wrote.stderr).toBe(1); // the quay.io images still need a human
  let changed = 0;
  for (const name of readdirSync(join(written, "k8s"))) {
    const after = readFileSync(join(written, "k8s", name));
    expect({ name, bytes: readFileSync(join(dry, "k8s", name)) }).toEqual({ name, bytes: after });
    const before = corpus.find((f) => f.name === name)?.bytes as Buffer;
    if (!after.equals(before)) changed++;
    // only image scalars changed: same line count, same endings, same byte-order mark
    expect(after.toString("utf8").split("\n").length).toBe(before.toString("utf8").split("\n").length);
    expect(after.subarray(0, 3).equals(Buffer.from("\uFEFF"))).toBe(before.subarray(0, 3).equals(Buffer.from("\uFEFF")));
    expect(after.toString("utf8").replace(/k8s\.gcr\.io/g, "registry.k8s.io")).toBe(before.toString("utf8").replace(/k8s\.gcr\.io/g, "registry.k8s.io"));
  }
  // the corpus exercises the patch: most files change
  expect(changed).toBeGreaterThan(FILES / 2);
});

it("a hunk beside a secret (a SAS or token in a URL query) is withheld from the patch and named on stderr; the rest applies", async () => {
  const dry = copy("secret-dry");
  const written = copy("secret-written");
  const SAS = "sv=2024-11-04&sr=b&sig=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA%3D%3D";
  const TOKEN = "ghp_1234567890abcdefABCDEF1234567890";
  // three changes: one two lines from a SAS URL, one far from anything, one beside a token query
  const before = [
    "- image: k8s.gcr.io/pause:3.1",
    `- values: {url: "https://acct.blob.core.windows.net/c/v.yaml?${SAS}"}`,
    ...Array.from({ length: 8 }, (_, i) => `- replicas: ${i}`),
    "- image: k8s.gcr.io/pause:3.2",
    ...Array.from({ length: 8 }, (_, i) => `- labels: {n: "${i}"}`),
    `- env: {HOOK: "https://hooks.example.com/x?token=${TOKEN}"}`,
    "- image: k8s.gcr.io/pause:3.3",
    "",
  ].join("\n");
  for (const dir of [dry, written]) {
    rmSync(join(dir, "k8s"), { recursive: true });
    mkdirSync(join(dir, "k8s"));
    writeFileSync(join(dir, "k8s", "app.yaml"), before);
  }
  const run = spawnSync(process.execPath, [CLI, "fix", "--dry-run", "k8s"], { cwd: dry, encoding: "utf8" });
  expect(run.status).toBe(1);
  // never a secret, on either stream
  for (const secret of ["Zm9vYmFyYmF6", TOKEN]) expect(run.stdout + run.stderr).not.toContain(secret);
  expect(run.stderr).toMatch(/app\.yaml:1: needs a human: this change is not in the patch: a line beside it holds what looks like a secret/);
  expect(run.stderr).toMatch(/app\.yaml:\d+: needs a human: this change is not in the patch/g);
  expect(run.stderr.match(/this change is not in the patch/g)).toHaveLength(2);
  // the patch holds the one clean hunk, and applies as printed
  expect(run.stdout.match(/^@@ /gm)).toHaveLength(1);
  writeFileSync(join(work, "secret.diff"), run.stdout);
  const apply = spawnSync("git", ["apply", "-p1", join(work, "secret.diff")], { cwd: dry, encoding: "utf8" });
  expect({ status: apply.status, stderr: apply.stderr }).toEqual({ status: 0, stderr: "" });
  expect(readFileSync(join(dry, "k8s", "app.yaml"), "utf8")).toBe(before.replace("k8s.gcr.io/pause:3.2", "registry.k8s.io/pause:3.2"));
  // fix itself writes all three (writing is not printing)
  const wrote = await azpolAsync(["fix", "k8s"], { cwd: written });
  expect(wrote.status, wrote.stderr).toBe(0);
  expect(readFileSync(join(written, "k8s", "app.yaml"), "utf8")).toBe(before.replace(/k8s\.gcr\.io/g, "registry.k8s.io"));
  expect(wrote.stdout + wrote.stderr).not.toContain(TOKEN);
});
