// Runs gator-compatible suite.yaml files with azpol's engine, with gator verify's semantics
// (GK v3.19.1 pkg/gator/verify/runner.go): skip at every level, invalid: true, one client per
// test, ExpansionTemplates, AdmissionReview objects, and the engine Gatekeeper would pick.
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { readConstraint } from "../rego/constraint.js";
import { constraintProblems } from "../rego/constraint-parameters.js";
import type { Violation } from "../rego/evaluate.js";
import type { TemplateCache } from "../rego/template-cache.js";
import { readSuite } from "../rego/suite.js";
import { engineLabel } from "../rego/engine-choice.js";
import { outsideProject, type FileBoundary } from "./project-boundary.js";
import { readParsedFile } from "./load-definitions.js";
import { shownPath } from "./shown-path.js";
import { readConstraintTemplate, type ConstraintTemplate } from "../core/constraint-template.js";
import { readOneObject, runCase } from "./suite-case.js";

export interface CaseResult {
  suite: string;
  test: string;
  case: string;
  status: "pass" | "fail" | "skip" | "error";
  problems: string[];
  violations: Violation[];
  /** the engine that decided the test's template ("Rego" or "CEL"), once it is known */
  engine?: string;
}

/** Runs one suite; every file it names must be inside files.projectRoot, when there is one. */
export async function runSuite(file: string, cache: TemplateCache, files: Pick<FileBoundary, "projectRoot">): Promise<CaseResult[]> {
  const { projectRoot } = files;
  const shown = shownPath(file);
  const parsed = readParsedFile(file);
  const suite = readSuite(parsed.data);
  const base = dirname(file);
  const results: CaseResult[] = [];
  let engine: string | undefined;
  const result = (test: string, kase: string, status: CaseResult["status"], problems: string[], violations: Violation[] = []) =>
    results.push({ suite: shown, test, case: kase, status, problems, violations, ...(engine ? { engine } : {}) });
  if (parsed.syntaxErrors.length) {
    result("", "", "error", parsed.syntaxErrors.map((d) => `${d.file}:${d.line ?? 1}:${d.col ?? 1}: ${d.message}`));
    return results;
  }
  if (typeof suite === "string") {
    result("", "", "error", [suite]);
    return results;
  }
  for (const test of suite.tests) {
    engine = undefined;
    // A problem with the test itself is an error of each of its cases, each counted, as gator
    // counts them; a test without cases still gets one line.
    const failTest = (status: CaseResult["status"], problems: string[]) => {
      if (test.cases.length === 0) result(test.name, "", status, problems);
      for (const c of test.cases) result(test.name, c.name, status, problems);
    };
    if (suite.skip || test.skip) {
      failTest("skip", []);
      continue;
    }
    if (test.invalid && test.cases.length) {
      failTest("error", ["invalid Test: a test with invalid: true checks the constraint only and may not have cases"]);
      continue;
    }
    const paths = [test.template, test.constraint, ...(test.expansion !== undefined ? [test.expansion] : []), ...(test.mutation !== undefined ? [test.mutation] : [])].map((p) => resolve(base, p));
    const unusable = paths.flatMap((p) => {
      const why = outsideProject(p, projectRoot) ?? (existsSync(p) ? undefined : "does not exist");
      return why ? [`${shownPath(p)} ${why}`] : [];
    });
    if (unusable.length) {
      failTest("error", unusable);
      continue;
    }
    const [templatePath, constraintPath] = paths as [string, string];
    const expansionPath = test.expansion !== undefined ? resolve(base, test.expansion) : undefined;
    const mutationPath = test.mutation !== undefined ? resolve(base, test.mutation) : undefined;
    // gator reads a test's template and constraint with apimachinery's YAML decoder, so azpol
    // reads them with the same reader (the engine's), not its own stricter YAML parser.
    const templateRead = await readOneObject(cache, templatePath);
    if ("error" in templateRead) {
      failTest("error", [templateRead.error]);
      continue;
    }
    const template = readConstraintTemplate(templateRead.object, templateRead.text);
    if (Array.isArray(template)) {
      failTest("error", template.map((p) => `${shownPath(templatePath)}: ${p}`));
      continue;
    }
    const decided = cache.engineFor(template);
    if (typeof decided !== "string") {
      failTest("error", [decided.error]);
      continue;
    }
    engine = engineLabel(decided);
    const constraintRead = await readOneObject(cache, constraintPath);
    if ("error" in constraintRead) {
      failTest("error", [constraintRead.error]);
      continue;
    }
    const constraint = readConstraint(constraintRead.object);
    if (typeof constraint === "string") {
      failTest("error", [`${shownPath(constraintPath)}: ${constraint}`]);
      continue;
    }
    const added = await addToGatekeeper(cache, template, constraintRead.object);
    const problems = added === "unchecked" ? constraintProblems(constraint, template) : added.schema;
    if (test.invalid) {
      // gator: passes only when adding the constraint fails the template's schema (ErrSchema)
      result(test.name, "", problems.length ? "pass" : "fail", problems.length ? [] : ["the constraint was expected to be invalid, but the template's schema accepts it"]);
      continue;
    }
    if (added !== "unchecked" && added.other.length) {
      failTest("error", added.other.map((p) => `${shownPath(templatePath)}: ${p}`));
      continue;
    }
    if (problems.length) {
      failTest("error", problems.map((p) => `${shownPath(constraintPath)}: ${p}`));
      continue;
    }
    let expansion: unknown;
    if (expansionPath !== undefined) {
      const read = await readOneObject(cache, expansionPath);
      if ("error" in read) {
        failTest("error", [read.error]);
        continue;
      }
      expansion = read.object;
    }
    let mutation: unknown;
    if (mutationPath !== undefined) {
      const read = await readOneObject(cache, mutationPath);
      if ("error" in read) {
        failTest("error", [read.error]);
        continue;
      }
      mutation = read.object;
    }
    if (decided === "Rego") {
      try {
        await cache.get(template);
      } catch (e) {
        failTest("error", [`${shownPath(templatePath)}: ${e instanceof Error ? e.message : String(e)}`]);
        continue;
      }
    }
    for (const kase of test.cases) {
      const outcome = await runCase(cache, { template, constraint, expansion, mutation }, base, kase, projectRoot);
      result(test.name, kase.name, outcome.status, outcome.problems, outcome.violations);
    }
  }
  return results;
}

/**
 * Adds the template and the constraint (as written, match included) to Gatekeeper's own client,
 * as gator does for each test, when the engine links it: its schema errors decide `invalid:`
 * tests, and any other error fails the test as it fails gator. "unchecked" on the wasm engine.
 */
async function addToGatekeeper(cache: TemplateCache, template: ConstraintTemplate, constraint: unknown): Promise<"unchecked" | { schema: string[]; other: string[] }> {
  if (!cache.engine.gatekeeper) return "unchecked";
  const drivers = cache.choice === "rego" ? "rego" : cache.choice === "cel" ? "cel" : "both";
  const added = await cache.engine.prepareGatekeeper(template.object, constraint, drivers);
  if (!("error" in added)) {
    added.release();
    return { schema: [], other: [] };
  }
  return added.schemaError ? { schema: [added.error], other: [] } : { schema: [], other: [added.error] };
}
