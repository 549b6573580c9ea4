// Reach probes (src/probe/reach.ts) remembered by what decides their answer, so `azpol test`
// does not re-probe an unchanged definition on every run and `azpol validate` can report the
// same AZP3016 warnings without starting the engine. The key is the sha256 of: the probe logic's
// version and azpol's, the engine build (engine/dist/.source-hash, as the compile cache), the
// engine choice, the template's code (Rego, libs, Rego version, CEL), and the constraint with its
// scope lifted as the probes run it (kind, match.kinds, match.source, parameters): a template hash
// alone would reuse one definition's answer for another with other kinds or registries.
// Entries live beside the compile cache ($AZPOL_CACHE_DIR, else $XDG_CACHE_HOME/azpol, else
// ~/.cache/azpol, in reach/), written through the guarded writer; never in the user's sources.
// A corrupt or unreadable entry is a miss; a cache that cannot be written only costs speed.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { VERSION } from "../model/azpol-version.js";
import { writeGuarded } from "../io/guarded-writer.js";
import type { EngineChoice } from "../rego/engine-choice.js";
import type { Policy } from "../rego/evaluate.js";
import type { TemplateCache } from "../rego/template-cache.js";
import { unscoped } from "../probe/judge.js";
import { probeReach, type Reach } from "../probe/reach.js";
import { engineBuildId } from "./compile-cache.js";
import { cacheDir } from "../io/cache-dir.js";
import { compileKey } from "./compile-constraint-templates.js";

/** Bump when probe-images.ts, probe-objects.ts or reach.ts change what a probe answers. */
const PROBE_VERSION = 2;

type Probed = Omit<Reach, "definition">;
type DefinitionPolicy = Policy & { definition: string };

export class ReachCache {
  private readonly build = engineBuildId();
  constructor(private readonly dir = join(cacheDir(), "reach")) {}

  key(policy: Policy, choice: EngineChoice): string | undefined {
    if (!this.build) return undefined;
    const t = policy.template;
    const c = unscoped(policy.constraint);
    const what = [PROBE_VERSION, VERSION, this.build, choice, compileKey(t), t.libs, t.regoVersion ?? "", c.kind, c.match ?? null, c.parameters ?? null];
    return createHash("sha256").update(JSON.stringify(what)).digest("hex");
  }

  get(policy: DefinitionPolicy, choice: EngineChoice): Reach | undefined {
    const key = this.key(policy, choice);
    if (!key) return undefined;
    try {
      const entry = JSON.parse(readFileSync(join(this.dir, `${key}.json`), "utf8")) as Probed;
      if (typeof entry.probed !== "boolean" || !Array.isArray(entry.gaps) || !Array.isArray(entry.kinds)) return undefined;
      // names are not part of the key: they are the asking policy's (keys in the order a fresh
      // probe gives them, so `--json` is the same bytes whether the answer was probed or remembered)
      return { definition: policy.definition, ...entry, template: policy.template.name };
    } catch {
      return undefined;
    }
  }

  set(policy: Policy, choice: EngineChoice, reach: Reach): void {
    const key = this.key(policy, choice);
    if (!key) return;
    const { definition: _definition, ...probed } = reach;
    try {
      writeGuarded(this.dir, join(this.dir, `${key}.json`), JSON.stringify(probed), { label: "the reach cache" });
    } catch {
      // a read-only or full cache folder only costs speed
    }
  }
}

/** The definition's reach: from the cache, else probed on the engine (`templates` is made only then) and remembered. */
export async function reachOf(policy: DefinitionPolicy, cache: ReachCache, choice: EngineChoice, templates: () => Promise<TemplateCache>): Promise<Reach> {
  const known = cache.get(policy, choice);
  if (known) return known;
  const probed = await probeReach(await templates(), policy);
  cache.set(policy, choice, probed);
  return probed;
}
