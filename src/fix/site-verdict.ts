// The verdict `azpol test` gives the objects that run an image site, for fix: an image shared
// through a YAML anchor is run by every object that aliases it, so it takes all their verdicts,
// and "deny wins": one object that runs it and is denied is enough to move it.
import type { ImageSite } from "./find-images.js";
import type { ExclusionCheck } from "./plan-fixes.js";

/**
 * What the objects using a site make of it: neither (some object runs it and is denied: it must
 * move), else rejected (an object using it is refused by the API server: fix that object first),
 * else excluded (every object using it is left out by every denying definition). A site with no
 * object (Helm values) runs.
 */
export async function useVerdict(site: ImageSite, by: string[], rejection: (line: number) => Promise<string[]>, excludedBy: ExclusionCheck): Promise<{ rejected?: { line: number; reason: string }; excluded?: string }> {
  const uses = site.uses ?? [];
  if (uses.length === 0) return {};
  let rejected: { line: number; reason: string } | undefined;
  const excluded: string[] = [];
  for (const use of uses) {
    const reasons = await rejection(use.line);
    if (reasons.length) {
      rejected ??= { line: use.line, reason: reasons.join("; ") };
      continue;
    }
    const exclusions = excludedBy(use.object, by);
    if (!(exclusions.length && by.every((d) => exclusions.some((e) => e.definition === d)))) return {};
    excluded.push(...exclusions.map((e) => e.reason));
  }
  return rejected ? { rejected } : { excluded: [...new Set(excluded)].join("; ") };
}
