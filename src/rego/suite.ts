// Gator-compatible suites (GK pkg/gator/verify): a Suite lists tests (template + constraint)
// and cases (object + assertions). Assertions: violations "yes" (default), "no" or a count,
// optionally only counting messages that match a regex.
import { asRecord } from "../core/constraint-template.js";
import type { Violation } from "./evaluate.js";

export interface SuiteAssertion {
  violations: "yes" | "no" | number;
  message?: string;
}

export interface SuiteCase {
  name: string;
  object: string;
  inventory: string[];
  skip: boolean;
  assertions: SuiteAssertion[];
}

export interface SuiteTest {
  name: string;
  template: string;
  constraint: string;
  skip: boolean;
  cases: SuiteCase[];
}

export interface Suite {
  name: string;
  tests: SuiteTest[];
}

export function isSuite(data: unknown): boolean {
  const r = asRecord(data);
  return r?.kind === "Suite" && typeof r.apiVersion === "string" && r.apiVersion.startsWith("test.gatekeeper.sh/");
}

export function readSuite(data: unknown): Suite | string {
  const r = asRecord(data);
  if (!r || !isSuite(data)) return "not a Suite (kind: Suite, apiVersion: test.gatekeeper.sh/v1alpha1)";
  const tests: SuiteTest[] = [];
  for (const [i, t] of (Array.isArray(r.tests) ? r.tests : []).entries()) {
    const test = asRecord(t);
    if (!test || typeof test.template !== "string" || typeof test.constraint !== "string") return `tests[${i}] needs template and constraint paths`;
    const cases: SuiteCase[] = [];
    for (const [j, c] of (Array.isArray(test.cases) ? test.cases : []).entries()) {
      const kase = asRecord(c);
      if (!kase || typeof kase.object !== "string") return `tests[${i}].cases[${j}] needs an object path`;
      const assertions: SuiteAssertion[] = [];
      for (const a of Array.isArray(kase.assertions) ? kase.assertions : []) {
        const ar = asRecord(a) ?? {};
        const v = ar.violations ?? "yes";
        const violations = v === "yes" || v === "no" ? v : typeof v === "number" && Number.isInteger(v) && v >= 0 ? v : undefined;
        if (violations === undefined) return `tests[${i}].cases[${j}]: violations must be yes, no or a whole number, got ${JSON.stringify(v)}`;
        assertions.push(typeof ar.message === "string" ? { violations, message: ar.message } : { violations });
      }
      cases.push({
        name: typeof kase.name === "string" ? kase.name : `case-${j}`,
        object: kase.object,
        inventory: Array.isArray(kase.inventory) ? kase.inventory.filter((x): x is string => typeof x === "string") : [],
        skip: kase.skip === true,
        assertions,
      });
    }
    tests.push({ name: typeof test.name === "string" ? test.name : `test-${i}`, template: test.template, constraint: test.constraint, skip: test.skip === true, cases });
  }
  const name = asRecord(r.metadata)?.name;
  return { name: typeof name === "string" ? name : "suite", tests };
}

/** Returns why the assertion fails, or undefined when it holds. */
export function checkAssertion(assertion: SuiteAssertion, violations: Violation[]): string | undefined {
  let counted = violations;
  if (assertion.message !== undefined) {
    let re: RegExp;
    try {
      re = new RegExp(assertion.message);
    } catch {
      return `message ${JSON.stringify(assertion.message)} is not a valid regular expression`;
    }
    counted = violations.filter((v) => re.test(v.msg));
  }
  const about = assertion.message === undefined ? "" : ` matching ${JSON.stringify(assertion.message)}`;
  const got = `got ${counted.length}${counted.length ? `: ${counted.map((v) => JSON.stringify(v.msg)).join("; ")}` : ""}`;
  if (assertion.violations === "yes" && counted.length === 0) return `expected violations${about}, got none`;
  if (assertion.violations === "no" && counted.length > 0) return `expected no violations${about}, ${got}`;
  if (typeof assertion.violations === "number" && counted.length !== assertion.violations) return `expected ${assertion.violations} violation(s)${about}, ${got}`;
  return undefined;
}
