// The images an object pulls and which of them a violation is about. Images are read from every
// PodSpec list the registry templates read (core/pod-bearing-kinds.ts IMAGE_FIELDS: the three
// container lists and image volumes, volumes[].image.reference), wherever they sit in the object,
// so a kind no table lists (an Argo Rollout) still shows what it runs.
//
// A violation names its image in `details.image` (both registry templates emit it,
// constraint-templates/_lib); a template that does not (a built-in such as
// k8sazurev2containerallowedimages only has a message) is matched on whole image strings of
// the object found as tokens of its message, never as substrings: "nginx" is not named by a
// message about "k8s.gcr.io/ingress-nginx/controller". A violation that names none of them (an
// object too large to read) is about no image in particular, and is not blamed on any.
import { IMAGE_FIELDS } from "../core/pod-bearing-kinds.js";
import { asRecord } from "../core/constraint-template.js";
import type { Violation } from "../rego/evaluate.js";
import type { KubeObject } from "../rego/kubernetes-object.js";

function imageAt(item: unknown, path: readonly string[]): string | undefined {
  let at: unknown = item;
  for (const key of path) at = asRecord(at)?.[key];
  return typeof at === "string" ? at : undefined;
}

/** Every image string the object's PodSpecs pull (containers and image volumes), in order, once each. */
export function pulledImages(obj: KubeObject): string[] {
  const found = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") {
      for (const [key, value] of Object.entries(v)) {
        const field = IMAGE_FIELDS.find((f) => f.list === key);
        if (field && Array.isArray(value)) {
          for (const item of value) {
            const image = imageAt(item, field.imagePath);
            if (image !== undefined) found.add(image);
          }
        }
        // a list item's own fields are walked too: a PodSpec can only hold PodSpecs below it through
        // other keys (a PodTemplate's template), never inside a container or a volume, but a
        // hand-written object may nest anything; walking costs nothing
        walk(value);
      }
    }
  };
  walk(obj);
  return [...found];
}

// characters an image reference is made of (distribution/reference's grammar: domain, path,
// tag, digest); an image is named by a message when the characters around it are none of these
const IMAGE_CHAR = /[A-Za-z0-9._\-/:@+=]/;

function namesAsToken(message: string, image: string): boolean {
  if (image === "") return false;
  for (let at = message.indexOf(image); at >= 0; at = message.indexOf(image, at + 1)) {
    const before = message[at - 1];
    const after = message.slice(at + image.length, at + image.length + 2);
    // a sentence's full stop after the image ("... image nginx.") ends it; "nginx.x" does not
    const ends = after === "" || !IMAGE_CHAR.test(after[0] as string) || (after[0] === "." && (after.length === 1 || !IMAGE_CHAR.test(after[1] as string)));
    if ((before === undefined || !IMAGE_CHAR.test(before)) && ends) return true;
  }
  return false;
}

/** The images a violation is about: its details' image, else the object's images its message names whole. */
export function imagesOfViolation(violation: Violation, images: readonly string[]): string[] {
  const detailed = asRecord(violation.details)?.image;
  if (typeof detailed === "string") return [detailed];
  return images.filter((image) => namesAsToken(violation.msg, image));
}
