// Asks the definitions' own templates, on the engine, whether each image is denied: every image
// goes into a Pod reviewed against every definition's constraint (its parameters; not its
// namespace or label match), as `azpol test` reviews manifests. No second implementation of the
// registry rules.
import type { KubeObject } from "../rego/kubernetes-object.js";
import { reviewObjects, type Policy } from "../rego/evaluate.js";
import type { TemplateCache } from "../rego/template-cache.js";
import { matchObject } from "../rego/match.js";
import type { RegoEngine } from "../rego/engine-port.js";
import type { DenyCheck, ExclusionCheck, RejectionCheck } from "./plan-fixes.js";

export function engineDenyCheck(cache: TemplateCache, policies: (Policy & { definition: string })[]): DenyCheck {
  return async (images) => {
    const unique = [...new Set(images)];
    const pods: KubeObject[] = unique.map((image, i) => ({ apiVersion: "v1", kind: "Pod", metadata: { name: `azpol-fix-${i}`, namespace: "default" }, spec: { containers: [{ name: "c", image }] } }));
    const verdicts = new Map<string, string[]>();
    for (const policy of policies) {
      // the image alone decides: where the workload runs (namespaces, labels) is the assignment's business
      const found = await reviewObjects(cache, [{ ...policy, constraint: { ...policy.constraint, match: undefined } }], pods);
      found.forEach((violations, i) => {
        if (violations.length === 0) return;
        const image = unique[i] as string;
        verdicts.set(image, [...(verdicts.get(image) ?? []), policy.definition]);
      });
    }
    return verdicts;
  };
}

/** Which of the definitions leave this object out (its namespace, its labels), with the same
 * matcher `azpol test` and `impact` use, so the three say "excluded" about the same objects. A
 * namespaceSelector cannot be judged from a file alone: such an object counts as included. */
export function matchExclusionCheck(policies: (Policy & { definition: string })[]): ExclusionCheck {
  return (object, definitions) =>
    policies.flatMap((p) => {
      if (!definitions.includes(p.definition)) return [];
      const outcome = matchObject(p.constraint.match, object, new Map());
      return "matches" in outcome && !outcome.matches && outcome.excluded ? [{ definition: p.definition, reason: outcome.excluded }] : [];
    });
}

/**
 * What the API server would refuse, as `azpol test` decides it: the file read with kubectl's reader
 * (the engine's readManifests, not the YAML library fix edits with: kubectl reads YAML 1.1, so
 * `yes` is a boolean there), each object strict-validated by the engine (strictValidate). A line
 * belongs to the document that starts last at or before it (read or not); a List's items are not told apart by
 * line, so images in a List are not judged here (they are moved as before).
 */
export function engineRejectionCheck(engine: RegoEngine): RejectionCheck {
  return async (text) => {
    const read = await engine.readManifests(text);
    const strict = await engine.strictValidate(read.objects.map((o) => o.object));
    if (!Array.isArray(strict)) return { error: strict.error };
    // a document kubectl cannot decode (`labels: {canary: yes}`) is a start of its own, with
    // kubectl's reason: its lines are never blamed on the document before it
    const starts = [
      ...read.objects.map((o, i) => ({ line: o.line, list: o.item !== undefined, reasons: strict[i] ?? [] })),
      ...read.problems.map((p) => ({ line: p.line, list: false, reasons: [`kubectl cannot read this document: ${p.message}`] })),
    ].sort((a, b) => a.line - b.line);
    return {
      reasonsAt: (line) => {
        const at = starts.filter((s) => s.line <= line);
        const document = at[at.length - 1];
        return document && !document.list ? document.reasons : [];
      },
    };
  };
}
