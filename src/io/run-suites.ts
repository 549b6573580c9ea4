// Runs gator-compatible suite.yaml files with azpol's engine.
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { constraintProblems, readConstraint } from "../rego/constraint.js";
import { reviewObjects, type TemplateCache, type Violation } from "../rego/evaluate.js";
import { admissionReviewInput, isAdmissionReview } from "../rego/admission-review.js";
import type { KubeObject } from "../rego/kubernetes-object.js";
import { checkAssertion, readSuite } from "../rego/suite.js";
import { parseManifests, readManifests } from "./manifests.js";
import { outsideProject } from "./project-boundary.js";
import { readParsedFile, shownPath } from "./load-definitions.js";
import { readConstraintTemplate } from "../core/constraint-template.js";
import { readInputText } from "./read-input.js";

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
  if (parsed.syntaxErrors.length) {
    result("", "", "error", parsed.syntaxErrors.map((d) => `${d.file}:${d.line ?? 1}:${d.col ?? 1}: ${d.message}`));
    return results;
  }
  if (typeof suite === "string") {
    result("", "", "error", [suite]);
    return results;
  }
  for (const test of suite.tests) {
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
    if (test.expansion !== undefined) {
      failTest("error", [`expansion ${test.expansion}: ExpansionTemplates are not supported by azpol yet, so these cases were not evaluated (gator verify runs them)`]);
      continue;
    }
    const templatePath = resolve(base, test.template);
    const constraintPath = resolve(base, test.constraint);
    const outside = [templatePath, constraintPath].flatMap((p) => {
      const why = outsideProject(p);
      return why ? [`${shownPath(p)} ${why}`] : [];
    });
    if (outside.length) {
      failTest("error", outside);
      continue;
    }
    const missing = [templatePath, constraintPath].filter((p) => !existsSync(p));
    if (missing.length) {
      failTest("error", missing.map((p) => `${shownPath(p)} does not exist`));
      continue;
    }
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
    if (template.hasCel) {
      failTest("error", [
        `${shownPath(templatePath)}: template ${template.name} has K8sNativeValidation (CEL) code, which Gatekeeper 3.19.1 and gator evaluate instead of its Rego; azpol evaluates Rego only, so it gives no answer for this template (use gator verify)`,
      ]);
      continue;
    }
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
    const problems = constraintProblems(constraint, template);
    if (test.invalid) {
      // gator: passes only when adding the constraint fails the template's schema (ErrSchema)
      result(test.name, "", problems.length ? "pass" : "fail", problems.length ? [] : ["the constraint was expected to be invalid, but the template's schema accepts it"]);
      continue;
    }
    if (problems.length) {
      failTest("error", problems.map((p) => `${shownPath(constraintPath)}: ${p}`));
      continue;
    }
    try {
      await cache.get(template);
    } catch (e) {
      failTest("error", [`${shownPath(templatePath)}: ${e instanceof Error ? e.message : String(e)}`]);
      continue;
    }
    for (const kase of test.cases) {
      if (kase.skip) {
        result(test.name, kase.name, "skip", []);
        continue;
      }
      if (kase.invalid) {
        result(test.name, kase.name, "error", [kase.invalid]);
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
      const subject = objects[0]?.object as KubeObject;
      let violations: Violation[];
      if (isAdmissionReview(subject)) {
        const input = admissionReviewInput(subject);
        if ("error" in input) {
          result(test.name, kase.name, "error", [`${shownPath(objectPath)}: ${input.error}`]);
          continue;
        }
        violations = (await reviewObjects(cache, [{ template, constraint }], [input.matchObject], undefined, [input.review]))[0] ?? [];
      } else {
        violations = (await reviewObjects(cache, [{ template, constraint }], [subject]))[0] ?? [];
      }
      const failures: string[] = [];
      for (const a of kase.assertions) {
        const matches = a.message === undefined ? undefined : await cache.engine.regexMatch(a.message, violations.map((v) => v.msg));
        const failure = checkAssertion(a, violations, matches);
        if (failure !== undefined) failures.push(failure);
      }
      result(test.name, kase.name, failures.length ? "fail" : "pass", failures, violations);
    }
  }
  return results;
}

/** One Kubernetes object from a file, read as kubectl (and gator) read it. */
async function readOneObject(cache: TemplateCache, path: string): Promise<{ object: unknown; text: string } | { error: string }> {
  const shown = shownPath(path);
  const read = readInputText(path);
  if ("error" in read) return { error: `${shown} ${read.error}` };
  const { objects, problems } = await parseManifests(cache.engine, shown, read.text);
  if (problems.length) return { error: problems.map((p) => `${shown}:${p.line}: ${p.message}`).join("; ") };
  if (objects.length !== 1) return { error: `${shown} must hold exactly one object, found ${objects.length}` };
  return { object: objects[0]?.object, text: read.text };
}
