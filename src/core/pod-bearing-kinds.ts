// The one table of Kubernetes kinds that carry a pod spec. Everything that must agree on
// "which objects can run a container" is derived from it: the apiGroups/kinds a definition
// emits by default (policy-model.ts), the API-group check in validate (rules/match-kinds.ts),
// the pod-spec paths the registry templates walk (templates/pod-spec-rego.ts, inlined into
// every template.yaml by 'npm run generate'), and the test workloads. test/pod-bearing-kinds.test.ts
// fails when any of them drifts from this table.

export interface PodBearingKind {
  group: string;
  version: string;
  kind: string;
  /** dotted path from the object root to its PodSpec */
  podSpecPath: string;
}

export const POD_BEARING_KINDS: readonly PodBearingKind[] = [
  { group: "", version: "v1", kind: "Pod", podSpecPath: "spec" },
  { group: "apps", version: "v1", kind: "Deployment", podSpecPath: "spec.template.spec" },
  { group: "apps", version: "v1", kind: "StatefulSet", podSpecPath: "spec.template.spec" },
  { group: "apps", version: "v1", kind: "DaemonSet", podSpecPath: "spec.template.spec" },
  { group: "apps", version: "v1", kind: "ReplicaSet", podSpecPath: "spec.template.spec" },
  { group: "", version: "v1", kind: "ReplicationController", podSpecPath: "spec.template.spec" },
  { group: "batch", version: "v1", kind: "Job", podSpecPath: "spec.template.spec" },
  { group: "batch", version: "v1", kind: "CronJob", podSpecPath: "spec.jobTemplate.spec.template.spec" },
  // PodTemplate objects are read by controllers (and by users' own operators) to make Pods.
  { group: "", version: "v1", kind: "PodTemplate", podSpecPath: "template.spec" },
];

/** The container lists of a PodSpec that run an image. */
export const CONTAINER_FIELDS = ["containers", "initContainers", "ephemeralContainers"] as const;

/**
 * Every list of a PodSpec whose items name an image the kubelet pulls, and where in an item the
 * image is: the three container lists (`image`) and image volumes (`volumes[].image.reference`,
 * the ImageVolume feature, beta and on by default in Kubernetes 1.35: the kubelet pulls it from
 * any registry and mounts it into a container that may run what it holds). A volume without
 * `image` is another kind of volume and pulls nothing.
 */
export interface ImageField {
  /** the PodSpec list */
  list: string;
  /** the path of the image string inside one item */
  imagePath: readonly string[];
  /** what an item is called in a violation message */
  noun: "container" | "volume";
}

export const IMAGE_FIELDS: readonly ImageField[] = [
  ...CONTAINER_FIELDS.map((list) => ({ list, imagePath: ["image"], noun: "container" as const })),
  { list: "volumes", imagePath: ["image", "reference"], noun: "volume" },
];

/**
 * Bounds on what the registry templates read of one object (all its pod specs together), so that
 * no object can make an evaluation outlast Gatekeeper's 3 s webhook timeout (the AKS add-on then
 * admits it undecided). Above either bound a template denies the object with one violation that
 * says why, before reading any image. No real workload comes near them; `npm run
 * bench:worst-case` measures the cost at the bounds with gator.
 *   MAX_POD_SPEC_ITEMS: items of the container lists and `volumes` (image volumes or not),
 *     counted without reading them;
 *   MAX_IMAGE_ITEMS: items that pull an image (containers and image volumes), each of which may
 *     name a distinct image to parse.
 */
export const MAX_POD_SPEC_ITEMS = 1000;
export const MAX_IMAGE_ITEMS = 128;

/** The PodSpec lists that pull images: the container lists and `volumes`. */
export const IMAGE_LISTS = IMAGE_FIELDS.map((f) => f.list) as readonly ImageList[];
export type ImageList = (typeof CONTAINER_FIELDS)[number] | "volumes";

export const POD_BEARING_API_GROUPS: readonly string[] = [...new Set(POD_BEARING_KINDS.map((k) => k.group))];

export const POD_BEARING_KIND_NAMES: readonly string[] = POD_BEARING_KINDS.map((k) => k.kind);

/** kind → API group, for the built-in pod-bearing kinds. */
export function apiGroupOfKind(kind: string): string | undefined {
  return POD_BEARING_KINDS.find((k) => k.kind === kind)?.group;
}

export function apiVersionOf(k: PodBearingKind): string {
  return k.group === "" ? k.version : `${k.group}/${k.version}`;
}
