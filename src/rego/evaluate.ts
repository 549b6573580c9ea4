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
  private readonly compiled = new Map<string, CompiledTemplate>();
  constructor(readonly engine: RegoEngine) {}

  get(template: ConstraintTemplate): CompiledTemplate {
    const key = `${template.name}\u0000${template.rego}\u0000${template.libs.join("\u0000")}`;
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

const BATCH = 100;

/** Violations per object, in input order. */
export function reviewObjects(cache: TemplateCache, policies: Policy[], objects: KubeObject[], namespaces = namespaceIndex(objects)): Violation[][] {
  const results: Violation[][] = objects.map(() => []);
  for (const { template, constraint } of policies) {
    const compiled = cache.get(template);
    const matched: number[] = [];
    objects.forEach((obj, i) => {
      const outcome = matchObject(constraint.match, obj, namespaces);
      if ("error" in outcome) results[i]?.push(violation(constraint, outcome.error, {}));
      else if (outcome.matches) matched.push(i);
    });
    // Batches keep the JS/wasm crossings few and the Go heap small (its GC scans all of it).
    for (let start = 0; start < matched.length; start += BATCH) {
      const batch = matched.slice(start, start + BATCH);
      const evaluated = compiled.evaluate(batch.map((i) => ({ review: reviewOf(objects[i] as KubeObject), parameters: constraint.parameters })));
      evaluated.forEach((r, n) => {
        const target = results[batch[n] as number];
        if (!target) return;
        if (r.error !== undefined) target.push(violation(constraint, r.error, {}));
        for (const v of r.violations) target.push(violation(constraint, v.msg, v.details));
      });
    }
  }
  return results;
}

function violation(constraint: Constraint, msg: string, details: unknown): Violation {
  return { constraint: constraint.name, constraintKind: constraint.kind, enforcementAction: constraint.enforcementAction, msg, details };
}
