// Images in a Helm values document, found by shape, not by key names (charts spell them every
// way: ingress-nginx `image: {registry, image, tag, digest}`, csi-driver-nfs
// `image.nfs.{repository, tag}`, kube-state-metrics `image: {registry, repository, tag, sha}`,
// bitnami `image: {registry, repository, tag, digest}` with `global.imageRegistry`):
// - an image map: any map at any depth with a repository (`repository`, `image` or `name`) beside
//   a `registry`, `tag`, `digest` or `sha`; the image is registry/repository:tag@digest;
// - a registry override: a string under a key ending in "registry" (`global.imageRegistry`), `hub`
//   or `imageRepository` that is a registry host (with a path or not), or the bare host of a registry a replacement moves from under any key
//   (istio `hub: k8s.gcr.io`, kubeadm-style `imageRepository: k8s.gcr.io`), outside an image map:
//   every image of the chart may be pulled from it;
// - a plain string anywhere (a map value or a list item) that is a full reference naming its
//   registry (`k8s.gcr.io/pause:3.9`), or any reference under an `image:` key.
// What has an image's shape but cannot be read (a templated `{{ ... }}` value, a map whose
// template decides between `repository` and `registry`/`image`) is returned as unsure: fix lists
// it as needing a human rather than calling it checked.
import { isAlias, isPair, isScalar, isSeq, visit, type Alias, type Document, type Node, type Scalar, type YAMLMap } from "yaml";
import { isRegistryValue, parseReference } from "./image-reference.js";
import { aliasResolver } from "./yaml-aliases.js";

export interface ValuesSite {
  node: Scalar;
  /** the image reference the scalar is part of (for a registry override: the registry/...) */
  image: string;
  part: "image" | "registry" | "repository";
  /** what to show instead of the image (a registry override names the registry, not a probe) */
  shown?: string;
}

export interface Unsure {
  node: Node;
  value: string;
  why: string;
}

const REPOSITORY_KEYS = ["repository", "image", "name"] as const;

/** Keys charts name a registry (or registry/prefix) with: `global.imageRegistry`, istio's `hub`,
 * kubeadm's `imageRepository` (a registry, not a repository: kubeadm ClusterConfiguration). */
const REGISTRY_KEY = /(registry|^hub|imageRepository)$/i;

/** The text a scalar holds, as written: `tag: 1.10` is "1.10", not the number 1.1. */
function scalarText(node: Scalar): string | undefined {
  if (typeof node.value === "string") return node.value;
  if (typeof node.value === "number" || typeof node.value === "bigint") return node.source ?? String(node.value);
  return undefined;
}

function entry(map: YAMLMap, key: string, resolve: (alias: Alias) => Node | undefined): Scalar | undefined {
  const node = map.get(key, true) as Node | undefined;
  const value = isAlias(node) ? resolve(node) : node;
  return isScalar(value) ? value : undefined;
}

/** The key a value sits under; for a list item, the key of the list. */
const keyOf = (path: readonly unknown[]): string | undefined => {
  const parent = path[path.length - 1];
  const pair = isSeq(parent) ? path[path.length - 2] : parent;
  return isPair(pair) && isScalar(pair.key) ? String(pair.key.value) : undefined;
};

/** `knownHost` says whether a registry host is one a replacement rule moves images from: a
 * string naming it (`k8s.gcr.io/pause`) is an image even without a tag or an image-like key. */
export function valuesImages(doc: Document, knownHost: (host: string) => boolean = () => false): { sites: ValuesSite[]; unsure: Unsure[] } {
  const sites: ValuesSite[] = [];
  const unsure: Unsure[] = [];
  const consumed = new Set<Node>();
  const resolve = aliasResolver(doc);
  visit(doc, {
    Map(_, map) {
      const get = (key: string) => entry(map, key, resolve);
      const repoKey = REPOSITORY_KEYS.find((k) => get(k) !== undefined && scalarText(get(k) as Scalar) !== undefined);
      const registry = get("registry");
      const tag = get("tag");
      const digest = get("digest") ?? get("sha");
      if (!repoKey || !(registry || tag || digest)) return;
      const repoNode = get(repoKey) as Scalar;
      const text = (n: Scalar | undefined) => (n ? (scalarText(n) ?? "") : "");
      const parts = { registry: text(registry), repository: text(repoNode), tag: text(tag), digest: text(digest) };
      if (Object.values(parts).some((p) => p.includes("{{"))) {
        for (const n of [registry, repoNode, tag, digest]) if (n) consumed.add(n);
        unsure.push({ node: repoNode, value: parts.repository, why: "a templated image value ({{ ... }}): azpol cannot tell which image it renders; check the rendered chart (helm template . | azpol test -)" });
        return;
      }
      if (parts.repository === "") return;
      const digestText = parts.digest === "" ? "" : parts.digest.includes(":") ? parts.digest : `sha256:${parts.digest}`;
      const image = `${parts.registry ? `${parts.registry}/` : ""}${parts.repository}${parts.tag ? `:${parts.tag}` : ""}${digestText ? `@${digestText}` : ""}`;
      if (!parseReference(image)) return; // not an image: a chart dependency, a name and a version
      for (const n of [registry, repoNode, tag, digest]) if (n) consumed.add(n);
      const imageNode = get("image");
      const repositoryNode = get("repository");
      if (imageNode && repositoryNode && text(imageNode) !== "" && text(repositoryNode) !== "") {
        for (const n of [imageNode, repositoryNode]) consumed.add(n);
        unsure.push({ node: repoNode, value: `${parts.registry ? `${parts.registry}/` : ""}${text(imageNode)} or ${text(repositoryNode)}`, why: "both `repository` and `registry`/`image` are set: which one the chart uses is up to its template" });
        return;
      }
      if (parts.registry) sites.push({ node: registry as Scalar, image, part: "registry" });
      else sites.push({ node: repoNode, image, part: "repository" });
    },
    Scalar(_, node, path) {
      if (consumed.has(node) || typeof node.value !== "string" || node.value === "") return;
      const parent = path[path.length - 1];
      const key = keyOf(path);
      // only values: a key is never an image, and a list item counts only as a whole string
      if (isPair(parent) && parent.key === node) return;
      if (!isPair(parent) && !isSeq(parent)) return;
      const value = node.value;
      // a registry override: under a key ending in "registry", or (hub:, imageRepository:) the bare
      // host of a registry a replacement moves from, under any key
      const knownBareHost = !value.includes("/") && /[.:]/.test(value) && isRegistryValue(value) && knownHost(value.toLowerCase());
      if (key !== undefined && ((REGISTRY_KEY.test(key) && isRegistryValue(value)) || knownBareHost)) {
        sites.push({ node, image: `${value}/azpol-registry-probe:latest`, part: "registry", shown: `${value} (${key})` });
        return;
      }
      const imageKey = key !== undefined && /image/i.test(key);
      if (value.includes("{{") && imageKey) {
        unsure.push({ node, value, why: "a templated image value ({{ ... }}): azpol cannot tell which image it renders; check the rendered chart (helm template . | azpol test -)" });
        return;
      }
      const ref = parseReference(value);
      if (!ref) return;
      // a string under an image-like key; or one naming its registry with a tag, a digest or a
      // registry a replacement moves from ("kubernetes.io/aws-ebs" is a provisioner, not an image)
      const image = key === "image" || (ref.host !== undefined && (imageKey || ref.tag !== undefined || ref.digest !== undefined || knownHost(ref.host)));
      if (image) sites.push({ node, image: value, part: "image" });
    },
  });
  return { sites, unsure };
}
