// Reviews objects against (template, constraint) pairs the way the constraint framework
// does: match first (a match error is an "autoreject" result), then the template's
// violation rule with input {review, parameters}; a Rego error becomes a result too.
import type { ConstraintTemplate } from "../core/constraint-template.js";
import type { Constraint } from "./constraint.js";
import type { EngineResult } from "./engine-port.js";
import type { TemplateCache } from "./template-cache.js";
import { AzpolError } from "../errors.js";
import { groupVersionKind, reviewOf, type KubeObject } from "./kubernetes-object.js";
import { matchObject } from "./match.js";
import { reviewExpanded } from "./workload-expansion.js";
import { judgeWebhookBudget, WEBHOOK_TIMEOUT_SECONDS, type TemplateCost } from "../core/webhook-budget.js";

export interface Violation {
  constraint: string;
  constraintKind: string;
  enforcementAction: string;
  msg: string;
  details: unknown;
  /** why there is no verdict (the template asked for external data): reported, never a pass */
  notEvaluated?: string;
}

/** An evaluation the engine stopped at its step limit: no verdict from this template (never a silent pass). */
export const notEvaluatedStopped = (steps: number) =>
  `not decided: the evaluation was stopped after ${steps.toLocaleString("en-US")} evaluation steps, more than Gatekeeper's webhook can evaluate in its ${WEBHOOK_TIMEOUT_SECONDS} s (the add-on then admits the object undecided)`;

export const NOT_EVALUATED_EXTERNAL_DATA = "not evaluated offline (external data): the template asks an external data provider (external_data), which azpol cannot call";

export interface Policy {
  template: ConstraintTemplate;
  constraint: Constraint;
}

export interface ReviewOptions {
  /** Namespace objects by name, for namespaceSelector (default: the Namespaces among the objects) */
  namespaces?: ReadonlyMap<string, KubeObject>;
  /** reviews to evaluate instead of the ones objects make (AdmissionReview cases); objects are then what is matched */
  reviews?: unknown[];
  /**
   * per object, a second object that may match instead: an AdmissionReview's oldObject (Gatekeeper
   * pkg/target/matcher.go matchAny: the review counts when its object or its oldObject matches)
   */
  alsoMatch?: (KubeObject | undefined)[];
  /** the objects are resultants of an ExpansionTemplate (Gatekeeper's source "Generated") */
  generated?: boolean;
  /**
   * expand workloads with azpol's workload ExpansionTemplates for constraints with match.source
   * All/Generated, as the add-on does on AKS (default). A gator suite sets false: gator expands
   * only with the ExpansionTemplate the suite's test names (pkg/gator/verify), nothing else.
   */
  workloadExpansions?: boolean;
}

export function namespaceIndex(objects: KubeObject[]): Map<string, KubeObject> {
  const index = new Map<string, KubeObject>();
  for (const o of objects) {
    const { group, kind } = groupVersionKind(o);
    if (group === "" && kind === "Namespace" && o.metadata?.name) index.set(o.metadata.name, o);
  }
  return index;
}

// Batches keep the requests few; several batches are in flight at once so a native engine
// works on all cores.
const BATCH = 250;

/** A constraint that covers an object's kind but left it out, and why (its namespace, its labels). */
export interface Exclusion {
  constraint: string;
  reason: string;
}

/** What the constraints made of one object: its violations, and the constraints that excluded it. */
export interface ObjectReview {
  violations: Violation[];
  excluded: Exclusion[];
  /** how many constraints matched the object (judged it); 0 with nothing excluded is "not checked" */
  matched?: number;
  /** what each evaluation of the object (and of the Pods it expands to) cost (core/webhook-budget.ts) */
  costs?: TemplateCost[];
  /** why Gatekeeper's webhook would not answer in time, so the cluster admits the object undecided */
  undecided?: string;
}

/** Violations per object, in input order. */
export async function reviewObjects(cache: TemplateCache, policies: Policy[], objects: KubeObject[], options: ReviewOptions = {}): Promise<Violation[][]> {
  return (await reviewObjectsWithExclusions(cache, policies, objects, options)).map((r) => r.violations);
}

/** Violations and exclusions per object, in input order. */
export async function reviewObjectsWithExclusions(
  cache: TemplateCache,
  policies: Policy[],
  objects: KubeObject[],
  options: ReviewOptions = {},
): Promise<ObjectReview[]> {
  const { reviews, generated = false } = options;
  const namespaces = options.namespaces ?? namespaceIndex(objects);
  const results: ObjectReview[] = objects.map(() => ({ violations: [], excluded: [], matched: 0, costs: [] }));
  // Every batch of every policy is in flight at once, so a native engine keeps all cores busy
  // to the end; results are placed by index, so the order of answers does not matter.
  const work: Promise<void>[] = [];
  const built = new Map<number, unknown>();
  const reviewFor = (i: number) => {
    let r = built.get(i);
    if (r === undefined) {
      r = reviews?.[i] ?? reviewOf(objects[i] as KubeObject);
      built.set(i, r);
    }
    return r;
  };
  const perPolicy: Violation[][][] = [];
  for (const { template, constraint } of policies) {
    const found: Violation[][] = objects.map(() => []);
    perPolicy.push(found);
    const engine = cache.engineFor(template);
    if (typeof engine !== "string") throw new AzpolError("UnsupportedEngine", engine.error);
    // Not awaited here: every policy's template compiles at once (the engine answers requests
    // concurrently), and each batch goes as soon as its template is ready.
    const evaluator: Promise<(inputs: number[]) => Promise<EngineResult[]>> =
      engine === "Rego"
        ? cache.get(template).then((compiled) => (batch) => compiled.evaluate(batch.map((i) => ({ review: reviewFor(i), parameters: constraint.parameters }))))
        : cache.gatekeeperFor(template, constraint).then((handle) => (batch) =>
            handle.review(batch.map((i) => ({ ...(reviews?.[i] !== undefined ? { request: reviews[i] } : { object: objects[i] }), generated }))),
          );
    work.push(evaluator.then(() => undefined)); // a template that does not compile fails the review even when nothing matched
    const matched: number[] = [];
    const source = generated ? "Generated" : "Original";
    objects.forEach((obj, i) => {
      let outcome = matchObject(constraint.match, obj, namespaces, source);
      const other = options.alsoMatch?.[i];
      if (other && !("error" in outcome) && !outcome.matches) outcome = matchObject(constraint.match, other, namespaces, source);
      const result = results[i];
      if (result && ("error" in outcome || outcome.matches)) result.matched = (result.matched ?? 0) + 1;
      if ("error" in outcome) found[i]?.push(violation(constraint, outcome.error, {}));
      else if (outcome.matches) matched.push(i);
      else if (outcome.excluded) results[i]?.excluded.push({ constraint: constraint.name, reason: outcome.excluded });
    });
    for (let start = 0; start < matched.length; start += BATCH) {
      const batch = matched.slice(start, start + BATCH);
      work.push(
        evaluator.then((evaluate) => evaluate(batch)).then((evaluated) => {
          evaluated.forEach((r, n) => {
            const target = found[batch[n] as number];
            if (!target) return;
            if (r.cost) results[batch[n] as number]?.costs?.push({ constraint: constraint.name, enforcementAction: constraint.enforcementAction, cost: r.cost });
            if (r.cost?.stopped) target.push({ ...violation(constraint, notEvaluatedStopped(r.cost.steps), {}), notEvaluated: "webhook budget" });
            if (r.externalData) target.push({ ...violation(constraint, NOT_EVALUATED_EXTERNAL_DATA, {}), notEvaluated: "external data" });
            if (r.error !== undefined) target.push(violation(constraint, r.error, {}));
            for (const v of r.violations) target.push(violation(constraint, v.msg, v.details));
          });
        }),
      );
    }
  }
  // every request settles before the first failure (in policy order, so the same input always
  // gives the same error) is thrown: none is left in flight unhandled
  const failed = (await Promise.allSettled(work)).find((w): w is PromiseRejectedResult => w.status === "rejected");
  if (failed) throw failed.reason;
  // Policy order within each object, as before: the first policy's violations first.
  for (const found of perPolicy) found.forEach((v, i) => results[i]?.violations.push(...v));
  if (!generated && reviews === undefined && options.workloadExpansions !== false) await reviewExpanded({ cache, review: reviewObjectsWithExclusions, violation }, policies, objects, namespaces, results);
  // One webhook request reviews the object against every template (and the Pods it expands to):
  // the budget is the request's. Resultants are judged with their parent, not alone.
  if (!generated) {
    for (const r of results) {
      const budget = judgeWebhookBudget(r.costs ?? []);
      if (budget.undecided && budget.reason !== undefined) r.undecided = budget.reason;
    }
  }
  return results;
}

function violation(constraint: Constraint, msg: string, details: unknown): Violation {
  return { constraint: constraint.name, constraintKind: constraint.kind, enforcementAction: constraint.enforcementAction, msg, details };
}
