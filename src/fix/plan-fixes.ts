// Which images in which files to move, and which need a human. Pure but for `denied`, which asks
// the real templates (image-verdicts.ts): an image is rewritten only when a definition denies it and
// one declares a replacement for its registry, and only when the rewritten image is allowed.
import type { KubeObject } from "../rego/kubernetes-object.js";
import type { FileEncoding } from "./file-text.js";
import { findFileImages, type ImageSite } from "./find-images.js";
import { parseReference } from "./image-reference.js";
import { useVerdict } from "./site-verdict.js";
import { renderScalar, replacementFor, rewriteReference, type Rewrite } from "./rewrite-image.js";

export interface FixInput {
  path: string;
  shown: string;
  /** the decoded text, without a byte-order mark */
  text: string;
  /** how to write it back (default UTF-8 without a mark) */
  encoding?: FileEncoding;
  /** a Helm chart's template: read for images, never written */
  helmTemplate?: boolean;
}

export interface FixChange {
  file: string;
  line: number;
  oldImage: string;
  newImage: string;
}

export interface NeedsHuman {
  file: string;
  line: number;
  image: string;
  why: string;
}

/** An image in an object the denying definitions' match leaves out: not moved, and said so. */
export interface ExcludedImage {
  file: string;
  line: number;
  image: string;
  /** "namespace kube-system is in excludedNamespaces" */
  reason: string;
}

/** An image in an object the API server would refuse (strict field validation, its name): not moved. */
export interface RejectedImage {
  file: string;
  line: number;
  image: string;
  /** the API server's reasons */
  reason: string;
}

export interface FileFix {
  input: FixInput;
  after: string;
  changes: FixChange[];
}

export interface FixPlan {
  files: FileFix[];
  needsHuman: NeedsHuman[];
  excluded: ExcludedImage[];
  rejected: RejectedImage[];
  /** why what the API server rejects could not be checked (the js/wasm engine); said, never pretended */
  strictUnavailable?: string;
  problems: { file: string; line: number; message: string }[];
  imagesChecked: number;
}

/** Which of the images the definitions deny, and by which definitions. */
export type DenyCheck = (images: string[]) => Promise<Map<string, string[]>>;

/** Why the API server would refuse the object that holds each line of a manifest file (none: []), or why that cannot be said. */
export type RejectionCheck = (text: string) => Promise<{ reasonsAt: (line: number) => string[] } | { error: string }>;

/** Which of these definitions leave the object out, and why. */
export type ExclusionCheck = (object: KubeObject, definitions: string[]) => { definition: string; reason: string }[];

function newScalarValue(site: ImageSite, newImage: string, rewrite: Rewrite): string | undefined {
  if (site.part === "image") return newImage;
  if (site.part === "repository") return rewriteReference(site.value, rewrite);
  // a Helm `registry:` value (or a registry override) changes alone only when it holds the whole of
  // the rule's prefix: k8s.gcr.io → registry.k8s.io yes; registry gcr.io with a rule for
  // gcr.io/google-containers no (the rest of the prefix is in the repository value)
  const probe = `${site.value}/azpol-probe`;
  const own = replacementFor(probe, { [rewrite.from]: rewrite.to });
  return own ? rewriteReference(probe, own).slice(0, -"/azpol-probe".length) : undefined;
}

export async function planFixes(inputs: FixInput[], replacements: Record<string, string>, denied: DenyCheck, excludedBy: ExclusionCheck = () => [], rejectedBy?: RejectionCheck): Promise<FixPlan> {
  const plan: FixPlan = { files: [], needsHuman: [], excluded: [], rejected: [], problems: [], imagesChecked: 0 };
  // read once per file, and only for files with a denied image in an object
  const strict = new Map<FixInput, ReturnType<RejectionCheck>>();
  const rejection = async (input: FixInput, line: number): Promise<string[]> => {
    if (!rejectedBy) return [];
    let answer = strict.get(input);
    if (!answer) strict.set(input, (answer = rejectedBy(input.text)));
    const r = await answer;
    if ("error" in r) {
      plan.strictUnavailable ??= r.error;
      return [];
    }
    return r.reasonsAt(line);
  };
  const scans = findFileImages(inputs, replacements);
  const images = new Set<string>();
  for (const { input, scan } of scans) {
    if ("error" in scan) plan.problems.push({ file: input.shown, line: scan.line, message: scan.error });
    else {
      for (const s of scan.sites) images.add(s.image);
      // never "checked" about a value azpol did not understand
      for (const u of scan.unsure) plan.needsHuman.push({ file: input.shown, line: u.line, image: u.value, why: u.why });
    }
  }
  const rewrites = new Map<string, string>();
  for (const image of images) {
    const rewrite = replacementFor(image, replacements);
    if (rewrite) rewrites.set(image, rewriteReference(image, rewrite));
  }
  const verdicts = await denied([...images, ...rewrites.values()]);
  plan.imagesChecked = images.size;
  const edits = new Map<FixInput, Map<number, { start: number; end: number; text: string }>>();
  const changes = new Map<FixInput, FixChange[]>();
  // the image names fix moves elsewhere: a kustomization `images[].name` may follow them only
  const movedNames = new Set<string>();
  const work = scans.flatMap(({ input, scan }) => ("error" in scan ? [] : scan.sites.map((site) => ({ input, site }))));
  work.sort((a, b) => Number(a.site.kustomizeName === true) - Number(b.site.kustomizeName === true));
  for (const { input, site } of work) {
    const shown = site.shown ?? site.image;
    const by = verdicts.get(site.image) ?? [];
    if (by.length === 0) continue;
    // the verdict `azpol test` gives each object that runs it: one that runs and is not left out
    // by every denying definition is enough to move it (an anchor shared with an excluded object)
    const verdict = await useVerdict(site, by, (line) => rejection(input, line), excludedBy);
    if (verdict.rejected) {
      plan.rejected.push({ file: input.shown, line: verdict.rejected.line, image: shown, reason: verdict.rejected.reason });
      continue;
    }
    if (verdict.excluded) {
      plan.excluded.push({ file: input.shown, line: site.line, image: shown, reason: verdict.excluded });
      continue;
    }
    const human = (why: string) => plan.needsHuman.push({ file: input.shown, line: site.line, image: shown, why });
    if (site.readOnly) {
      human(`denied by ${by.join(", ")}; ${site.readOnly}`);
      continue;
    }
    const rewrite = replacementFor(site.image, replacements);
    const newImage = rewrites.get(site.image);
    if (!rewrite || newImage === undefined) {
      human(`denied by ${by.join(", ")}, and no definition declares a replacement for its registry`);
      continue;
    }
    const stillDenied = verdicts.get(newImage) ?? [];
    if (stillDenied.length) {
      human(`denied by ${by.join(", ")}; its replacement ${newImage} is denied too (by ${stillDenied.join(", ")})`);
      continue;
    }
    const value = newScalarValue(site, newImage, rewrite);
    if (value === undefined || input.text.slice(site.start, site.end).includes("\n")) {
      human(`denied by ${by.join(", ")}; move it to ${newImage} by hand (its registry value does not hold the whole of the rule ${rewrite.from} → ${rewrite.to}, or it spans lines)`);
      continue;
    }
    // kustomize matches `images[].name` against the workloads' image names: renaming it alone would
    // drop its newTag/digest from what kustomize renders (external-dns rendered untagged)
    if (site.kustomizeName && !movedNames.has(site.value)) {
      human(`denied by ${by.join(", ")}; kustomize matches this name against the workloads' images, and fix did not move a workload image named ${site.value} (run fix on the kustomization's resources too, or set newName: ${value})`);
      continue;
    }
    const fileEdits = edits.get(input) ?? new Map<number, { start: number; end: number; text: string }>();
    edits.set(input, fileEdits);
    const text = renderScalar(value, site.style);
    const earlier = fileEdits.get(site.start);
    if (earlier && earlier.text !== text) {
      human(`denied by ${by.join(", ")}; one value serves images that would move to different places`);
      continue;
    }
    if (earlier) continue; // one scalar shared by several images (a registry override): one edit
    fileEdits.set(site.start, { start: site.start, end: site.end, text });
    changes.set(input, [...(changes.get(input) ?? []), { file: input.shown, line: site.line, oldImage: shown, newImage: site.shown ? `${value}${site.shown.slice(site.value.length)}` : newImage }]);
    const name = parseReference(site.image);
    if (name) movedNames.add(`${name.host ? `${name.host}/` : ""}${name.path}`);
  }
  for (const { input } of scans) {
    const fileEdits = edits.get(input);
    if (!fileEdits?.size) continue;
    let after = input.text;
    for (const e of [...fileEdits.values()].sort((x, y) => y.start - x.start)) after = after.slice(0, e.start) + e.text + after.slice(e.end);
    plan.files.push({ input, after, changes: (changes.get(input) ?? []).sort((x, y) => x.line - y.line) });
  }
  return plan;
}

