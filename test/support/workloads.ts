// Builds a Kubernetes object of a given pod-bearing kind that pulls `image` in one image field
// (a container list, or an image volume), so corpus entries can say "this image, in a CronJob's
// init containers". The shape of each kind comes from the one table (src/core/pod-bearing-kinds.ts).
import { apiVersionOf, POD_BEARING_KINDS, type ImageList } from "../../src/core/pod-bearing-kinds.js";
import type { KubeObject } from "../../src/rego/kubernetes-object.js";

export type ContainerField = ImageList;

export function workload(kind: string, field: ContainerField, image: string, name: string, filler: string, namespace = "default"): KubeObject {
  const entry = POD_BEARING_KINDS.find((k) => k.kind === kind);
  if (!entry) throw new Error(`unknown workload kind ${kind}`);
  const podSpec: Record<string, unknown> = { containers: [{ name: "main", image: filler }] };
  // The image under test replaces the main container, or joins it in another field.
  if (field === "containers") podSpec.containers = [{ name: "main", image }];
  else if (field === "volumes") podSpec.volumes = [{ name: "extra", image: { reference: image, pullPolicy: "IfNotPresent" } }];
  else podSpec[field] = [{ name: "extra", image }];
  const object: KubeObject = { apiVersion: apiVersionOf(entry), kind, metadata: { name, namespace, labels: { app: name } } };
  setPath(object, entry.podSpecPath, podSpec);
  // Give controllers what they need to be valid objects (selectors, schedules, template labels).
  const spec = object.spec as Record<string, unknown> | undefined;
  if (["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"].includes(kind) && spec) spec.selector = { matchLabels: { app: name } };
  if (kind === "CronJob" && spec) spec.schedule = "0 * * * *";
  const templatePath = entry.podSpecPath.replace(/\.spec$/, "");
  if (templatePath !== entry.podSpecPath) setPath(object, `${templatePath}.metadata`, { labels: { app: name } });
  return object;
}

function setPath(root: Record<string, unknown>, dotted: string, value: unknown): void {
  const keys = dotted.split(".");
  let node = root;
  for (const key of keys.slice(0, -1)) {
    node[key] ??= {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1] as string] = value;
}
