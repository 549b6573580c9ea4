// `azpol test --attack`: runs the bypass families (attack-families.ts) against a definition's
// template with the definition's parameters, on the engine, and reports each family that gets
// through with the object that proves it. A template that trusts a registry must deny every
// object here; one that does not is side-stepped by exactly that object on the cluster.
import type { KubeObject } from "../rego/kubernetes-object.js";
import type { Policy } from "../rego/evaluate.js";
import type { TemplateCache } from "../rego/template-cache.js";
import { attackFamilies, oversizedPod } from "./attack-families.js";
import { decide, denied } from "./judge.js";
import { deniesUnknownRegistries, findProbeImages } from "./probe-images.js";
import { podWith } from "./probe-objects.js";

export interface Bypass {
  family: string;
  description: string;
  /** what the object that got through tries */
  attempt: string;
  object: KubeObject;
}

export interface AttackReport {
  definition: string;
  template: string;
  /** false when no image the template denies was found: there is nothing to side-step */
  probed: boolean;
  note?: string;
  deniedImage?: string;
  allowedImage?: string;
  allowList?: boolean;
  /** every family tried, and how many objects each tried */
  families: { family: string; description: string; tried: number; through: number }[];
  bypasses: Bypass[];
}

/** Containers in the oversized Pod: about 1 MiB of JSON, under the API server's 3 MiB request limit. */
export const OVERSIZED_CONTAINERS = 5000;

export async function attack(cache: TemplateCache, policy: Policy & { definition: string }): Promise<AttackReport> {
  const base = { definition: policy.definition, template: policy.template.name, families: [], bypasses: [] };
  const images = await findProbeImages(cache, policy);
  if (images.denied === undefined) return { ...base, probed: false, note: "the template denies none of the probe images in a Pod's containers: it does not restrict registries, so there is nothing to side-step" };
  const allowList = await deniesUnknownRegistries(cache, policy);
  const [hubDenied] = await denied(cache, policy, [podWith("containers", "docker.io/library/nginx:1.25")]);
  const families = attackFamilies({ denied: images.denied, ...(images.allowed === undefined ? {} : { allowed: images.allowed }), allowList, trustsDockerHub: hubDenied !== true });
  families.push({
    family: "oversized-pod",
    description: `a Pod with ${OVERSIZED_CONTAINERS + 1} containers, the denied image in the last (a template that stops early, or errs on size, lets it through)`,
    cases: [{ attempt: `the denied image in container ${OVERSIZED_CONTAINERS + 1}`, object: oversizedPod({ denied: images.denied, allowList, trustsDockerHub: false, ...(images.allowed === undefined ? {} : { allowed: images.allowed }) }, OVERSIZED_CONTAINERS) }],
  });
  const cases = families.flatMap((f) => f.cases.map((c) => ({ family: f, c })));
  // an attack whose evaluation is not finished gets through: Gatekeeper's webhook times out and
  // the add-on, which fails open, admits it (judge.ts decide)
  const decisions = await decide(
    cache,
    policy,
    cases.map((x) => x.c.object),
  );
  const bypasses: Bypass[] = [];
  const summary = families.map((f) => ({ family: f.family, description: f.description, tried: f.cases.length, through: 0 }));
  cases.forEach(({ family, c }, i) => {
    if (decisions[i] === "denied") return;
    const s = summary.find((x) => x.family === family.family);
    if (s) s.through++;
    const attempt = decisions[i] === "undecided" ? `${c.attempt} (its evaluation does not finish: Gatekeeper's webhook would time out and the add-on admits it)` : c.attempt;
    bypasses.push({ family: family.family, description: family.description, attempt, object: c.object });
  });
  return {
    ...base,
    probed: true,
    deniedImage: images.denied,
    ...(images.allowed === undefined ? {} : { allowedImage: images.allowed }),
    allowList,
    families: summary,
    bypasses,
  };
}
