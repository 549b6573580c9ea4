// Where an image lives once mirrored into the user's registry: <registry>/<upstream host>/<path>,
// keeping tag and digest. The upstream is where the image can still be pulled from: k8s.gcr.io is
// frozen and serves nothing new, so its images come from registry.k8s.io, which serves the same
// content (the replacement the k8s.gcr.io preset declares); a name without a registry is Docker Hub
// (library/ for one-component names, distribution/reference normalize.go).
import { normalizeHub, parseReference } from "../fix/image-reference.js";

/** Upstreams an ACR artifact-cache rule can pull from (Azure/acr#783; azure-policy-k8s-2026.md). */
export const CACHE_UPSTREAMS = ["docker.io", "registry.k8s.io", "gcr.io", "mcr.microsoft.com", "quay.io", "ghcr.io", "public.ecr.aws", "nvcr.io"];

const FROZEN: Record<string, string> = { "k8s.gcr.io": "registry.k8s.io" };

export interface Upstream {
  host: string;
  /** repository path on the upstream (docker.io one-component names under library/) */
  path: string;
  tag?: string;
  digest?: string;
}

export function upstreamOf(image: string): Upstream | undefined {
  const ref = parseReference(image);
  if (!ref) return undefined;
  const hub = normalizeHub(ref.host?.toLowerCase(), ref.path);
  const host = FROZEN[hub.host] ?? hub.host;
  const path = hub.path;
  return { host, path, ...(ref.tag ? { tag: ref.tag } : {}), ...(ref.digest ? { digest: ref.digest } : {}) };
}

/** The image's name in the user's registry, with its tag and digest. */
export function mirroredReference(image: string, registry: string): string | undefined {
  const up = upstreamOf(image);
  if (!up) return undefined;
  return `${registry}/${up.host}/${up.path}${up.tag ? `:${up.tag}` : ""}${up.digest ? `@${up.digest}` : ""}`;
}

/** `fix --to <registry>` rules: each registry host seen (and k8s.gcr.io, docker.io) → its mirror. */
export function mirrorReplacements(registry: string, hosts: string[]): Record<string, string> {
  const rules: Record<string, string> = {};
  for (const h of new Set([...hosts.map((x) => x.toLowerCase()), "k8s.gcr.io", "docker.io"])) {
    if (h === registry.toLowerCase()) continue;
    rules[h] = `${registry}/${FROZEN[h] ?? (h === "index.docker.io" ? "docker.io" : h)}`;
  }
  return rules;
}
