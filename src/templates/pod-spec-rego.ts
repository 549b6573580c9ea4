// Renders the Rego that finds every PodSpec in a reviewed object, from the pod-bearing kinds
// table, so the templates cover exactly the kinds the definitions emit. The rules match by
// shape, not by kind: a kind not in the table that has the same shape is checked too.
import { CONTAINER_FIELDS, POD_BEARING_KINDS } from "../core/pod-bearing-kinds.js";

export const POD_SPECS_LIB_NAME = "pod-specs.rego (generated from src/core/pod-bearing-kinds.ts)";

export function renderPodSpecRego(): string {
  const paths = [...new Set(POD_BEARING_KINDS.map((k) => k.podSpecPath))];
  const kindsOf = (path: string): string => POD_BEARING_KINDS.filter((k) => k.podSpecPath === path).map((k) => k.kind).join(", ");
  const rules = paths.map(
    (path) => `# ${kindsOf(path)}\npod_specs[[prefix, spec]] {\n\tspec := input.review.object.${path}\n\tprefix := ${JSON.stringify(path)}\n}`,
  );
  const fields = CONTAINER_FIELDS.map((f) => JSON.stringify(f)).join(", ");
  return [
    "# Every PodSpec of the reviewed object, with its field path.",
    ...rules,
    `container_fields := {${fields}}`,
  ].join("\n\n");
}
