// publish --write: points a definition source at the published template (source: PublicURL, url,
// sha256), editing only those keys. YAML keeps its comments and layout (eemeli/yaml's document
// API); JSON is re-serialized. Written by the guarded writer, inside the source's folder, keeping
// the file's encoding, BOM and line endings.
import { dirname } from "node:path";
import { parseDocument } from "yaml";
import { UsageError } from "../errors.js";
import { writeGuarded } from "../io/guarded-writer.js";
import { decodeText, readInputBytes } from "../io/read-input.js";
import { shapeOf } from "../io/text-shape.js";

export function pointSourceAt(file: string, url: string, sha256: string): "changed" | "unchanged" {
  const bytes = readInputBytes(file);
  const decoded = "error" in bytes ? bytes : decodeText(bytes.bytes);
  if ("error" in decoded || "error" in bytes) throw new UsageError(`${file} ${"error" in decoded ? decoded.error : "cannot be read"}`);
  const before = decoded.text;
  let after: string;
  if (file.endsWith(".json")) {
    const data = JSON.parse(before) as { template: Record<string, unknown> };
    data.template = { ...data.template, source: "PublicURL", url, sha256 };
    after = `${JSON.stringify(data, null, 2)}\n`;
  } else {
    const doc = parseDocument(before);
    doc.setIn(["template", "source"], "PublicURL");
    doc.setIn(["template", "url"], url);
    doc.setIn(["template", "sha256"], sha256);
    after = doc.toString();
  }
  if (after === before) return "unchanged";
  writeGuarded(dirname(file), file, after, { label: "the definition's folder", shape: shapeOf(bytes.bytes, before) });
  return "changed";
}
