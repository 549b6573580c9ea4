// Images set by a kustomization's inline patches: `patches[].patch`, `patchesJson6902[].patch` and
// inline `patchesStrategicMerge` entries (kustomize api types.Patch / PatchStrategicMerge; an
// entry is inline when it is YAML text, not a file name). `azpol test -k` renders them, so fix
// must see them: a strategic-merge patch names images under `image:` keys; a JSON 6902 patch in
// its ops' values (`value: {name, image}`, or `path: .../image` with `value: <image>`).
// The patch is YAML inside a YAML string. A literal block scalar (`patch: |-`) holds its lines
// as they are, indented: an image in it is rewritten in place, and only when the bytes at the
// computed place in the file are the image's own (checked, not assumed). Any other style (a
// folded or quoted string) is found and judged, but marked read-only: fix names it as needing a
// human rather than guessing where its bytes are.
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Scalar } from "yaml";
import type { ImageSite } from "./find-images.js";
import { imageKeySites } from "./object-images.js";

const READ_ONLY = "in an inline kustomize patch fix cannot edit in place (a folded or quoted string): move it by hand";

/** The inline patch strings of a kustomization document. */
function inlinePatches(doc: Document): Scalar<string>[] {
  const root = doc.contents;
  if (!isMap(root)) return [];
  const found: Scalar<string>[] = [];
  const text = (node: unknown) => (isScalar(node) && typeof node.value === "string" ? (node as Scalar<string>) : undefined);
  for (const key of ["patches", "patchesJson6902"]) {
    const list = root.get(key, true);
    if (!isSeq(list)) continue;
    for (const item of list.items) {
      const patch = isMap(item) ? text(item.get("patch", true)) : undefined;
      if (patch) found.push(patch);
    }
  }
  const merge = root.get("patchesStrategicMerge", true);
  if (isSeq(merge)) for (const item of merge.items) {
    const patch = text(item);
    // a file name is one line without a key; inline YAML has a newline or a mapping
    if (patch && (patch.value.includes("\n") || /^\s*[{[]|:\s/.test(patch.value))) found.push(patch);
  }
  return found;
}

/** JSON 6902 ops that set an image directly: `{op, path: /.../image, value: "<image>"}`. */
function opImageValues(doc: Document): Scalar<string>[] {
  const ops = doc.contents;
  if (!isSeq(ops)) return [];
  const found: Scalar<string>[] = [];
  for (const op of ops.items) {
    if (!isMap(op)) continue;
    const path = op.get("path", true);
    const value = op.get("value", true);
    if (isScalar(path) && typeof path.value === "string" && /\/image(\/reference)?$/.test(path.value) && isScalar(value) && typeof value.value === "string" && value.value !== "") found.push(value as Scalar<string>);
  }
  return found;
}

/** Where each line of a literal block scalar's value starts in the file, and its indentation
 * (that of its first non-blank line; an explicit indentation indicator is left to a human). */
function literalLines(text: string, node: Scalar<string>): { starts: number[]; indent: number } | undefined {
  if (node.type !== "BLOCK_LITERAL" || !node.range) return undefined;
  const headerEnd = text.indexOf("\n", node.range[0]);
  if (headerEnd < 0 || /\d/.test(text.slice(node.range[0], headerEnd).split("#")[0] ?? "")) return undefined;
  const starts: number[] = [];
  let indent: number | undefined;
  for (let at = headerEnd + 1; at < node.range[1]; ) {
    starts.push(at);
    const next = text.indexOf("\n", at);
    const line = text.slice(at, next < 0 ? text.length : next);
    if (indent === undefined && line.trim() !== "") indent = line.length - line.trimStart().length;
    if (next < 0) break;
    at = next + 1;
  }
  return indent === undefined ? undefined : { starts, indent };
}

/** The sites of the images a kustomization's inline patches set, placed in the file's bytes. */
export function kustomizationPatchSites(doc: Document, text: string, lineCounter: LineCounter): ImageSite[] {
  const sites: ImageSite[] = [];
  for (const patch of inlinePatches(doc)) {
    const inner = patch.value;
    const innerLines = new LineCounter();
    const docs = parseAllDocuments(inner, { lineCounter: innerLines, prettyErrors: false });
    if (!Array.isArray(docs)) continue;
    const found: ImageSite[] = [];
    for (const d of docs) {
      if (d.errors.length) continue; // kustomize refuses it too; test -k names the error
      found.push(...imageKeySites(d, innerLines, false));
      for (const v of opImageValues(d)) {
        const [start, end] = v.range ?? [0, 0];
        found.push({ start, end, value: v.value, style: v.type, image: v.value, part: "image", line: 0 });
      }
    }
    const lines = literalLines(text, patch);
    const patchLine = lineCounter.linePos(patch.range?.[0] ?? 0).line;
    for (const f of found) {
      // inner offset -> inner line and column -> the same column after the indentation in the file
      const innerLine = inner.slice(0, f.start).split("\n").length - 1;
      const column = f.start - (inner.lastIndexOf("\n", f.start - 1) + 1);
      const lineStart = lines?.starts[innerLine];
      const start = lineStart === undefined || !lines ? -1 : lineStart + lines.indent + column;
      const end = start + (f.end - f.start);
      const placed = start >= 0 && text.slice(start, end) === inner.slice(f.start, f.end);
      if (placed) sites.push({ ...f, start, end, line: lineCounter.linePos(start).line });
      else sites.push({ ...f, start: patch.range?.[0] ?? 0, end: patch.range?.[0] ?? 0, line: patchLine, readOnly: READ_ONLY });
    }
  }
  return sites;
}
