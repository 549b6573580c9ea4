// Probe objects: the smallest objects of each pod-bearing kind that carry one image in one
// place a Pod can run it from. Reach (reach.ts) and --attack (attack.ts) evaluate them on the
// engine to learn what a template can see, without reading its code.
import { apiVersionOf, POD_BEARING_KINDS, type PodBearingKind } from "../core/pod-bearing-kinds.js";
import type { KubeObject } from "../rego/kubernetes-object.js";

/** Where in a PodSpec an image can be: the three container lists and an image volume
 * (KEP-4639, `volumes[].image.reference`, beta and on by default since Kubernetes 1.33). */
export const IMAGE_FIELDS = ["containers", "initContainers", "ephemeralContainers", "imageVolume"] as const;
export type ImageField = (typeof IMAGE_FIELDS)[number];

export const FIELD_PATH: Record<ImageField, string> = {
  containers: "containers[].image",
  initContainers: "initContainers[].image",
  ephemeralContainers: "ephemeralContainers[].image",
  imageVolume: "volumes[].image.reference",
};

/** The namespace probe objects live in: not one the definitions exclude by default. */
export const PROBE_NAMESPACE = "azpol-probe";

/** A PodSpec with `image` in `field`; `baseline` (an image the template allows) runs in containers beside it. */
export function podSpecWith(field: ImageField, image: string, baseline?: string): Record<string, unknown> {
  const spec: Record<string, unknown> = { containers: baseline === undefined ? [] : [{ name: "main", image: baseline }] };
  if (field === "containers") spec.containers = [...(spec.containers as unknown[]), { name: "probe", image }];
  else if (field === "imageVolume") spec.volumes = [{ name: "probe", image: { reference: image, pullPolicy: "IfNotPresent" } }];
  else spec[field] = [{ name: "probe", image }];
  return spec;
}

/** An object of `kind` whose pod spec is `podSpec`, at the kind's own path (pod-bearing-kinds.ts). */
export function objectWithPodSpec(kind: PodBearingKind, podSpec: Record<string, unknown>, name = "probe"): KubeObject {
  const obj: Record<string, unknown> = { apiVersion: apiVersionOf(kind), kind: kind.kind, metadata: { name, namespace: PROBE_NAMESPACE, labels: { app: name } } };
  const path = kind.podSpecPath.split(".");
  let at = obj;
  for (const [i, key] of path.entries()) {
    if (i === path.length - 1) at[key] = podSpec;
    else {
      const next: Record<string, unknown> = {};
      at[key] = next;
      at = next;
      // a template (metadata + spec) needs its labels to match a selector; controllers do
      if (key === "template") next.metadata = { labels: { app: name } };
    }
  }
  const spec = obj.spec as Record<string, unknown>;
  if (["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"].includes(kind.kind)) spec.selector = { matchLabels: { app: name } };
  if (kind.kind === "ReplicationController") spec.selector = { app: name };
  if (kind.kind === "CronJob") spec.schedule = "0 0 * * *";
  return obj;
}

export const POD_KIND = POD_BEARING_KINDS[0] as PodBearingKind;

/** A Pod running `image` in `field`. */
export function podWith(field: ImageField, image: string, baseline?: string, name = "probe"): KubeObject {
  return objectWithPodSpec(POD_KIND, podSpecWith(field, image, baseline), name);
}
