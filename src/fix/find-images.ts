// Where a YAML file names container images, with the exact byte range of each scalar so a fix can
// change those bytes and nothing else (comments, key order, quoting, indentation stay). In a
// Kubernetes object (a document with apiVersion and kind: Pod specs, workload templates, Lists)
// every `image:` key counts; any other document is read as Helm values, where images are found by
// their shape (values-images.ts), and what has an image's shape but cannot be read is "unsure".
import { isAlias, isMap, isScalar, LineCounter, parseAllDocuments, visit, type Document, type Scalar, type YAMLMap } from "yaml";
import { kustomizationImages } from "./kustomization-images.js";
import { valuesImages } from "./values-images.js";
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
  /** a kustomization's `images[].name`: kustomize matches it against the workloads' image names */
  kustomizeName?: boolean;
  /** what to show for it when that is not the image (a registry override: "k8s.gcr.io (imageRegistry)") */
  shown?: string;
  /** the Kubernetes object the image is in (kind, apiVersion, metadata), when it is in one:
   * its namespace and labels decide whether a constraint excludes it; Helm values have none */
  object?: KubeObject;
}

/** Something with an image's shape azpol could not read: listed as needing a human. */
export interface UnsureSite {
  line: number;
  value: string;
  why: string;
}

export type ImageScan = { sites: ImageSite[]; unsure: UnsureSite[] } | { error: string; line: number };

/** A Kubernetes object document (or List): a map with apiVersion and kind at the top. */
function isObjectDocument(doc: Document): boolean {
  return isMap(doc.contents) && str(doc.contents, "apiVersion") !== undefined && str(doc.contents, "kind") !== undefined;
}

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

/** `knownHost`: registry hosts a replacement rule moves from (a Helm value naming one is an image). */
export function findImages(text: string, knownHost?: (host: string) => boolean, kustomization = false): ImageScan {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false });
  if (!Array.isArray(docs)) return { sites: [], unsure: [] };
  const sites: ImageSite[] = [];
  const unsure: UnsureSite[] = [];
  for (const doc of docs) {
    const error = doc.errors[0];
    if (error) return { error: error.message.split("\n")[0] ?? error.message, line: lineCounter.linePos(error.pos[0]).line };
    if (kustomization) {
      for (const k of kustomizationImages(doc)) {
        const [start, end] = k.node.range ?? [0, 0];
        sites.push({ start, end, value: String(k.node.value), style: k.node.type, image: k.image, part: "repository", line: lineCounter.linePos(start).line, ...(k.kustomizeName ? { kustomizeName: true } : {}) });
      }
      continue;
    }
    if (!isObjectDocument(doc)) {
      const found = valuesImages(doc, knownHost);
      for (const f of found.sites) {
        const [start, end] = f.node.range ?? [0, 0];
        sites.push({ start, end, value: String(f.node.value), style: f.node.type, image: f.image, part: f.part, line: lineCounter.linePos(start).line, ...(f.shown ? { shown: f.shown } : {}) });
      }
      for (const u of found.unsure) unsure.push({ line: lineCounter.linePos(u.node.range?.[0] ?? 0).line, value: u.value, why: u.why });
      continue;
    }
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
  return { sites, unsure };
}
