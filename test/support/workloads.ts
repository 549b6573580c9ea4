// Builds a Kubernetes object of a given kind that runs `image` in one container field, so
// corpus entries can say "this image, in a CronJob's init containers".
import type { KubeObject } from "../../src/rego/kubernetes-object.js";

export type ContainerField = "containers" | "initContainers" | "ephemeralContainers";

const API_VERSION: Record<string, string> = {
  Pod: "v1",
  ReplicationController: "v1",
  Deployment: "apps/v1",
  StatefulSet: "apps/v1",
  DaemonSet: "apps/v1",
  ReplicaSet: "apps/v1",
  Job: "batch/v1",
  CronJob: "batch/v1",
};

export function workload(kind: string, field: ContainerField, image: string, name: string, filler: string, namespace = "default"): KubeObject {
  const apiVersion = API_VERSION[kind];
  if (!apiVersion) throw new Error(`unknown workload kind ${kind}`);
  const podSpec: Record<string, unknown> = { containers: [{ name: "main", image: filler }] };
  // The image under test replaces the main container, or joins it in another field.
  if (field === "containers") podSpec.containers = [{ name: "main", image }];
  else podSpec[field] = [{ name: "extra", image }];
  const metadata = { name, namespace, labels: { app: name } };
  const template = { metadata: { labels: { app: name } }, spec: podSpec };
  switch (kind) {
    case "Pod":
      return { apiVersion, kind, metadata, spec: podSpec };
    case "CronJob":
      return { apiVersion, kind, metadata, spec: { schedule: "0 * * * *", jobTemplate: { spec: { template } } } };
    case "Job":
    case "ReplicationController":
      return { apiVersion, kind, metadata, spec: { template } };
    default:
      return { apiVersion, kind, metadata, spec: { selector: { matchLabels: { app: name } }, template } };
  }
}
