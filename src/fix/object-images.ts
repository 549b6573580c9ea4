// The images of a Kubernetes object document (a Pod spec, a workload template, a List), with the
// objects each is used in. Every place a pod runs an image counts, as the templates read them
// (README "Reach"; core/pod-bearing-kinds.ts): `image:` of every container kind, and an image
// volume's `volumes[].image.reference` (Kubernetes 1.31+ ImageVolume). A scalar shared through a
// YAML anchor is one site (its bytes are at the anchor) used by every object that aliases it (YAML
// 1.2 §3.2.2.2): plan-fixes.ts gives it the verdict of all of them, so an image first used in an
// excluded object and aliased in an included one is still moved.
import { isAlias, isMap, isScalar, visit, type Document, type LineCounter, type Scalar, type YAMLMap } from "yaml";
import type { KubeObject } from "../rego/kubernetes-object.js";
import type { ImageSite, ImageUse } from "./find-images.js";
import { aliasResolver } from "./yaml-aliases.js";

const str = (map: YAMLMap, key: string): Scalar<string> | undefined => {
  const node = map.get(key, true);
  return isScalar(node) && typeof node.value === "string" ? (node as Scalar<string>) : undefined;
};

/** Uses (object x aliased image) recorded per document: aliases multiply them (2,000 Pods aliasing
 * one 2,000-container list are 4 million), and the verdict of every one is asked. */
const USE_BUDGET = 100_000;

/** A Kubernetes object document (or List): a map with apiVersion and kind at the top. */
export function isObjectDocument(doc: Document): boolean {
  return isMap(doc.contents) && str(doc.contents, "apiVersion") !== undefined && str(doc.contents, "kind") !== undefined;
}

/** The nearest enclosing map with apiVersion and kind: the object whose metadata counts. */
function enclosingMap(path: readonly unknown[]): YAMLMap | undefined {
  for (let i = path.length - 1; i >= 0; i--) {
    const node = path[i];
    if (isMap(node) && str(node, "kind")?.value && str(node, "apiVersion")?.value) return node;
  }
  return undefined;
}

/** An object's kind, apiVersion and the metadata a constraint's match reads. */
function objectOf(node: YAMLMap): KubeObject {
  const metadata = node.get("metadata", true);
  let meta: unknown;
  try {
    meta = isMap(metadata) ? (metadata.toJSON() as unknown) : undefined;
  } catch {
    meta = undefined; // an alias inside metadata: judged as if it had no namespace or labels
  }
  const m = meta && typeof meta === "object" ? (meta as Record<string, unknown>) : {};
  const text = (v: unknown) => (typeof v === "string" ? v : undefined);
  const labels = m.labels && typeof m.labels === "object" ? Object.fromEntries(Object.entries(m.labels).map(([k, v]) => [k, String(v)])) : undefined;
  const name = text(m.name);
  const namespace = text(m.namespace);
  return {
    apiVersion: str(node, "apiVersion")?.value as string,
    kind: str(node, "kind")?.value as string,
    metadata: { ...(name ? { name } : {}), ...(namespace ? { namespace } : {}), ...(labels ? { labels } : {}) },
  };
}

/**
 * The image scalars under `image:` keys of a document: a string, a Helm-style
 * {registry, repository, tag, digest} map, or an image volume's {reference}. `withObjects`: the
 * document is a Kubernetes object, and each site records the objects that use it.
 */
export function imageKeySites(doc: Document, lineCounter: LineCounter, withObjects: boolean): ImageSite[] {
  const byStart = new Map<number, ImageSite>();
  const resolve = aliasResolver(doc);
  const lineOf = (offset: number) => lineCounter.linePos(offset).line;
  // each object read once; a site records each object that uses it once (the first use's line)
  const objects = new Map<YAMLMap, KubeObject>();
  const usedBy = new Map<ImageSite, Set<YAMLMap>>();
  let recorded = 0;
  const useBy = (site: ImageSite, node: YAMLMap | undefined, line: number) => {
    if (!node || recorded > USE_BUDGET) return;
    const users = usedBy.get(site) ?? new Set<YAMLMap>();
    usedBy.set(site, users);
    if (users.has(node)) return;
    users.add(node);
    let object = objects.get(node);
    if (!object) objects.set(node, (object = objectOf(node)));
    (site.uses ??= []).push({ object, line } satisfies ImageUse);
    recorded++;
  };
  const use = (site: ImageSite, path: readonly unknown[], line: number) => useBy(site, withObjects ? enclosingMap(path) : undefined, line);
  visit(doc, {
    Pair(_, pair, path) {
      if (!isScalar(pair.key) || pair.key.value !== "image") return;
      const aliased = isAlias(pair.value);
      const site = (node: Scalar, image: string, part: ImageSite["part"]) => {
        const [start, end] = node.range ?? [0, 0];
        let found = byStart.get(start);
        if (!found) byStart.set(start, (found = { start, end, value: String(node.value), style: node.type, image, part, line: lineOf(start) }));
        // an alias's use is recorded by the alias pass below, with the alias's object
        if (!aliased) use(found, path, lineOf(pair.key && isScalar(pair.key) ? (pair.key.range?.[0] ?? start) : start));
      };
      // `image: *ref` is the anchored node's value: the image is at the anchor, wherever it is
      // (often under a key like x-images:), so that is what is rewritten
      const value = isAlias(pair.value) ? resolve(pair.value) : pair.value;
      if (isScalar(value) && typeof value.value === "string" && value.value !== "") site(value, value.value, "image");
      else if (isMap(value)) {
        // an image volume (core/v1 ImageVolumeSource): the whole reference in one string
        const reference = str(value, "reference");
        if (reference && reference.value !== "") return site(reference, reference.value, "image");
        const registry = str(value, "registry");
        const repository = str(value, "repository");
        if (!repository) return;
        const tag = str(value, "tag")?.value;
        const digest = str(value, "digest")?.value;
        const image = `${registry?.value ? `${registry.value}/` : ""}${repository.value}${tag ? `:${tag}` : ""}${digest ? `@${digest}` : ""}`;
        if (registry?.value) site(registry, image, "registry");
        else site(repository, image, "repository");
      }
    },
  });
  if (withObjects) {
    // every alias whose anchored node holds a site is a use of it by the alias's object (an
    // aliased image, container, or whole pod spec)
    const sorted = [...byStart.values()].sort((a, b) => a.start - b.start);
    visit(doc, {
      Alias(_, alias, path) {
        const [from, to] = resolve(alias)?.range ?? [0, 0];
        // the sites inside the anchored node: a binary search to the first, then in order
        let lo = 0;
        for (let hi = sorted.length; lo < hi; ) {
          const mid = (lo + hi) >> 1;
          if ((sorted[mid] as ImageSite).start < from) lo = mid + 1;
          else hi = mid;
        }
        const node = enclosingMap(path);
        const line = lineOf(alias.range?.[0] ?? from);
        for (let i = lo; i < sorted.length && (sorted[i] as ImageSite).start < to && recorded <= USE_BUDGET; i++) useBy(sorted[i] as ImageSite, node, line);
      },
    });
  }
  // past the budget not every use is known: each site is then judged as run by some object that
  // is denied (moved, the direction that never lets a denied image through), not by a partial list
  if (recorded > USE_BUDGET) for (const site of byStart.values()) delete site.uses;
  return [...byStart.values()];
}
