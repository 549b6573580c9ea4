// Differential check against the real gator: every suite must pass in both, every case must
// give the same violation messages, and the bypass corpus must get the same decisions (and
// the expected ones) from both engines; and a generated corpus of 31 templates of every shape
// (scripts/gator-corpus) agrees with gator verify case by case and message by message.
// Exits 1 on any disagreement.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { parse, stringify } from "yaml";
import type { ConstraintTemplate } from "../src/core/constraint-template.js";
import { readTemplateFile } from "../src/io/load-definitions.js";
import { findFiles } from "../src/io/find-files.js";
import { runSuite } from "../src/io/run-suites.js";
import { readAnywhere } from "../src/io/project-boundary.js";
import { loadEngine } from "../src/rego/engine.js";
import { reviewObjects } from "../src/rego/evaluate.js";
import { TemplateCache } from "../src/rego/template-cache.js";
import { readSuite, type Suite } from "../src/rego/suite.js";
import { CORPUS_FILES, readCorpus } from "../test/support/bypass-corpus.js";
import { gatorPath, gatorTest, requireGatorVersion } from "./gator-support.js";
import { checkGeneratedCorpus } from "./gator-corpus/differential.js";
import { checkMutationCorpus } from "./gator-corpus/mutation-differential.js";

const root = resolve(import.meta.dirname, "..");
const gator = gatorPath();
const cache = new TemplateCache(await loadEngine());
let passed = 0;
let failed = 0;
const check = (ok: boolean, what: string, detail = "") => {
  if (ok) passed++;
  else {
    failed++;
    console.log(`DISAGREE ${what}${detail ? `\n  ${detail}` : ""}`);
  }
};
const sorted = (xs: string[]) => [...xs].sort();

console.log(`gator: ${requireGatorVersion(gator)}`);
for (const suiteFile of findFiles(join(root, "constraint-templates"), (n) => n === "suite.yaml")) {
  const verify = spawnSync(gator, ["verify", "-v", suiteFile], { encoding: "utf8" });
  const gatorCases = new Map<string, boolean>();
  for (const m of verify.stdout.matchAll(/^\s+--- (PASS|FAIL): (\S+)/gm)) gatorCases.set(m[2] as string, m[1] === "PASS");
  const ours = await runSuite(suiteFile, cache, readAnywhere());
  check(verify.status === 0, `gator verify ${suiteFile}`, verify.stdout + verify.stderr);
  for (const c of ours) {
    check(gatorCases.get(c.case) === (c.status === "pass"), `${c.suite} ${c.test}/${c.case}: azpol ${c.status}, gator ${gatorCases.get(c.case) ? "pass" : "fail/missing"}`);
  }
  const suite = readSuite(parse(readFileSync(suiteFile, "utf8"))) as Suite;
  const base = dirname(suiteFile);
  for (const test of suite.tests) {
    for (const kase of test.cases) {
      const files = [test.template, test.constraint, kase.object].map((f) => join(base, f));
      const theirs = gatorTest(gator, files).map((r) => r.msg);
      const mine = ours.find((o) => o.test === test.name && o.case === kase.name)?.violations.map((v) => v.msg) ?? [];
      check(JSON.stringify(sorted(theirs)) === JSON.stringify(sorted(mine)), `messages for ${test.name}/${kase.name}`, `gator: ${JSON.stringify(sorted(theirs))}\n  azpol: ${JSON.stringify(sorted(mine))}`);
    }
  }
}

const scratch = mkdtempSync(join(tmpdir(), "azpol-gator-"));
try {
  // Generated templates of every shape (scripts/gator-corpus), each with a suite.
  const corpus = await checkGeneratedCorpus(gator, cache, join(scratch, "corpus"), check);
  // Gatekeeper mutation: azpol's mutate op against gator expand, mutator by mutator
  const mutation = await checkMutationCorpus(gator, cache.engine, join(scratch, "mutation"), check);
  console.log(`mutation corpus: ${mutation.compared} mutator × Pod cases compared with gator expand (${mutation.changed} changed the Pod, ${mutation.refused} refused by both)`);
  console.log(`generated corpus: ${corpus.families} templates, ${corpus.cases} cases compared (${Object.entries(corpus.engines).map(([e, n]) => `${n} judged by ${e}`).join(", ")}), ${corpus.unsupported} reported unsupported on Azure (data.inventory)`);
  for (const file of CORPUS_FILES) {
    const corpus = readCorpus(root, file);
    const template = readTemplateFile(corpus.templateFile) as ConstraintTemplate;
    const constraintDoc = { apiVersion: "constraints.gatekeeper.sh/v1beta1", kind: template.kind, metadata: { name: "corpus" }, spec: { parameters: corpus.parameters } };
    const constraintFile = join(scratch, "constraint.yaml");
    const objectsFile = join(scratch, "objects.yaml");
    writeFileSync(constraintFile, stringify(constraintDoc));
    writeFileSync(objectsFile, corpus.cases.map((c) => stringify(c.object)).join("---\n"));
    const byName = new Map<string, string[]>();
    for (const r of gatorTest(gator, [corpus.templateFile, constraintFile, objectsFile])) {
      const name = r.violatingObject?.metadata?.name ?? "";
      byName.set(name, [...(byName.get(name) ?? []), r.msg]);
    }
    const constraint = { kind: template.kind, name: "corpus", match: undefined, parameters: corpus.parameters, enforcementAction: "deny" };
    const ours = await reviewObjects(cache, [{ template, constraint }], corpus.cases.map((c) => c.object));
    corpus.cases.forEach((c, i) => {
      const theirs = sorted(byName.get(c.object.metadata?.name ?? "") ?? []);
      const mine = sorted((ours[i] ?? []).map((v) => v.msg));
      check(JSON.stringify(theirs) === JSON.stringify(mine), `${file} ${JSON.stringify(c.image)} (${c.why})`, `gator: ${JSON.stringify(theirs)}\n  azpol: ${JSON.stringify(mine)}`);
      check((theirs.length > 0 ? "deny" : "allow") === c.expect, `${file} gator decision for ${JSON.stringify(c.image)} expected ${c.expect} (${c.why})`);
    });
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
