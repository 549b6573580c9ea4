// Mutate definitions applied to one object, as admission applies them before validation: the
// mutators go through Gatekeeper's own pkg/mutation in the native engine (engine/mutation_native.go).
// What the add-on does with a definition's excludedNamespaces and source on a mutator is not
// published; azpol assumes it adds them to the mutator's spec.match (README "Mutate definitions").
import { asRecord } from "../core/constraint-template.js";
import { isMutation, type MutationModel } from "../core/mutation-model.js";
import type { RegoEngine } from "./engine-port.js";

export interface MutationOutcome {
  /** the object after every mutator, as admission would pass it on to validation */
  object: Record<string, unknown>;
  /** definitions whose mutator changes the object on its own */
  by: string[];
  /** JSON pointers of what the mutators changed, added or removed */
  changes: string[];
}

/** The mutator as the add-on would install it for the definition's parameter values (undefined when Disabled). */
export function effectiveMutator(model: MutationModel): Record<string, unknown> | undefined {
  if (!isMutation(model)) return undefined;
  const effect = model.parameters.effect?.defaultValue;
  if (typeof effect === "string" && effect.toLowerCase() === "disabled") return undefined;
  const mutator = structuredClone(model.mutator.object);
  const spec = (asRecord(mutator.spec) ?? {});
  const match = (asRecord(spec.match) ?? {});
  const excluded = model.parameters.excludedNamespaces?.defaultValue;
  if (Array.isArray(excluded) && excluded.length) {
    const own = Array.isArray(match.excludedNamespaces) ? (match.excludedNamespaces as unknown[]) : [];
    match.excludedNamespaces = [...new Set([...own, ...(excluded as unknown[])])];
  }
  const source = model.parameters.source?.defaultValue;
  if (model.detailsParameters.includes("source") && typeof source === "string") match.source = source;
  spec.match = match;
  mutator.spec = spec;
  return mutator;
}

/** JSON pointers where `after` differs from `before` (leaves; a new or removed subtree is one pointer). */
export function changedPaths(before: unknown, after: unknown, at = ""): string[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  const objects = before !== null && after !== null && typeof before === "object" && typeof after === "object" && Array.isArray(before) === Array.isArray(after);
  if (!objects) return [at || "/"];
  const a = before as Record<string, unknown>;
  const b = after as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  return keys.flatMap((k) => changedPaths(a[k], b[k], `${at}/${k.replace(/~/g, "~0").replace(/\//g, "~1")}`));
}

/**
 * Mutates `object` with every enabled mutation: undefined when none applies, an error when
 * Gatekeeper refuses a mutator or the mutation does not converge (or the engine cannot mutate).
 */
export async function mutateObject(engine: RegoEngine, mutations: MutationModel[], object: Record<string, unknown>, namespace?: unknown): Promise<MutationOutcome | undefined | { error: string }> {
  const enabled = mutations.flatMap((m) => {
    const mutator = effectiveMutator(m);
    return mutator ? [{ name: m.name, mutator }] : [];
  });
  if (enabled.length === 0) return undefined;
  const ns = namespace === undefined ? {} : { namespace };
  const all = await engine.mutate({ mutators: enabled.map((e) => e.mutator), object: structuredClone(object), ...ns });
  if ("error" in all) return all;
  const after = all.object ?? object;
  const changes = changedPaths(object, after);
  if (changes.length === 0) return { object: after, by: [], changes };
  const by: string[] = [];
  for (const e of enabled) {
    if (enabled.length === 1) {
      by.push(e.name);
      break;
    }
    const alone = await engine.mutate({ mutators: [e.mutator], object: structuredClone(object), ...ns });
    if (!("error" in alone) && changedPaths(object, alone.object ?? object).length) by.push(e.name);
  }
  return { object: after, by, changes };
}
