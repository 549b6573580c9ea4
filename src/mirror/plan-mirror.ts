// How to get every denied image into the user's Azure Container Registry. Pure.
// - An artifact-cache rule per upstream ACR can cache (CACHE_UPSTREAMS): `<host>/*` → `<host>/*`,
//   so every image of that upstream is pulled through on first use at <registry>/<host>/<path>.
// - importImage for an image pinned by digest (a cache pulls tags; an import copies exactly that
//   manifest) or from an upstream the cache does not serve.
// - a credential set (Key Vault secret URIs for the upstream's user name and password) when asked
//   for and the registry has none for that upstream; new rules for that upstream pull with it.
// - with prune: deleting the cache rules azpol made (named azpol-<host>, `<host>/*` → `<host>/*`,
//   exactly what ruleName() and this planner create) that no image needs any more. ARM cache rules
//   take no tags, so the name and shape are the mark; a rule of any other name or shape is the
//   user's and is never deleted.
// `existing` makes it idempotent: rules already in the registry (same source and target) and
// images already there are not planned again.
import { CACHE_UPSTREAMS, mirroredReference, upstreamOf } from "./mirror-path.js";
import { compareText } from "../model/compare-text.js";

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

/** a credential set azpol is asked to create: the upstream and its Key Vault secret URIs */
export interface CredentialSetRequest {
  loginServer: string;
  usernameSecret: string;
  passwordSecret: string;
}

export interface CredentialSetPlan extends CredentialSetRequest {
  name: string;
}

export interface CacheRuleDelete {
  name: string;
  sourceRepository: string;
}

export interface MirrorPlan {
  registry: string;
  credentialSets: CredentialSetPlan[];
  cacheRules: CacheRulePlan[];
  imports: ImportPlan[];
  /** --prune: cache rules azpol made that no image needs any more */
  deletes: CacheRuleDelete[];
  /** credential sets asked for that the registry already has for that upstream (not created again) */
  credentialSetsPresent: { loginServer: string; name: string }[];
  /** image as written → its name in the user's registry (what `fix --to` writes) */
  references: { image: string; mirrored: string }[];
  /** images azpol cannot read as references */
  unreadable: string[];
  /** already in place (idempotent re-run) */
  upToDate: string[];
}

export interface ExistingMirror {
  cacheRules: { name?: string; sourceRepository: string; targetRepository: string }[];
  /** repositories with tags or digests already in the registry ("registry.k8s.io/pause:3.9") */
  artifacts: string[];
  /** the registry's credential sets: a new rule for an upstream pulls with the set for its login server */
  credentialSets?: { name: string; loginServer: string }[];
}

export const ruleName = (host: string) => `azpol-${host.replace(/[^a-z0-9]+/gi, "-").toLowerCase()}`.slice(0, 50);

export interface MirrorOptions {
  credentialSets?: CredentialSetRequest[];
  prune?: boolean;
}

/** A rule exactly as this planner makes it: azpol-<host>, `<host>/*` → `<host>/*`. */
export function isAzpolRule(rule: { name?: string; sourceRepository: string; targetRepository: string }): boolean {
  const host = /^([^/*]+)\/\*$/.exec(rule.sourceRepository)?.[1];
  return host !== undefined && rule.targetRepository === rule.sourceRepository && rule.name === ruleName(host);
}

export function planMirror(images: string[], registry: string, existing: ExistingMirror = { cacheRules: [], artifacts: [] }, options: MirrorOptions = {}): MirrorPlan {
  const plan: MirrorPlan = { registry, credentialSets: [], cacheRules: [], imports: [], deletes: [], credentialSetsPresent: [], references: [], unreadable: [], upToDate: [] };
  const sets = [...(existing.credentialSets ?? [])];
  for (const asked of options.credentialSets ?? []) {
    const has = sets.find((c) => c.loginServer.toLowerCase() === asked.loginServer.toLowerCase());
    if (has) {
      plan.credentialSetsPresent.push({ loginServer: asked.loginServer, name: has.name });
      continue;
    }
    const made = { name: ruleName(asked.loginServer), ...asked };
    plan.credentialSets.push(made);
    sets.push({ name: made.name, loginServer: made.loginServer });
  }
  /** the cache rule sources the images need, including those already served */
  const needed = new Set<string>();
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
      needed.add(source);
      if (existing.cacheRules.some((r) => r.sourceRepository === source && r.targetRepository === source)) {
        plan.upToDate.push(image);
        continue;
      }
      const credentialSet = sets.find((c) => c.loginServer.toLowerCase() === up.host)?.name;
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
  plan.cacheRules = [...rules.values()].sort((a, b) => compareText(a.sourceRepository, b.sourceRepository));
  plan.imports = [...imports.values()].sort((a, b) => compareText(a.source, b.source));
  if (options.prune) plan.deletes = existing.cacheRules.filter((r) => isAzpolRule(r) && !needed.has(r.sourceRepository)).map((r) => ({ name: r.name as string, sourceRepository: r.sourceRepository }));
  return plan;
}
