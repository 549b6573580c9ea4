// The one port between azpol and a live cluster: what impact reads. The @kubernetes/client-node
// adapter (kube-client-port.ts) implements it; tests can swap it.
import type { PodBearingKind } from "../core/pod-bearing-kinds.js";
import type { KubeObject } from "../rego/kubernetes-object.js";

export interface ClusterPort {
  /** where the port reads from, for messages ("context aks-prod (https://...)") */
  readonly describe: string;
  listNamespaces(): Promise<KubeObject[]>;
  /** every object of one pod-bearing kind in all namespaces, or why they could not be read */
  list(kind: PodBearingKind): Promise<KubeObject[] | { error: string }>;
}
