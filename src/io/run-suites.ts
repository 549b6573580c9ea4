// Runs gator-compatible suite.yaml files with azpol's engine.
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { constraintProblems, readConstraint } from "../rego/constraint.js";
import { reviewObjects, type TemplateCache, type Violation } from "../rego/evaluate.js";
import { checkAssertion, readSuite } from "../rego/suite.js";
import { readManifests } from "./manifests.js";
import { outsideProject } from "./project-boundary.js";
import { readParsedFile, readTemplateFile, shownPath } from "./load-definitions.js";

export interface CaseResult {
  suite: string;
  test: string;
  case: string;
  status: "pass" | "fail" | "skip" | "error";
  problems: string[];
  violations: Violation[];
}

export async function runSuite(file: string, cache: TemplateCache): Promise<CaseResult[]> {
  const shown = shownPath(file);
  const parsed = readParsedFile(file);
  const suite = readSuite(parsed.data);
  const base = dirname(file);
  const results: CaseResult[] = [];
  const result = (test: string, kase: string, status: CaseResult["status"], problems: string[], violations: Violation[] = []) =>
    results.push({ suite: shown, test, case: kase, status, problems, violations });
  if (typeof suite === "string") {
    result("", "", "error", [suite]);
    return results;
  }
  for (const test of suite.tests) {
    if (test.skip) {
      test.cases.forEach((c) => result(test.name, c.name, "skip", []));
      continue;
    }
    const templatePath = resolve(base, test.template);
    const constraintPath = resolve(base, test.constraint);
    const outside = [templatePath, constraintPath].flatMap((p) => {
      const why = outsideProject(p);
      return why ? [`${shownPath(p)} ${why}`] : [];
    });
    if (outside.length) {
      result(test.name, "", "error", outside);
      continue;
    }
    const missing = [templatePath, constraintPath].filter((p) => !existsSync(p));
    if (missing.length) {
      result(test.name, "", "error", missing.map((p) => `${shownPath(p)} does not exist`));
      continue;
    }
    const template = readTemplateFile(templatePath);
    if (Array.isArray(template)) {
      result(test.name, "", "error", template.map((p) => `${shownPath(templatePath)}: ${p}`));
      continue;
    }
    const constraint = readConstraint(readParsedFile(constraintPath).data);
    if (typeof constraint === "string") {
      result(test.name, "", "error", [`${shownPath(constraintPath)}: ${constraint}`]);
      continue;
    }
    const problems = constraintProblems(constraint, template);
    if (problems.length) {
      result(test.name, "", "error", problems.map((p) => `${shownPath(constraintPath)}: ${p}`));
      continue;
    }
    try {
      await cache.get(template);
    } catch (e) {
      result(test.name, "", "error", [`${shownPath(templatePath)}: ${e instanceof Error ? e.message : String(e)}`]);
      continue;
    }
    for (const kase of test.cases) {
      if (kase.skip) {
        result(test.name, kase.name, "skip", []);
        continue;
      }
      if (kase.inventory.length) {
        // Azure blocks synced data for custom definitions, so azpol templates never see data.inventory
        result(test.name, kase.name, "error", ["inventory (data.inventory) is not supported: Azure blocks synced data for custom definitions (ConstraintTemplateInstallFailed)"]);
        continue;
      }
      const objectPath = resolve(base, kase.object);
      const outsideWhy = outsideProject(objectPath);
      if (outsideWhy) {
        result(test.name, kase.name, "error", [`${shownPath(objectPath)} ${outsideWhy}`]);
        continue;
      }
      if (!existsSync(objectPath)) {
        result(test.name, kase.name, "error", [`${shownPath(objectPath)} does not exist`]);
        continue;
      }
      const { objects, problems: readProblems } = await readManifests(cache.engine, objectPath, shownPath(objectPath));
      if (readProblems.length || objects.length !== 1) {
        result(test.name, kase.name, "error", readProblems.length ? readProblems.map((p) => p.message) : [`${shownPath(objectPath)} must hold exactly one object, found ${objects.length}`]);
        continue;
      }
      const violations = (await reviewObjects(cache, [{ template, constraint }], objects.map((o) => o.object)))[0] ?? [];
      const failures = kase.assertions.map((a) => checkAssertion(a, violations)).filter((x): x is string => x !== undefined);
      result(test.name, kase.name, failures.length ? "fail" : "pass", failures, violations);
    }
  }
  return results;
}
