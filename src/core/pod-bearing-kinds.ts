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

export const POD_BEARING_API_GROUPS: readonly string[] = [...new Set(POD_BEARING_KINDS.map((k) => k.group))];

export const POD_BEARING_KIND_NAMES: readonly string[] = POD_BEARING_KINDS.map((k) => k.kind);

/** kind → API group, for the built-in pod-bearing kinds. */
export function apiGroupOfKind(kind: string): string | undefined {
  return POD_BEARING_KINDS.find((k) => k.kind === kind)?.group;
}

export function apiVersionOf(k: PodBearingKind): string {
  return k.group === "" ? k.version : `${k.group}/${k.version}`;
}
