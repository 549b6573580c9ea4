// Carries out a mirror plan through the RegistryPort: the cache rules first (each waits for its
// long-running operation), then the imports, one at a time (ACR throttles imports per registry).
// Stops at the first failure and says what was done before it, as deploy does.
import type { MirrorPlan } from "./plan-mirror.js";
import type { ExistingMirror } from "./plan-mirror.js";
import type { ArtifactRef, RegistryPort, RegistryRef } from "./registry-port.js";
import type { ImportPlan } from "./plan-mirror.js";

export interface MirrorStep {
  kind: "cacheRule" | "import";
  /** the rule name, or the import's source */
  name: string;
  target: string;
}

export interface MirrorOutcomeStep extends MirrorStep {
  result: "created" | "imported" | "present";
}

export type MirrorEvent = { type: "start"; step: MirrorStep } | { type: "done"; step: MirrorOutcomeStep };

export function mirrorSteps(plan: MirrorPlan): MirrorStep[] {
  return [
    ...plan.cacheRules.map((r) => ({ kind: "cacheRule" as const, name: r.name, target: `${plan.registry}/${r.targetRepository}` })),
    ...plan.imports.map((i) => ({ kind: "import" as const, name: i.source, target: `${plan.registry}/${i.target}` })),
  ];
}

/**
 * What the registry already has that the planner can see: its cache rules and credential sets
 * (imported images are not listable through ARM).
 */
export async function readExisting(port: RegistryPort, registry: RegistryRef): Promise<ExistingMirror> {
  const rules = await port.listCacheRules(registry);
  const credentialSets = await port.listCredentialSets(registry);
  return { cacheRules: rules.map((r) => ({ sourceRepository: r.sourceRepository, targetRepository: r.targetRepository })), artifacts: [], credentialSets };
}

/** What an import leaves in the registry, to look for before importing: repo@digest, else repo:tag. */
export function importedArtifact(entry: ImportPlan): ArtifactRef {
  const digest = /@(sha256:[0-9a-f]{64})$/.exec(entry.source)?.[1];
  if (digest) return { repository: entry.target.replace(/:[^/:]+$/, ""), reference: digest };
  const colon = entry.target.lastIndexOf(":");
  return { repository: entry.target.slice(0, colon), reference: entry.target.slice(colon + 1) };
}

export async function applyMirror(plan: MirrorPlan, port: RegistryPort, registry: RegistryRef, onEvent?: (e: MirrorEvent) => void): Promise<MirrorOutcomeStep[]> {
  const done: MirrorOutcomeStep[] = [];
  const steps = mirrorSteps(plan);
  for (const [i, step] of steps.entries()) {
    onEvent?.({ type: "start", step });
    let result: MirrorOutcomeStep["result"] = "created";
    if (step.kind === "cacheRule") await port.createCacheRule(registry, plan.cacheRules[i]!);
    else result = await port.importImage(registry, plan.imports[i - plan.cacheRules.length]!);
    const outcome = { ...step, result };
    done.push(outcome);
    onEvent?.({ type: "done", step: outcome });
  }
  return done;
}
