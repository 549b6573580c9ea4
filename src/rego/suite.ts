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
  /** why gator would refuse this case (ErrInvalidCase), reported as the case's error */
  invalid?: string;
  /** azpol's extension (gator ignores it): the object expected after the test's mutation */
  mutated?: string;
}

export interface SuiteTest {
  name: string;
  template: string;
  constraint: string;
  /** an ExpansionTemplate: the object is checked as what it expands to (not supported yet) */
  expansion?: string;
  /**
   * azpol's extension (gator verify ignores unknown fields and runs no mutators): a Gatekeeper
   * mutator file applied to each case's object before it is reviewed, as admission mutates first
   */
  mutation?: string;
  /** the constraint is expected to be rejected by the template's schema (gator ErrValidConstraint otherwise) */
  invalid: boolean;
  skip: boolean;
  cases: SuiteCase[];
}

export interface Suite {
  name: string;
  skip: boolean;
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
      const kase = asRecord(c) ?? {};
      const assertions: SuiteAssertion[] = [];
      for (const a of Array.isArray(kase.assertions) ? kase.assertions : []) {
        const ar = asRecord(a) ?? {};
        const v = ar.violations ?? "yes";
        const violations = v === "yes" || v === "no" ? v : typeof v === "number" && Number.isInteger(v) && v >= 0 ? v : undefined;
        if (violations === undefined) return `tests[${i}].cases[${j}]: violations must be yes, no or a whole number, got ${JSON.stringify(v)}`;
        assertions.push(typeof ar.message === "string" ? { violations, message: ar.message } : { violations });
      }
      // gator pkg/gator/verify: ErrInvalidCase "must define object" / "assertions must be non-empty"
      const mutatedWithout = typeof kase.mutated === "string" && typeof test.mutation !== "string" ? "mutated: needs the test's mutation: (the mutator file the object goes through)" : undefined;
      const invalid = typeof kase.object !== "string" || kase.object === "" ? "invalid Case: must define object" : assertions.length === 0 ? "invalid Case: assertions must be non-empty" : mutatedWithout;
      cases.push({
        name: typeof kase.name === "string" ? kase.name : `case-${j}`,
        object: typeof kase.object === "string" ? kase.object : "",
        inventory: Array.isArray(kase.inventory) ? kase.inventory.filter((x): x is string => typeof x === "string") : [],
        skip: kase.skip === true,
        assertions,
        ...(typeof kase.mutated === "string" && kase.mutated !== "" ? { mutated: kase.mutated } : {}),
        ...(invalid ? { invalid } : {}),
      });
    }
    tests.push({
      name: typeof test.name === "string" ? test.name : `test-${i}`,
      template: test.template,
      constraint: test.constraint,
      ...(typeof test.expansion === "string" && test.expansion !== "" ? { expansion: test.expansion } : {}),
      ...(typeof test.mutation === "string" && test.mutation !== "" ? { mutation: test.mutation } : {}),
      invalid: test.invalid === true,
      skip: test.skip === true,
      cases,
    });
  }
  const name = asRecord(r.metadata)?.name;
  return { name: typeof name === "string" ? name : "suite", skip: r.skip === true, tests };
}

/**
 * Returns why the assertion fails, or undefined when it holds. `matches` says which violation
 * messages match the assertion's `message`, as Go's regexp (RE2) decides, which is what gator
 * uses; the runner asks the engine (JavaScript's RegExp is another dialect: `(?i)` fails there).
 */
export function checkAssertion(assertion: SuiteAssertion, violations: Violation[], matches: boolean[] | { error: string } | undefined): string | undefined {
  let counted = violations;
  if (assertion.message !== undefined) {
    if (matches === undefined) return `message ${JSON.stringify(assertion.message)} was not matched`;
    if ("error" in matches) return `message ${JSON.stringify(assertion.message)} is not a valid regular expression (Go RE2): ${matches.error}`;
    counted = violations.filter((_, i) => matches[i] === true);
  }
  const about = assertion.message === undefined ? "" : ` matching ${JSON.stringify(assertion.message)}`;
  const got = `got ${counted.length}${counted.length ? `: ${counted.map((v) => JSON.stringify(v.msg)).join("; ")}` : ""}`;
  if (assertion.violations === "yes" && counted.length === 0) return `expected violations${about}, got none`;
  if (assertion.violations === "no" && counted.length > 0) return `expected no violations${about}, ${got}`;
  if (typeof assertion.violations === "number" && counted.length !== assertion.violations) return `expected ${assertion.violations} violation(s)${about}, ${got}`;
  return undefined;
}
