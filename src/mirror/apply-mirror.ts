// Carries out a mirror plan through the RegistryPort: credential sets, then cache rules (each waits
// for its long-running operation), then the imports, one at a time (ACR throttles imports per
// registry), then --prune's deletes. Stops at the first failure and says what was done before it,
// as deploy does.
import type { ExistingMirror, ImportPlan, MirrorPlan } from "./plan-mirror.js";
import type { ArtifactRef, RegistryPort, RegistryRef } from "./registry-port.js";

export interface MirrorStep {
  kind: "credentialSet" | "cacheRule" | "import" | "deleteCacheRule";
  /** the credential set's or rule's name, or the import's source */
  name: string;
  target: string;
}

export interface MirrorOutcomeStep extends MirrorStep {
  result: "created" | "imported" | "present" | "deleted";
  /** a new credential set's identity, which needs read access to the Key Vault secrets */
  principalId?: string;
}

export type MirrorEvent = { type: "start"; step: MirrorStep } | { type: "done"; step: MirrorOutcomeStep };

type Work = { step: MirrorStep; run: (port: RegistryPort, registry: RegistryRef) => Promise<Partial<MirrorOutcomeStep> & Pick<MirrorOutcomeStep, "result">> };

/**
 * The plan's steps in the order they are safe to run: credential sets (new rules refer to them),
 * cache rules, imports, and last the deletes, so a failure never leaves an image without its rule.
 */
function work(plan: MirrorPlan): Work[] {
  return [
    ...plan.credentialSets.map((c): Work => ({ step: { kind: "credentialSet", name: c.name, target: c.loginServer }, run: async (p, r) => ({ result: "created", ...(await p.createCredentialSet(r, c)) }) })),
    ...plan.cacheRules.map((rule): Work => ({ step: { kind: "cacheRule", name: rule.name, target: `${plan.registry}/${rule.targetRepository}` }, run: async (p, r) => (await p.createCacheRule(r, rule), { result: "created" }) })),
    ...plan.imports.map((i): Work => ({ step: { kind: "import", name: i.source, target: `${plan.registry}/${i.target}` }, run: async (p, r) => ({ result: await p.importImage(r, i) }) })),
    ...plan.deletes.map((d): Work => ({ step: { kind: "deleteCacheRule", name: d.name, target: d.sourceRepository }, run: async (p, r) => (await p.deleteCacheRule(r, d.name), { result: "deleted" }) })),
  ];
}

export function mirrorSteps(plan: MirrorPlan): MirrorStep[] {
  return work(plan).map((w) => w.step);
}

/**
 * What the registry already has that the planner can see through the management API: its cache
 * rules and credential sets (imported images are looked up in its data plane: findArtifacts).
 */
export async function readExisting(port: RegistryPort, registry: RegistryRef): Promise<ExistingMirror> {
  const rules = await port.listCacheRules(registry);
  const credentialSets = await port.listCredentialSets(registry);
  return { cacheRules: rules.map((r) => ({ name: r.name, sourceRepository: r.sourceRepository, targetRepository: r.targetRepository })), artifacts: [], credentialSets };
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
  for (const { step, run } of work(plan)) {
    onEvent?.({ type: "start", step });
    const outcome = { ...step, ...(await run(port, registry)) };
    done.push(outcome);
    onEvent?.({ type: "done", step: outcome });
  }
  return done;
}
