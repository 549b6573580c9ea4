// Issue 21, item 9: the commands added since the first audit, fuzzed with generated hostile
// input: import (a Base64 template whose name or body is hostile), new --from-template (a file
// and a URL with userinfo and a SAS), publish (bad account URLs, connection strings, container
// names), fix (mutated manifests with aliases and a symlink out of the project), impact - (deep
// and mutated streams on stdin), deploy --plan (mutated plan files), and since round two fix --dry-run
// beside a SAS, status (hostile scopes and --deadline values), mirror (hostile registries) and
// validate --online --deadline. For each: the exit code
// is 0-4 (never 70), no stack trace, nothing outside the project changes, and no URL secret is
// printed. Seeded (AZPOL_FUZZ_SEED) and sized (AZPOL_FUZZ_HOSTILE_RUNS, default 8 for npm test; full runs: AZPOL_FUZZ_HOSTILE_RUNS=500).
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, expect, it } from "vitest";
import { CLI } from "../support/cli.js";

const root = join(import.meta.dirname, "..", "..");
const scratch = mkdtempSync(join(tmpdir(), "azpol-hostile-fuzz-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const SEED = Number.parseInt(process.env.AZPOL_FUZZ_SEED ?? "212121", 10);
const RUNS = Number.parseInt(process.env.AZPOL_FUZZ_HOSTILE_RUNS ?? "8", 10);
const SECRETS = ["SECRETPW", "SIGSECRET", "KEYSECRET"];
const template = readFileSync(join(root, "constraint-templates", "allowed-registries", "template.yaml"), "utf8");
const policy = readFileSync(join(root, "definitions", "allowed-registries", "golden", "policy.json"), "utf8");

const hostileName = fc.constantFrom("../../../victim", "..", "a/b", "x\u202eevil", "con", " lead", "k8sazpolallowedregistries", "ok-name", "é".repeat(200));
const mutate = (start: string) =>
  fc.array(fc.record({ at: fc.nat(), del: fc.nat({ max: 8 }), insert: fc.constantFrom("", "*a", "&a ", "[[[[", "{", "'", "\u0000", "\n---\n", "../", "\uFEFF", "[".repeat(3000)) }), { maxLength: 3 }).map((ms) =>
    ms.reduce((t, m) => {
      const at = m.at % (t.length + 1);
      return t.slice(0, at) + m.insert + t.slice(at + m.del);
    }, start),
  );
const pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p, annotations: {base: &img k8s.gcr.io/pause:3.9}}\nspec:\n  containers:\n  - name: c\n    image: *img\n";
const plan = JSON.stringify({ azpolPlan: 1, createdAt: "2026-01-01T00:00:00Z", owner: "default", azpolVersion: "0.1.0", digest: "0".repeat(64), plan: { scope: "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg", items: [{ kind: "definition", action: "create", id: "/x", name: "x", currentDigest: "absent" }] } });

interface Case {
  args: string[];
  files: Record<string, string>;
  env?: Record<string, string>;
  input?: string;
  outsideLink?: boolean;
}

const command: fc.Arbitrary<Case> = fc.oneof<fc.Arbitrary<Case>[]>(
  fc.tuple(hostileName, mutate(template)).map(([name, text]) => ({ args: ["import", "in.json", "--name", "imp", "--force", "--json"], files: { "in.json": policy.replace(/"content": "[^"]*"/, `"content": ${JSON.stringify(Buffer.from(text.replace("k8sazpolallowedregistries", name)).toString("base64"))}`) } })),
  fc.tuple(hostileName, mutate(template)).map(([name, text]) => ({ args: ["new", "--from-template", "t.yaml", "--force"], files: { "t.yaml": text.replace("k8sazpolallowedregistries", name) } })),
  fc.constantFrom("https://admin:SECRETPW@127.0.0.1:9/t.yaml?sv=1&sig=SIGSECRET", "https://127.0.0.1:9/t.yaml?sig=SIGSECRET&token=KEYSECRET", "http://u:SECRETPW@127.0.0.1:9/x").map((url) => ({ args: ["new", "--from-template", url, "--json"], files: {} })),
  fc.tuple(fc.constantFrom("https://", "https://u:SECRETPW@acct.blob.core.windows.net", "http://x", "ftp://a", ""), fc.constantFrom("", "Bad--Name", "ok-container", "a")).map(([url, container]) => ({ args: ["publish", "--account-url", url, "--container", container, "--request-timeout", "1"], files: {} })),
  fc.constant<Case>({ args: ["publish", "--request-timeout", "1"], files: {}, env: { AZPOL_STORAGE_CONNECTION_STRING: "garbage;AccountKey=KEYSECRET;BlobEndpoint=https://127.0.0.1:9/x" } }),
  mutate(pod).map((text) => ({ args: ["fix", "k8s", "--json"], files: { "k8s/m.yaml": text }, outsideLink: true })),
  mutate(pod).map((text) => ({ args: ["impact", "-", "--json"], files: {}, input: text })),
  mutate(plan).map((text) => ({ args: ["deploy", "--plan", "plan.json", "--yes", "--json"], files: { "plan.json": text } })),
  // round two: a manifest line holding a SAS beside an image (the dry-run patch must not print it)
  mutate(pod.replace("metadata: {name: p,", "metadata: {name: p, labels: {src: 'https://a.blob.core.windows.net/c?sv=1&sig=SIGSECRET'},")).map((text) => ({ args: ["fix", "k8s", "--dry-run"], files: { "k8s/m.yaml": text } })),
  // status and mirror: hostile scopes, registries and budgets (ARM is an address nothing answers on)
  fc.tuple(fc.constantFrom("mg:", "/subscriptions/", "../../x", "rg\u202eevil", "https://u:SECRETPW@x/subscriptions/1", "/subscriptions/00000000-0000-0000-0000-000000000001"), fc.constantFrom("1", "0", "-1", "soon", "1e9", "")).map(([scope, deadline]) => ({ args: ["status", "--scope", scope, "--deadline", deadline, "--json", "--max-retries", "0"], files: {} })),
  fc.tuple(fc.constantFrom("myacr.azurecr.io", "../x", "u:SECRETPW@acr.azurecr.io", "https://acr.azurecr.io", "", "acr.azurecr.io/\u202e"), mutate(pod)).map(([registry, text]) => ({ args: ["mirror", "--registry", registry, "k8s", "--json"], files: { "k8s/m.yaml": text } })),
  fc.constantFrom("1", "soon", "0", "86401").map((deadline) => ({ args: ["validate", "--online", "--deadline", deadline, "--json"], files: {} })),
);

it(`${RUNS} hostile inputs to import, new --from-template, publish, fix, impact -, deploy --plan, status, mirror and validate --online: exit 0-4, no stack trace, nothing written outside, no secret printed (seed ${SEED})`, () => {
  let n = 0;
  fc.assert(
    fc.property(command, (c: Case) => {
      const base = join(scratch, `r${n++}`);
      const dir = join(base, "a", "b", "project");
      mkdirSync(dir, { recursive: true });
      const victim = join(base, "victim.yaml");
      writeFileSync(victim, pod);
      cpSync(join(root, "constraint-templates"), join(dir, "constraint-templates"), { recursive: true });
      mkdirSync(join(dir, "definitions", "k8s-gcr-deprecation"), { recursive: true });
      cpSync(join(root, "definitions", "k8s-gcr-deprecation", "definition.yaml"), join(dir, "definitions", "k8s-gcr-deprecation", "definition.yaml"));
      for (const [file, text] of Object.entries(c.files)) {
        mkdirSync(join(dir, file, ".."), { recursive: true });
        writeFileSync(join(dir, file), text);
      }
      if (c.outsideLink) symlinkSync(victim, join(dir, "k8s", "outside.yaml"));
      const run = spawnSync(process.execPath, [CLI, ...c.args], {
        cwd: dir,
        encoding: "utf8",
        input: c.input ?? "",
        timeout: 120_000,
        env: { PATH: "/usr/bin:/bin", HOME: dir, AZURE_TOKEN_CREDENTIALS: "AzureCliCredential", AZURE_CONFIG_DIR: join(dir, ".azure"), AZPOL_ARM_ENDPOINT: "https://127.0.0.1:9", AZURE_SUBSCRIPTION_ID: "00000000-0000-0000-0000-000000000001", AZPOL_CACHE_DIR: join(scratch, "cache"), AZPOL_TEMPLATE_FETCH_TIMEOUT_MS: "3000", ...c.env },
      });
      const said = `${run.stdout}\n${run.stderr}`;
      const shown = `azpol ${JSON.stringify(c.args)}`;
      expect(run.signal, shown).toBeNull();
      expect([0, 1, 2, 3, 4], `${shown} exited ${run.status}: ${run.stderr.slice(0, 500)}`).toContain(run.status);
      expect(said, shown).not.toMatch(/internal error|^\s+at .+:\d+:\d+\)?$/m);
      for (const s of SECRETS) expect(said, `${shown} printed a secret`).not.toContain(s);
      // nothing outside the project: the victim beside it and the folders above it are untouched
      expect(readFileSync(victim, "utf8"), `${shown} wrote outside the project`).toBe(pod);
      expect(spawnSync("find", [base, "-path", dir, "-prune", "-o", "-type", "f", "-print"], { encoding: "utf8" }).stdout.trim().split("\n"), `${shown} created files outside the project`).toEqual([victim]);
      rmSync(base, { recursive: true, force: true });
    }),
    { seed: SEED, numRuns: RUNS, endOnFailure: true },
  );
}, 1_800_000);
