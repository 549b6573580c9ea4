// Property-based fuzzing of the CLI as a careless or hostile user drives it: generated
// definition sources, manifests, suites and command lines, each run as a real process in a
// scratch project. Whatever the input: the exit code is 0-4 (never 70, "internal error"), no
// stack trace is printed, no file outside out/ changes, and the run ends in bounded time.
// Seeded (AZPOL_FUZZ_SEED) and sized (AZPOL_FUZZ_RUNS); a failure prints the shrunk input.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import fc from "fast-check";
import { afterAll, expect, it } from "vitest";
import { CLI } from "../support/cli.js";
import { generateManifest } from "../oracle/manifest-corpus.js";
import { Random } from "../oracle/random.js";

const root = join(import.meta.dirname, "..", "..");
const scratch = mkdtempSync(join(tmpdir(), "azpol-fuzz-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const SEED = Number.parseInt(process.env.AZPOL_FUZZ_SEED ?? "424242", 10);
const RUNS = Number.parseInt(process.env.AZPOL_FUZZ_RUNS ?? "60", 10);
const RUN_LIMIT_MS = 60_000;

const base = readFileSync(join(root, "definitions", "k8s-gcr-deprecation", "definition.yaml"), "utf8");
// an initiative over the fuzzed definition and the shipped one, with exemptions to mutate
const initiativeBase = `name: fuzz-set
displayName: Fuzz set
parameters:
  hint: { type: String, default: x }
definitions:
  - definition: k8s-gcr-deprecation
    referenceId: gcr
    parameters: { message: "[parameters('hint')]" }
  - definition: allowed-registries
exemptions:
  - name: e1
    category: Waiver
    expiresOn: 2099-01-01T00:00:00Z
    scope: rg-demo
    referenceIds: [gcr]
`;

// --- generated inputs ---
const nasty = fc.constantFrom("", " ", "\u202e", "\u200b", "\u0000", "~", "null", "[]", "{}", "*a", "&a x", "<<: *a", "'", '"', "\\", "\t", "\n---\n", "../../../etc/passwd", "/dev/zero", "💥", "é", "9".repeat(40), "-1", "1e309", "!!binary AAA=", "%YAML 1.1");
const mutation = fc.record({ at: fc.nat(), del: fc.nat({ max: 12 }), insert: fc.oneof(nasty, fc.string({ maxLength: 12 })) });
const mutated = (start: string) =>
  fc.array(mutation, { maxLength: 4 }).map((ms) =>
    ms.reduce((text, m) => {
      const at = m.at % (text.length + 1);
      return text.slice(0, at) + m.insert + text.slice(at + m.del);
    }, start),
  );
const definitionText = mutated(base);
const initiativeText = fc.oneof(mutated(initiativeBase), fc.constant(""), nasty);
const manifestText = fc.oneof(fc.integer().map((seed) => generateManifest(new Random(seed))), fc.string({ maxLength: 200 }), nasty);
const suiteText = fc.record({ template: fc.oneof(nasty, fc.constantFrom("../constraint-templates/disallowed-registries/template.yaml", "missing.yaml", "/dev/zero", ".")), object: fc.oneof(nasty, fc.constantFrom("m.yaml", "/dev/null", "..")), assertions: fc.constantFrom("[]", "[{violations: yes}]", "[{violations: -1}]", "[{message: '(?i)x'}]", "nope") }).map(
  (s) => `kind: Suite\napiVersion: test.gatekeeper.sh/v1alpha1\ntests:\n- name: t\n  template: ${JSON.stringify(s.template)}\n  constraint: ../constraint-templates/disallowed-registries/samples/k8s-gcr-io/constraint.yaml\n  cases:\n  - name: c\n    object: ${JSON.stringify(s.object)}\n    assertions: ${s.assertions}\n`,
);
const value = fc.oneof(nasty, fc.string({ maxLength: 20 }), fc.constantFrom("out", "definitions", ".", "..", "/dev/null", "/proc/self", "m.yaml", "suite.yaml", "effect=Audit", "labelSelector={}", "x=1", "0", "99999", "https://example.com/t.yaml", "http://x", "mg:..", "rg-demo"));
const command = fc.oneof(
  fc.tuple(fc.constant(["validate"]), fc.array(fc.constantFrom("--json", "definitions", "m.yaml"), { maxLength: 2 })),
  fc.tuple(fc.constant(["build"]), fc.array(fc.oneof(fc.constantFrom("--json", "--force"), fc.tuple(fc.constantFrom("--out", "--format", "--param"), value)), { maxLength: 3 })),
  fc.tuple(fc.constant(["test"]), fc.array(fc.oneof(fc.constantFrom("--json", "-q", "m.yaml", "suite.yaml", "suites"), fc.tuple(fc.constantFrom("--param", "--definitions", "--eval-timeout", "--eval-memory"), value)), { maxLength: 3 })),
  fc.tuple(fc.constant(["new"]), fc.array(fc.oneof(fc.constantFrom("--json", "--force", "--list"), fc.tuple(fc.constantFrom("--preset", "--registry", "--name", "--dir", "--templates", "--effect", "--template-url", "--initiative", "--members", "--definitions"), value)), { maxLength: 4 })),
  fc.tuple(fc.constant(["deploy", "--dry-run"]), fc.array(fc.oneof(fc.constantFrom("--json", "--yes"), fc.tuple(fc.constantFrom("--scope", "--param", "--concurrency", "--request-timeout", "--credential-timeout"), value)), { maxLength: 3 })),
  fc.tuple(fc.constant(["status"]), fc.array(fc.oneof(fc.constantFrom("--json", "--all"), fc.tuple(fc.constantFrom("--scope", "--max-retries"), value)), { maxLength: 2 })),
  fc.array(value, { minLength: 1, maxLength: 3 }).map((args) => [[] as string[], args] as const),
);
// (an argv string cannot hold a NUL byte: the OS refuses it before azpol runs)
const argv = command.map(([cmd, rest]) => [...cmd, ...rest.flatMap((r) => (Array.isArray(r) ? r : [r]))].map((a) => a.replaceAll("\u0000", "")));

// --- the property ---
function snapshot(dir: string, skip: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, e.name);
      if (full === skip || full.startsWith(`${skip}/`)) continue;
      if (e.isDirectory()) walk(full);
      else if (e.isFile()) files.set(relative(dir, full), createHash("sha256").update(readFileSync(full)).digest("hex"));
      else files.set(relative(dir, full), `special:${statSync(full).mode}`);
    }
  };
  walk(dir);
  return files;
}

let n = 0;
it(`${RUNS} generated inputs: exit 0-4, no stack trace, nothing outside out/ touched, bounded time (seed ${SEED})`, () => {
  fc.assert(
    fc.property(definitionText, initiativeText, manifestText, suiteText, argv, (definition, initiative, manifest, suite, args) => {
      const dir = join(scratch, `p${n++}`);
      cpSync(join(root, "constraint-templates"), join(dir, "constraint-templates"), { recursive: true });
      mkdirSync(join(dir, "definitions", "fuzz"), { recursive: true });
      writeFileSync(join(dir, "definitions", "fuzz", "definition.yaml"), definition.replace("../../constraint-templates", "../../constraint-templates"));
      mkdirSync(join(dir, "definitions", "allowed-registries"), { recursive: true });
      cpSync(join(root, "definitions", "allowed-registries", "definition.yaml"), join(dir, "definitions", "allowed-registries", "definition.yaml"));
      mkdirSync(join(dir, "initiatives", "fuzz"), { recursive: true });
      writeFileSync(join(dir, "initiatives", "fuzz", "initiative.yaml"), initiative);
      writeFileSync(join(dir, "m.yaml"), manifest);
      mkdirSync(join(dir, "suites"));
      writeFileSync(join(dir, "suites", "suite.yaml"), suite);
      writeFileSync(join(dir, "suite.yaml"), suite.replaceAll("../constraint-templates", "constraint-templates"));
      // the folder build may write: --out's value (the last one given), else out/
      const outFlag = args.lastIndexOf("--out");
      const outDir = resolve(dir, outFlag >= 0 && args[outFlag + 1] !== undefined ? (args[outFlag + 1] as string) : "out");
      const before = snapshot(dir, outDir);
      const run = spawnSync(process.execPath, [CLI, ...args], {
        cwd: dir,
        encoding: "utf8",
        timeout: RUN_LIMIT_MS,
        // never reach Azure: no az on PATH, only the CLI credential, a closed loopback ARM
        env: { PATH: "/usr/bin:/bin", HOME: dir, AZURE_TOKEN_CREDENTIALS: "AzureCliCredential", AZURE_CONFIG_DIR: join(dir, ".azure"), AZPOL_ARM_ENDPOINT: "https://127.0.0.1:9", AZURE_SUBSCRIPTION_ID: "00000000-0000-0000-0000-000000000001", AZPOL_CACHE_DIR: join(scratch, "cache") },
      });
      const after = snapshot(dir, outDir);
      const changed = [...new Set([...before.keys(), ...after.keys()])].filter((f) => before.get(f) !== after.get(f) && !f.startsWith("definitions/fuzz/") && !/^(definitions|constraint-templates|initiatives)\/[^/]+\/(definition\.yaml|template\.yaml|initiative\.yaml)$/.test(f));
      const said = `${run.stdout}\n${run.stderr}`;
      expect({ args, signal: run.signal, status: run.status }).toMatchObject({ signal: null });
      expect([0, 1, 2, 3, 4], `azpol ${JSON.stringify(args)} exited ${run.status}: ${run.stderr.slice(0, 500)}`).toContain(run.status);
      expect(said, `azpol ${JSON.stringify(args)}`).not.toMatch(/internal error|^\s+at .+:\d+:\d+\)?$/m);
      // `new` may scaffold into definitions/, initiatives/ and constraint-templates/; nothing else may change
      expect(changed, `azpol ${JSON.stringify(args)} changed files outside its --out folder`).toEqual([]);
      rmSync(dir, { recursive: true, force: true });
    }),
    { seed: SEED, numRuns: RUNS, endOnFailure: true },
  );
}, 1_800_000);
