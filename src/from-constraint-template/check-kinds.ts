// `new --from-template --kinds`: a kind the user typed is checked before the source is written, as
// validate would check it. A kind with no API group that is not a built-in kind of the core group
// ("Pdo") matches nothing and no check says so later (the reach probe only covers pod-bearing
// kinds): a warning naming it. The built-in kinds are Kubernetes' own API (k8s.io/api, v1.33).
import type { Diagnostic } from "../model/diagnostics.js";

const BUILT_IN: Record<string, readonly string[]> = {
  "": ["Pod", "PodTemplate", "ReplicationController", "Namespace", "Service", "ConfigMap", "Secret", "ServiceAccount", "PersistentVolume", "PersistentVolumeClaim", "Node", "Endpoints", "Event", "LimitRange", "ResourceQuota", "Binding", "ComponentStatus"],
  apps: ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ControllerRevision"],
  batch: ["Job", "CronJob"],
  "networking.k8s.io": ["Ingress", "IngressClass", "NetworkPolicy"],
  "rbac.authorization.k8s.io": ["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"],
  policy: ["PodDisruptionBudget"],
  autoscaling: ["HorizontalPodAutoscaler"],
  "storage.k8s.io": ["StorageClass", "CSIDriver", "CSINode", "VolumeAttachment"],
  "scheduling.k8s.io": ["PriorityClass"],
  "admissionregistration.k8s.io": ["ValidatingWebhookConfiguration", "MutatingWebhookConfiguration", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding"],
  "apiextensions.k8s.io": ["CustomResourceDefinition"],
  "coordination.k8s.io": ["Lease"],
  "discovery.k8s.io": ["EndpointSlice"],
  "node.k8s.io": ["RuntimeClass"],
  "certificates.k8s.io": ["CertificateSigningRequest"],
};

const groupsOf = (kind: string) => Object.entries(BUILT_IN).filter(([, kinds]) => kinds.includes(kind)).map(([g]) => g);

/** Warnings for `--kinds` entries ("Pdo") given as the flag's raw text. */
export function kindsFlagWarnings(value: string, file: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const raw of value.split(",").map((s) => s.trim()).filter(Boolean)) {
    const slash = raw.lastIndexOf("/");
    const group = slash < 0 ? "" : raw.slice(0, slash);
    const kind = slash < 0 ? raw : raw.slice(slash + 1);
    // a built-in kind in the wrong group ("apps/Pod", "Deployment") is validate's own AZP2017 warning
    if (group !== "" || groupsOf(kind).length) continue;
    out.push({ code: "AZP2017", severity: "warning", message: `--kinds ${raw}: ${kind} is not a built-in Kubernetes kind and has no API group, so as written the definition matches no object; if it is a custom resource, qualify it with its API group (<group>/${kind}); if it is a built-in kind, check its spelling`, file, pointer: "/kinds" });
  }
  return out;
}
