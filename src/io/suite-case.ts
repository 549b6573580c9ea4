// One case of a gator suite (GK v3.19.1 pkg/gator/verify/runner.go checkCase/runReview): read
// exactly one object, review it (an AdmissionReview as its request), review what the test's
// ExpansionTemplate makes of it as "Generated" with "[Implied by <template>]" messages
// (pkg/expansion/aggregate.go), then run every assertion (message: Go RE2, via the engine).
// Files are read with gator's own reader (engine/gator_reader.go), not kubectl's.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { reviewObjects, type Policy, type Violation } from "../rego/evaluate.js";
import type { TemplateCache } from "../rego/template-cache.js";
import { admissionReviewInput, isAdmissionReview } from "../rego/admission-review.js";
import type { KubeObject } from "../rego/kubernetes-object.js";
import { checkAssertion, type SuiteCase } from "../rego/suite.js";
import { outsideProject } from "./project-boundary.js";
import { shownPath } from "./shown-path.js";
import { readInputText } from "./read-input.js";
import { changedPaths } from "../rego/mutate.js";
import type { ExpansionResultant } from "../rego/engine-port.js";

export interface CaseOutcome {
  status: "pass" | "fail" | "skip" | "error";
  problems: string[];
  violations: Violation[];
}

const error = (...problems: string[]): CaseOutcome => ({ status: "error", problems, violations: [] });

/** Runs one case; its object (and expected object) must be inside `projectRoot`, when there is one. */
export async function runCase(cache: TemplateCache, policy: Policy & { expansion: unknown; mutation?: unknown }, base: string, kase: SuiteCase, projectRoot: string | undefined): Promise<CaseOutcome> {
  if (kase.skip) return { status: "skip", problems: [], violations: [] };
  if (kase.invalid) return error(kase.invalid);
  if (kase.inventory.length) {
    // Azure blocks synced data for custom definitions, so azpol templates never see data.inventory
    return error("inventory (data.inventory) is not supported: Azure blocks synced data for custom definitions (ConstraintTemplateInstallFailed)");
  }
  const objectPath = resolve(base, kase.object);
  const outsideWhy = outsideProject(objectPath, projectRoot);
  if (outsideWhy) return error(`${shownPath(objectPath)} ${outsideWhy}`);
  if (!existsSync(objectPath)) return error(`${shownPath(objectPath)} does not exist`);
  const read = await readGatorFile(cache, objectPath, true);
  if ("error" in read) return error(read.error);
  // gator: ErrNoObjects for none, ErrMultipleObjects for more than one
  if (read.objects.length !== 1) return error(`${shownPath(objectPath)} must hold exactly one object, found ${read.objects.length}`);
  let subject = read.objects[0] as KubeObject;
  // azpol's extension: the test's mutator changes the object first, as admission mutates before it validates
  let resultants: ExpansionResultant[] | undefined;
  const mutationProblems: string[] = [];
  if (policy.mutation !== undefined && !isAdmissionReview(subject)) {
    const mutated = await cache.engine.mutate({ mutators: [policy.mutation], ...(policy.expansion !== undefined ? { expansions: [policy.expansion] } : {}), object: subject });
    if ("error" in mutated) return error(`mutating ${shownPath(objectPath)}: ${mutated.error}`);
    subject = (mutated.object ?? subject);
    resultants = mutated.resultants;
    if (kase.mutated !== undefined) {
      const expected = await readExpected(cache, resolve(base, kase.mutated), projectRoot);
      if ("error" in expected) return error(expected.error);
      const differ = changedPaths(expected.object, subject);
      if (differ.length) mutationProblems.push(`the object after mutation differs from ${kase.mutated} at ${differ.join(", ")}`);
    }
  } else if (policy.mutation !== undefined) {
    return error("mutation: applies to an object, not an AdmissionReview");
  }
  let violations: Violation[];
  try {
    if (isAdmissionReview(subject)) {
      // gator reviews an AdmissionReview's request and returns; it does not expand it
      const input = admissionReviewInput(subject);
      if ("error" in input) return error(`${shownPath(objectPath)}: ${input.error}`);
      const [object, oldObject] = input.matchObjects as [KubeObject, KubeObject | undefined];
      violations = (await reviewObjects(cache, [policy], [object], { reviews: [input.review], alsoMatch: [oldObject] }))[0] ?? [];
    } else {
      violations = (await reviewObjects(cache, [policy], [subject], { workloadExpansions: false }))[0] ?? [];
      if (policy.expansion !== undefined) {
        const implied = await expansionViolations(cache, policy, subject, resultants);
        if ("error" in implied) return error(implied.error);
        violations.push(...implied);
      }
    }
  } catch (e) {
    return error(e instanceof Error ? e.message : String(e));
  }
  // a verdict that depends on external data is unknown offline: the case neither passes nor fails
  const unknown = violations.find((v) => v.notEvaluated !== undefined);
  if (unknown) return { status: "error", problems: [unknown.msg], violations };
  const failures: string[] = [...mutationProblems];
  for (const a of kase.assertions) {
    const matches = a.message === undefined ? undefined : await cache.engine.regexMatch(a.message, violations.map((v) => v.msg));
    const failure = checkAssertion(a, violations, matches);
    if (failure !== undefined) failures.push(failure);
  }
  return { status: failures.length ? "fail" : "pass", problems: failures, violations };
}

/** What the ExpansionTemplate's resultants violate, as gator aggregates it into the parent. */
async function expansionViolations(cache: TemplateCache, policy: Policy & { expansion: unknown }, subject: KubeObject, mutated: ExpansionResultant[] | undefined): Promise<Violation[] | { error: string }> {
  // with a mutation, the resultants the mutate op made (mutated as Generated); else gator's expander's
  const resultants = mutated ?? (await cache.engine.expand([policy.expansion], subject));
  if ("error" in resultants) return { error: `expanding ${subject.metadata?.name ?? "the object"}: ${resultants.error}` };
  const out: Violation[] = [];
  for (const r of resultants) {
    const found = (await reviewObjects(cache, [policy], [r.object], { generated: true }))[0] ?? [];
    for (const v of found) {
      out.push({ ...v, msg: `[Implied by ${r.templateName}] ${v.msg}`, enforcementAction: r.enforcementAction || v.enforcementAction });
    }
  }
  return out;
}

/** A suite's file read as gator verify reads it: one object (all=false) or every document. */
async function readGatorFile(cache: TemplateCache, path: string, all: boolean): Promise<{ objects: Record<string, unknown>[]; text: string } | { error: string }> {
  const shown = shownPath(path);
  const read = readInputText(path);
  if ("error" in read) return { error: `${shown} ${read.error}` };
  const objects = await cache.engine.gatorRead(read.text, all);
  if ("error" in objects) return { error: `${shown}: ${objects.error}` };
  return { objects, text: read.text };
}

/** A case's expected object after mutation: exactly one object, read as the case's object is. */
async function readExpected(cache: TemplateCache, path: string, projectRoot: string | undefined): Promise<{ object: Record<string, unknown> } | { error: string }> {
  const why = outsideProject(path, projectRoot) ?? (existsSync(path) ? undefined : "does not exist");
  if (why) return { error: `${shownPath(path)} ${why}` };
  const read = await readGatorFile(cache, path, true);
  if ("error" in read) return read;
  if (read.objects.length !== 1) return { error: `${shownPath(path)} must hold exactly one object, found ${read.objects.length}` };
  return { object: read.objects[0] as Record<string, unknown> };
}

/** A template, constraint or ExpansionTemplate file: gator reads the whole file as one object. */
export async function readOneObject(cache: TemplateCache, path: string): Promise<{ object: unknown; text: string } | { error: string }> {
  const read = await readGatorFile(cache, path, false);
  return "error" in read ? read : { object: read.objects[0], text: read.text };
}
