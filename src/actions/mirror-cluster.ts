// The images `azpol mirror --cluster` mirrors: what `azpol impact` finds denied on the live cluster
// (every pod-bearing kind the kubeconfig's context lists, workloads counted once, the assignment's
// excluded namespaces left out as impact leaves them out). The images of the workloads impact
// denies (containers and image volumes, impact/object-images.ts) are judged one by one by the same per-image check mirror uses for files, so a denied
// workload's allowed images (a sidecar from the user's registry) are not mirrored.
import type { ParameterOverride } from "../core/parameter-override.js";
import type { ActionContext } from "./context.js";
import { impact } from "./impact.js";

export interface ClusterSource {
  kubeconfig: string | undefined;
  context: string | undefined;
}

export interface ClusterImages {
  /** the cluster read ("context aks-prod (https://…)") */
  from: string;
  /** the images of the workloads impact denies (the caller judges each) */
  images: string[];
  /** workloads impact lists as excluded (their images are not mirrored) */
  excluded: number;
  /** kinds that could not be listed: never skipped silently */
  problems: string[];
}

export async function clusterImages(source: ClusterSource, definitions: string, overrides: ParameterOverride[], ctx: ActionContext): Promise<ClusterImages> {
  const seen = await impact({ source: undefined, definitions, overrides, kubeconfig: source.kubeconfig, context: source.context }, ctx);
  const images = [...new Set(seen.summary.denied.flatMap((w) => w.images))].sort();
  return { from: seen.from, images, excluded: seen.summary.excluded.length, problems: seen.problems };
}
