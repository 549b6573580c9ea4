// publish --write: points a definition source at the published template (source: PublicURL, url,
// sha256), editing only those keys. YAML keeps its comments and layout (eemeli/yaml's document
// API); JSON is re-serialized. Written to a temporary name and renamed into place.
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { parseDocument } from "yaml";

export function pointSourceAt(file: string, url: string, sha256: string): "changed" | "unchanged" {
  const before = readFileSync(file, "utf8");
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
  const tmp = `${file}.azpol-${process.pid}.tmp`;
  writeFileSync(tmp, after);
  renameSync(tmp, file);
  return "changed";
}
