// Reach: which of the kinds a definition declares, and which places in their pod specs, its
// template can actually see. Each is probed on the engine with an object that runs an image
// the template denies in a Pod's containers (probe-images.ts) in exactly that place; a place
// where it gets no violation is one the template cannot see: a workload there is "ok" to
// `azpol test` and admitted by the cluster. Where Gatekeeper's expansion (details.source: All)
// would make the template see it, through the Pod the workload creates, that is probed too.
import { POD_BEARING_KINDS, type PodBearingKind } from "../core/pod-bearing-kinds.js";
import type { Policy } from "../rego/evaluate.js";
import type { TemplateCache } from "../rego/template-cache.js";
import { judge } from "./judge.js";
import { findProbeImages } from "./probe-images.js";
import { IMAGE_FIELDS, objectWithPodSpec, podSpecWith, type ImageField } from "./probe-objects.js";

export interface ReachGap {
  kind: string;
  field: ImageField;
  /** the template sees it when the definition sets details.source: All (expansion) */
  fixedBySourceAll: boolean;
}

export interface Reach {
  definition: string;
  template: string;
  /** false when no image the template denies was found: nothing could be probed */
  probed: boolean;
  note?: string;
  deniedImage?: string;
  /** declared pod-bearing kinds that were probed */
  kinds: string[];
  gaps: ReachGap[];
}

/** The pod-bearing kinds the constraint's match.kinds covers (Gatekeeper's kinds matcher). */
export function declaredPodKinds(policy: Policy): PodBearingKind[] {
  const entries = policy.constraint.match?.kinds;
  if (!entries || entries.length === 0) return [...POD_BEARING_KINDS];
  return POD_BEARING_KINDS.filter((k) =>
    entries.some((e) => {
      const kinds = e.kinds ?? [];
      const groups = e.apiGroups ?? [];
      return (kinds.length === 0 || kinds.includes("*") || kinds.includes(k.kind)) && (groups.length === 0 || groups.includes("*") || groups.includes(k.group));
    }),
  );
}

export async function probeReach(cache: TemplateCache, policy: Policy & { definition: string }): Promise<Reach> {
  const base = { definition: policy.definition, template: policy.template.name };
  const images = await findProbeImages(cache, policy);
  const kinds = declaredPodKinds(policy);
  if (images.undecided && (images.denied === undefined || images.allowed === undefined)) {
    return { ...base, probed: false, note: "the template's evaluation of the probe Pods was not finished (stopped at azpol's step bound, or it calls external data), so what it can see was not probed", kinds: [], gaps: [] };
  }
  if (images.denied === undefined) {
    return { ...base, probed: false, note: "the template denies none of the probe images in a Pod's containers, so what it can see was not probed", kinds: [], gaps: [] };
  }
  // a template that denies every probe image does not decide by image (it judges something else
  // of every Pod): a place where it "misses" an image says nothing about what it can see
  if (images.allowed === undefined) {
    return { ...base, probed: false, note: "the template denies every probe image in a Pod's containers, so it does not decide by image and what it can see was not probed", kinds: [], gaps: [] };
  }
  const places = kinds.flatMap((kind) => IMAGE_FIELDS.map((field) => ({ kind, field })));
  // each probe beside its baseline: the same object with only the allowed image
  const baseline = { containers: [{ name: "main", image: images.allowed }] };
  const objects = places.flatMap(({ kind, field }, i) => [objectWithPodSpec(kind, podSpecWith(field, images.denied as string, images.allowed), `reach-${i}`), objectWithPodSpec(kind, baseline, `base-${i}`)]);
  const unseen = async (source?: string) => {
    const found = await judge(cache, policy, objects, source);
    return places.map((_, i) => (found[2 * i]?.length ?? 0) <= (found[2 * i + 1]?.length ?? 0));
  };
  const blind = await unseen();
  const source = policy.constraint.match?.source ?? "";
  const expanding = source === "All" || source === "Generated";
  const withExpansion = blind.some(Boolean) && !expanding ? await unseen("All") : blind;
  const gaps = places.flatMap(({ kind, field }, i) => (blind[i] ? [{ kind: kind.kind, field, fixedBySourceAll: !expanding && withExpansion[i] === false }] : []));
  return { ...base, probed: true, deniedImage: images.denied, kinds: kinds.map((k) => k.kind), gaps };
}
