// Which images in which files to move, and which need a human. Pure but for `denied`, which asks
// the real templates (deny-check.ts): an image is rewritten only when a definition denies it and
// one declares a replacement for its registry, and only when the rewritten image is allowed.
import type { KubeObject } from "../rego/kubernetes-object.js";
import type { FileEncoding } from "./file-text.js";
import { findImages, type ImageSite } from "./find-images.js";
import { renderScalar, replacementFor, rewriteReference } from "./rewrite-image.js";

export interface FixInput {
  path: string;
  shown: string;
  /** the decoded text, without a byte-order mark */
  text: string;
  /** how to write it back (default UTF-8 without a mark) */
  encoding?: FileEncoding;
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

export interface FileFix {
  input: FixInput;
  after: string;
  changes: FixChange[];
}

export interface FixPlan {
  files: FileFix[];
  needsHuman: NeedsHuman[];
  excluded: ExcludedImage[];
  problems: { file: string; line: number; message: string }[];
  imagesChecked: number;
}

/** Which of the images the definitions deny, and by which definitions. */
export type DenyCheck = (images: string[]) => Promise<Map<string, string[]>>;

/** Which of these definitions leave the object out, and why. */
export type ExclusionCheck = (object: KubeObject, definitions: string[]) => { definition: string; reason: string }[];

function newScalarValue(site: ImageSite, newImage: string, rewrite: { from: string; to: string }): string | undefined {
  if (site.part === "image") return newImage;
  if (site.part === "repository") return rewriteReference(site.value, rewrite);
  // a Helm `registry:` holds only the host: only a host-to-host rule can change it alone
  return rewrite.from.includes("/") || rewrite.to.includes("/") ? undefined : rewrite.to;
}

export async function planFixes(inputs: FixInput[], replacements: Record<string, string>, denied: DenyCheck, excludedBy: ExclusionCheck = () => []): Promise<FixPlan> {
  const plan: FixPlan = { files: [], needsHuman: [], excluded: [], problems: [], imagesChecked: 0 };
  const scans = inputs.map((input) => ({ input, scan: findImages(input.text) }));
  const images = new Set<string>();
  for (const { input, scan } of scans) {
    if ("error" in scan) plan.problems.push({ file: input.shown, line: scan.line, message: scan.error });
    else for (const s of scan.sites) images.add(s.image);
  }
  const rewrites = new Map<string, string>();
  for (const image of images) {
    const rewrite = replacementFor(image, replacements);
    if (rewrite) rewrites.set(image, rewriteReference(image, rewrite));
  }
  const verdicts = await denied([...images, ...rewrites.values()]);
  plan.imagesChecked = images.size;
  for (const { input, scan } of scans) {
    if ("error" in scan) continue;
    const edits: { start: number; end: number; text: string }[] = [];
    const changes: FixChange[] = [];
    for (const site of scan.sites) {
      const by = verdicts.get(site.image) ?? [];
      if (by.length === 0) continue;
      // the verdict `azpol test` gives the object: left out by every definition that denies the image
      const exclusions = site.object ? excludedBy(site.object, by) : [];
      if (exclusions.length && by.every((d) => exclusions.some((e) => e.definition === d))) {
        plan.excluded.push({ file: input.shown, line: site.line, image: site.image, reason: [...new Set(exclusions.map((e) => e.reason))].join("; ") });
        continue;
      }
      const human = (why: string) => plan.needsHuman.push({ file: input.shown, line: site.line, image: site.image, why });
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
        human(`denied by ${by.join(", ")}; move it to ${newImage} by hand (azpol rewrites one-line scalars and host-only registry keys)`);
        continue;
      }
      edits.push({ start: site.start, end: site.end, text: renderScalar(value, site.style) });
      changes.push({ file: input.shown, line: site.line, oldImage: site.image, newImage });
    }
    if (edits.length === 0) continue;
    let after = input.text;
    for (const e of edits.sort((x, y) => y.start - x.start)) after = after.slice(0, e.start) + e.text + after.slice(e.end);
    plan.files.push({ input, after, changes: changes.sort((x, y) => x.line - y.line) });
  }
  return plan;
}
