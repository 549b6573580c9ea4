// Renders the Rego that finds every PodSpec in a reviewed object, and every list of a PodSpec
// that pulls images, from the pod-bearing kinds table, so the templates cover exactly the kinds
// and image fields the table names. The rules match by shape, not by kind: a kind not in the
// table that has the same shape is checked too.
import { IMAGE_FIELDS, MAX_IMAGE_ITEMS, MAX_POD_SPEC_ITEMS, POD_BEARING_KINDS } from "../core/pod-bearing-kinds.js";

export const POD_SPECS_LIB_NAME = "pod-specs.rego (generated from src/core/pod-bearing-kinds.ts)";

export function renderPodSpecRego(): string {
  const paths = [...new Set(POD_BEARING_KINDS.map((k) => k.podSpecPath))];
  const kindsOf = (path: string): string => POD_BEARING_KINDS.filter((k) => k.podSpecPath === path).map((k) => k.kind).join(", ");
  const rules = paths.map(
    (path) => `# ${kindsOf(path)}\npod_specs[[prefix, spec]] {\n\tspec := input.review.object.${path}\n\tprefix := ${JSON.stringify(path)}\n}`,
  );
  const fields = IMAGE_FIELDS.map((f) => `\t{"list": ${JSON.stringify(f.list)}, "path": ${JSON.stringify(f.imagePath)}, "noun": ${JSON.stringify(f.noun)}},`);
  return [
    "# Every PodSpec of the reviewed object, with its field path.",
    ...rules,
    ["# Every list of a PodSpec whose items name an image the kubelet pulls, the path of the image in", "# an item, and what an item is called in a message.", "image_fields := [", ...fields, "]"].join("\n"),
    `# The most items of those lists, and the most that pull an image, the templates read (all pod\n# specs together); above either, the object is denied unread (MAX_POD_SPEC_ITEMS, MAX_IMAGE_ITEMS).\nmax_pod_spec_items := ${MAX_POD_SPEC_ITEMS}\n\nmax_image_items := ${MAX_IMAGE_ITEMS}`,
  ].join("\n\n");
}
