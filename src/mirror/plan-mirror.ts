// How to get every denied image into the user's Azure Container Registry. Pure.
// - An artifact-cache rule per upstream ACR can cache (CACHE_UPSTREAMS): `<host>/*` → `<host>/*`,
//   so every image of that upstream is pulled through on first use at <registry>/<host>/<path>.
// - importImage for an image pinned by digest (a cache pulls tags; an import copies exactly that
//   manifest) or from an upstream the cache does not serve.
// `existing` makes it idempotent: rules already in the registry (same source and target) and
// images already there are not planned again.
import { CACHE_UPSTREAMS, mirroredReference, upstreamOf } from "./mirror-path.js";

export interface CacheRulePlan {
  /** ACR cache rule names: 5-50 letters, digits and '-' */
  name: string;
  sourceRepository: string;
  targetRepository: string;
  /** the registry's credential set for this upstream (its login server), when it has one */
  credentialSet?: string;
  images: string[];
}

export interface ImportPlan {
  /** the image to copy, on its upstream */
  source: string;
  /** where it lands: repo:tag, or repo alone for a digest without a tag */
  target: string;
  why: string;
  images: string[];
}

export interface MirrorPlan {
  registry: string;
  cacheRules: CacheRulePlan[];
  imports: ImportPlan[];
  /** image as written → its name in the user's registry (what `fix --to` writes) */
  references: { image: string; mirrored: string }[];
  /** images azpol cannot read as references */
  unreadable: string[];
  /** already in place (idempotent re-run) */
  upToDate: string[];
}

export interface ExistingMirror {
  cacheRules: { sourceRepository: string; targetRepository: string }[];
  /** repositories with tags or digests already in the registry ("registry.k8s.io/pause:3.9") */
  artifacts: string[];
  /** the registry's credential sets: a new rule for an upstream pulls with the set for its login server */
  credentialSets?: { name: string; loginServer: string }[];
}

export const ruleName = (host: string) => `azpol-${host.replace(/[^a-z0-9]+/gi, "-").toLowerCase()}`.slice(0, 50);

export function planMirror(images: string[], registry: string, existing: ExistingMirror = { cacheRules: [], artifacts: [] }): MirrorPlan {
  const plan: MirrorPlan = { registry, cacheRules: [], imports: [], references: [], unreadable: [], upToDate: [] };
  const rules = new Map<string, CacheRulePlan>();
  const imports = new Map<string, ImportPlan>();
  for (const image of [...new Set(images)].sort()) {
    const up = upstreamOf(image);
    const mirrored = mirroredReference(image, registry);
    if (!up || !mirrored) {
      plan.unreadable.push(image);
      continue;
    }
    plan.references.push({ image, mirrored });
    const repo = `${up.host}/${up.path}`;
    const cached = CACHE_UPSTREAMS.includes(up.host) && !up.digest;
    if (cached) {
      const source = `${up.host}/*`;
      if (existing.cacheRules.some((r) => r.sourceRepository === source && r.targetRepository === source)) {
        plan.upToDate.push(image);
        continue;
      }
      const credentialSet = existing.credentialSets?.find((c) => c.loginServer.toLowerCase() === up.host)?.name;
      const rule = rules.get(source) ?? { name: ruleName(up.host), sourceRepository: source, targetRepository: source, ...(credentialSet ? { credentialSet } : {}), images: [] };
      rule.images.push(image);
      rules.set(source, rule);
      continue;
    }
    const target = up.tag ? `${repo}:${up.tag}` : up.digest ? repo : `${repo}:latest`;
    if (existing.artifacts.includes(up.digest ? `${repo}@${up.digest}` : target)) {
      plan.upToDate.push(image);
      continue;
    }
    const source = `${repo}${up.tag ? `:${up.tag}` : ""}${up.digest ? `@${up.digest}` : ""}`;
    const entry = imports.get(source) ?? { source, target, why: up.digest ? "pinned by digest: a cache rule pulls tags, an import copies this exact manifest" : `ACR artifact cache does not serve ${up.host}`, images: [] };
    entry.images.push(image);
    imports.set(source, entry);
  }
  plan.cacheRules = [...rules.values()].sort((a, b) => a.sourceRepository.localeCompare(b.sourceRepository));
  plan.imports = [...imports.values()].sort((a, b) => a.source.localeCompare(b.source));
  return plan;
}
