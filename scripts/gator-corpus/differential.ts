// The generated corpus against the real gator, two ways:
//  1. every case gets the same outcome from `gator verify` and `azpol test` (pass, fail, skip);
//     the only allowed difference is a case azpol reports unsupported on Azure (data.inventory);
//  2. azpol's violations are pinned as assertions (exact count, each exact message once per
//     occurrence) in a second suite, which `gator verify` must pass case by case: so gator
//     produced exactly azpol's messages, whatever engine and review path decided them.
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parse, stringify } from "yaml";
import { runSuite, type CaseResult } from "../../src/io/run-suites.js";
import { readAnywhere } from "../../src/io/project-boundary.js";
import type { TemplateCache } from "../../src/rego/template-cache.js";
import { FAMILIES, pinnedSuite, writeCorpus } from "./write-corpus.js";

export type Check = (ok: boolean, what: string, detail?: string) => void;

interface GatorOutcome {
  cases: Map<string, "pass" | "fail" | "skip">;
  tests: Map<string, "pass" | "fail" | "skip">;
  output: string;
}

export function gatorVerify(gator: string, suiteFile: string): GatorOutcome {
  const run = spawnSync(gator, ["verify", "-v", suiteFile], { encoding: "utf8" });
  const output = run.stdout + run.stderr;
  const cases = new Map<string, "pass" | "fail" | "skip">();
  const tests = new Map<string, "pass" | "fail" | "skip">();
  for (const m of output.matchAll(/^( *)(?:--- (PASS|FAIL):|=== (SKIP)) +(\S+)/gm)) {
    const status = (m[2] ?? m[3] ?? "").toLowerCase() as "pass" | "fail" | "skip";
    ((m[1] ?? "").length ? cases : tests).set(m[4] as string, status);
  }
  return { cases, tests, output };
}

const UNSUPPORTED = /not supported: Azure blocks synced data/;

export async function checkGeneratedCorpus(gator: string, cache: TemplateCache, dir: string, check: Check): Promise<{ families: number; cases: number; unsupported: number; engines: Record<string, number> }> {
  const suites = writeCorpus(dir);
  let cases = 0;
  let unsupported = 0;
  const engines: Record<string, number> = {};
  for (const suiteFile of suites) {
    const theirs = gatorVerify(gator, suiteFile);
    const ours = await runSuite(suiteFile, cache, readAnywhere());
    const shown = suiteFile.slice(dir.length + 1);
    for (const c of ours) {
      if (c.engine && c.case) engines[c.engine] = (engines[c.engine] ?? 0) + 1;
      const gatorStatus = c.case ? theirs.cases.get(c.case) : theirs.tests.get(c.test);
      const mine = c.status === "error" ? "fail" : c.status;
      if (c.status === "error" && c.problems.some((p) => UNSUPPORTED.test(p))) {
        unsupported++;
        check(gatorStatus !== undefined, `${shown} ${c.case}: reported unsupported by azpol, and gator ran it`, theirs.output);
        continue;
      }
      cases++;
      // gator prints no case lines for a skipped test, or for one that failed before its cases
      // ran (template or constraint not added): each such case has the test's outcome
      const testStatus = theirs.tests.get(c.test);
      const expected = gatorStatus ?? (testStatus === "skip" || testStatus === "fail" ? testStatus : undefined);
      check(expected === mine, `${shown} ${c.test}/${c.case}: azpol ${c.status}${c.problems.length ? ` (${c.problems.join("; ")})` : ""}, gator ${expected ?? "missing"}`, expected === mine ? "" : theirs.output);
    }
    checkPinnedMessages(gator, suiteFile, ours, check);
  }
  return { families: FAMILIES.length, cases, unsupported, engines };
}

function checkPinnedMessages(gator: string, suiteFile: string, ours: CaseResult[], check: Check): void {
  const messages = new Map<string, string[]>();
  for (const c of ours) if (c.case && (c.status === "pass" || c.status === "fail")) messages.set(c.case, c.violations.map((v) => v.msg));
  if (messages.size === 0) return;
  const pinnedFile = join(dirname(suiteFile), "pinned-suite.yaml");
  writeFileSync(pinnedFile, stringify(pinnedSuite(parse(readFileSync(suiteFile, "utf8")) as Record<string, unknown>, messages)));
  const theirs = gatorVerify(gator, pinnedFile);
  for (const [name, msgs] of messages) {
    check(theirs.cases.get(name) === "pass", `${pinnedFile}: gator's violations for ${name} are exactly azpol's ${JSON.stringify(msgs)}`, theirs.output);
  }
}
