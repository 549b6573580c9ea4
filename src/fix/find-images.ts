// Where a file names container images, with the exact byte range of each scalar so a fix can
// change those bytes and nothing else (comments, key order, quoting, indentation stay). The one
// reader of images in files: `fix` moves what it finds, `mirror` plans what it finds, and `fix
// --to` asks mirror-path.ts which hosts to move, so the three agree on the set of images.
// - a Kubernetes object (a document with apiVersion and kind: Pod specs, workload templates,
//   Lists): every place a pod runs an image (object-images.ts), with the objects using it;
// - a kustomization: its `images:` entries and the images its inline patches set;
// - a Helm chart template (Go text, not YAML): images found by shape, read-only;
// - any other YAML document is read as Helm values, where images are found by their shape
//   (values-images.ts), and what has an image's shape but cannot be read is "unsure".
import { LineCounter, parseAllDocuments, type Scalar } from "yaml";
import { isKustomizationFile } from "../core/kustomization-files.js";
import { kustomizationImages } from "./kustomization-images.js";
import { kustomizationPatchSites } from "./kustomization-patches.js";
import { imageKeySites, isObjectDocument } from "./object-images.js";
import { templateImageSites } from "./template-images.js";
import { valuesImages } from "./values-images.js";
import type { KubeObject } from "../rego/kubernetes-object.js";

/** An object that runs an image, and the line of the use (an alias's line for an aliased image). */
export interface ImageUse {
  object: KubeObject;
  line: number;
}

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
  /** the Kubernetes objects that run the image (their namespace and labels decide whether a
   * constraint excludes it; several when it is shared through an anchor); Helm values have none */
  uses?: ImageUse[];
  /** why fix cannot rewrite it in place (a Helm template, a folded inline patch): denied, it needs a human */
  readOnly?: string;
}

/** Something with an image's shape azpol could not read: listed as needing a human. */
export interface UnsureSite {
  line: number;
  value: string;
  why: string;
}

export type ImageScan = { sites: ImageSite[]; unsure: UnsureSite[] } | { error: string; line: number };

/** What a file is, for reading its images: the same file name rules for fix and mirror. */
export type FileKind = "manifest" | "kustomization" | "helm-template";

export function fileKind(path: string, helmTemplate = false): FileKind {
  return helmTemplate ? "helm-template" : isKustomizationFile(path) ? "kustomization" : "manifest";
}

/** The hosts a set of replacement rules moves images from: a value naming one is an image. */
export function fromHosts(replacements: Record<string, string>): (host: string) => boolean {
  const hosts = new Set(Object.keys(replacements).map((from) => (from.split("/")[0] ?? "").toLowerCase()));
  return (host) => hosts.has(host.toLowerCase());
}

/** A file to read images from: its path decides how (a kustomization by name; a chart template is flagged). */
export interface ImageFile {
  path: string;
  text: string;
  helmTemplate?: boolean;
}

/** Every file's images, read the same way for fix and mirror. */
export function findFileImages<F extends ImageFile>(files: F[], replacements: Record<string, string>): { input: F; scan: ImageScan }[] {
  const known = fromHosts(replacements);
  return files.map((input) => ({ input, scan: findImages(input.text, known, fileKind(input.path, input.helmTemplate)) }));
}

/** `knownHost`: registry hosts a replacement rule moves from (a Helm value naming one is an image). */
export function findImages(text: string, knownHost: (host: string) => boolean = () => false, kind: FileKind = "manifest"): ImageScan {
  if (kind === "helm-template") return { sites: templateImageSites(text, knownHost), unsure: [] };
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false });
  if (!Array.isArray(docs)) return { sites: [], unsure: [] };
  const sites: ImageSite[] = [];
  const unsure: UnsureSite[] = [];
  for (const doc of docs) {
    const error = doc.errors[0];
    if (error) return { error: error.message.split("\n")[0] ?? error.message, line: lineCounter.linePos(error.pos[0]).line };
    if (kind === "kustomization") {
      for (const k of kustomizationImages(doc)) {
        const [start, end] = k.node.range ?? [0, 0];
        sites.push({ start, end, value: String(k.node.value), style: k.node.type, image: k.image, part: "repository", line: lineCounter.linePos(start).line, ...(k.kustomizeName ? { kustomizeName: true } : {}) });
      }
      sites.push(...kustomizationPatchSites(doc, text, lineCounter));
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
    sites.push(...imageKeySites(doc, lineCounter, true));
  }
  return { sites, unsure };
}
