// Reviews objects against (template, constraint) pairs the way the constraint framework
// does: match first (a match error is an "autoreject" result), then the template's
// violation rule with input {review, parameters}; a Rego error becomes a result too.
import type { ConstraintTemplate } from "../core/constraint-template.js";
import type { Constraint } from "./constraint.js";
import type { CompiledTemplate, RegoEngine } from "./engine.js";
import { groupVersionKind, reviewOf, type KubeObject } from "./kubernetes-object.js";
import { matchObject } from "./match.js";

export interface Violation {
  constraint: string;
  constraintKind: string;
  enforcementAction: string;
  msg: string;
  details: unknown;
}

export interface Policy {
  template: ConstraintTemplate;
  constraint: Constraint;
}

/** Compiles each distinct template once per engine. */
export class TemplateCache {
  private readonly compiled = new Map<string, Promise<CompiledTemplate>>();
  constructor(readonly engine: RegoEngine) {}

  get(template: ConstraintTemplate): Promise<CompiledTemplate> {
    const key = `${template.name}\u0000${template.rego}\u0000${template.libs.join("\u0000")}\u0000${template.regoVersion ?? ""}`;
    let compiled = this.compiled.get(key);
    if (!compiled) {
      compiled = this.engine.compile(template.rego, template.libs, template.regoVersion);
      this.compiled.set(key, compiled);
    }
    return compiled;
  }
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

/** Violations per object, in input order. */
export async function reviewObjects(
  cache: TemplateCache,
  policies: Policy[],
  objects: KubeObject[],
  namespaces = namespaceIndex(objects),
  /** reviews to evaluate instead of the ones objects make (AdmissionReview cases); objects are then what is matched */
  reviews?: unknown[],
): Promise<Violation[][]> {
  const results: Violation[][] = objects.map(() => []);
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
    const compiled = await cache.get(template);
    const matched: number[] = [];
    objects.forEach((obj, i) => {
      const outcome = matchObject(constraint.match, obj, namespaces);
      if ("error" in outcome) found[i]?.push(violation(constraint, outcome.error, {}));
      else if (outcome.matches) matched.push(i);
    });
    for (let start = 0; start < matched.length; start += BATCH) {
      const batch = matched.slice(start, start + BATCH);
      work.push(
        compiled.evaluate(batch.map((i) => ({ review: reviewFor(i), parameters: constraint.parameters }))).then((evaluated) => {
          evaluated.forEach((r, n) => {
            const target = found[batch[n] as number];
            if (!target) return;
            if (r.error !== undefined) target.push(violation(constraint, r.error, {}));
            for (const v of r.violations) target.push(violation(constraint, v.msg, v.details));
          });
        }),
      );
    }
  }
  await Promise.all(work);
  // Policy order within each object, as before: the first policy's violations first.
  for (const found of perPolicy) found.forEach((v, i) => results[i]?.push(...v));
  return results;
}

function violation(constraint: Constraint, msg: string, details: unknown): Violation {
  return { constraint: constraint.name, constraintKind: constraint.kind, enforcementAction: constraint.enforcementAction, msg, details };
}
