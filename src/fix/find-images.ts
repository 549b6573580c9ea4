// Where a YAML file names container images, with the exact byte range of each scalar so a fix can
// change those bytes and nothing else (comments, key order, quoting, indentation stay). Every
// `image:` key counts, in every document: Pod specs, workload templates, Lists, and Helm values
// in both spellings, `image: repo:tag` and `image: {registry, repository, tag, digest}`.
import { isAlias, isMap, isScalar, LineCounter, parseAllDocuments, visit, type Scalar, type YAMLMap } from "yaml";
import type { KubeObject } from "../rego/kubernetes-object.js";

export interface ImageSite {
  /** byte range of the scalar to rewrite in the file's text */
  start: number;
  end: number;
  /** the scalar's text value and how it is quoted */
  value: string;
  style: Scalar.Type | undefined;
  /** the whole image reference this scalar is part of */
  image: string;
  /** which part the scalar is: the whole reference, or a Helm-style registry/repository */
  part: "image" | "registry" | "repository";
  line: number;
  /** the Kubernetes object the image is in (kind, apiVersion, metadata), when it is in one:
   * its namespace and labels decide whether a constraint excludes it; Helm values have none */
  object?: KubeObject;
}

export type ImageScan = { sites: ImageSite[] } | { error: string; line: number };

/** The nearest enclosing map with apiVersion and kind: the object whose metadata counts. */
function enclosingObject(path: readonly unknown[]): KubeObject | undefined {
  for (let i = path.length - 1; i >= 0; i--) {
    const node = path[i];
    const kind = isMap(node) ? str(node, "kind")?.value : undefined;
    const apiVersion = isMap(node) ? str(node, "apiVersion")?.value : undefined;
    if (!isMap(node) || !kind || !apiVersion) continue;
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
      apiVersion,
      kind,
      metadata: { ...(name ? { name } : {}), ...(namespace ? { namespace } : {}), ...(labels ? { labels } : {}) },
    };
  }
  return undefined;
}

const str = (map: YAMLMap, key: string): Scalar<string> | undefined => {
  const node = map.get(key, true);
  return isScalar(node) && typeof node.value === "string" ? (node as Scalar<string>) : undefined;
};

export function findImages(text: string): ImageScan {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false });
  if (!Array.isArray(docs)) return { sites: [] };
  const sites: ImageSite[] = [];
  for (const doc of docs) {
    const error = doc.errors[0];
    if (error) return { error: error.message.split("\n")[0] ?? error.message, line: lineCounter.linePos(error.pos[0]).line };
    const seen = new Set<number>();
    visit(doc, {
      Pair(_, pair, path) {
        const site = (node: Scalar, image: string, part: ImageSite["part"]) => {
          const [start, end] = node.range ?? [0, 0];
          // an anchored image used again through an alias is one site: its bytes are at the anchor
          // (judged by the object of its first use)
          if (seen.has(start)) return;
          seen.add(start);
          const object = enclosingObject(path);
          sites.push({ start, end, value: String(node.value), style: node.type, image, part, line: lineCounter.linePos(start).line, ...(object ? { object } : {}) });
        };
        if (!isScalar(pair.key) || pair.key.value !== "image") return;
        // `image: *ref` is the anchored node's value (YAML 1.2 §3.2.2.2): the image is at the
        // anchor, wherever it is (often under a key like x-images:), so that is what is rewritten
        const value = isAlias(pair.value) ? pair.value.resolve(doc) : pair.value;
        if (isScalar(value) && typeof value.value === "string" && value.value !== "") site(value, value.value, "image");
        else if (isMap(value)) {
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
  }
  return { sites };
}
