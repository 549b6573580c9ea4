// Reads Kubernetes manifests exactly as `kubectl apply -f` does: the engine runs kubectl's
// own reader (engine/manifests.go: apimachinery's YAML/JSON stream decoder, sigs.k8s.io/yaml,
// the unstructured decoder, cli-runtime's list flattening), and test/oracle/ compares it with
// k8s.io/cli-runtime's builder on generated manifests. Each object keeps where it came from.
// A file kubectl would not apply cleanly is a problem, never "ok": a YAML error (which ends
// the file), a document or list item it cannot decode, and a file with no objects at all.
import { manifestChunks } from "./manifest-chunks.js";
import { maxManifestBytes, readInputText } from "./read-input.js";
import type { EngineManifestRead } from "../rego/engine.js";
import type { KubeObject } from "../rego/kubernetes-object.js";

export interface ManifestObject {
  file: string;
  /** 0-based index of the document in the stream (documents kubectl skips as empty are not counted) */
  document: number;
  /** 1-based line where the document starts */
  line: number;
  /** index inside a List, when the document is one */
  item?: number;
  object: KubeObject;
}

export interface ManifestProblem {
  file: string;
  document: number;
  line: number;
  message: string;
}

export interface ManifestReader {
  readManifests(text: string, options?: { forceYAML?: boolean }): Promise<EngineManifestRead>;
}

export interface ManifestRead {
  objects: ManifestObject[];
  problems: ManifestProblem[];
}

export async function parseManifests(reader: ManifestReader, file: string, text: string): Promise<ManifestRead> {
  const read = await reader.readManifests(text);
  const objects = read.objects.map((o) => ({ file, document: o.document, line: o.line, ...(o.item === undefined ? {} : { item: o.item }), object: o.object }));
  const problems = read.problems.map((p) => ({ file, document: p.document, line: p.line, message: p.message }));
  if (objects.length === 0 && problems.length === 0) problems.push({ file, document: 0, line: 1, message: "holds no Kubernetes objects (kubectl apply: no objects passed to apply)" });
  return { objects, problems };
}

export async function readManifests(reader: ManifestReader, path: string, shownAs: string): Promise<ManifestRead> {
  // Like kubectl a UTF-8 BOM is dropped and a UTF-16 BOM honoured; unlike kubectl, invalid
  // UTF-8 is refused rather than silently replaced.
  const decoded = readInputText(path, maxManifestBytes());
  if ("error" in decoded) return { objects: [], problems: [{ file: shownAs, document: 0, line: 1, message: decoded.error }] };
  return parseManifests(reader, shownAs, decoded.text);
}

export function objectLocation(o: Pick<ManifestObject, "file" | "document" | "item">): string {
  return `${o.file}#${o.document}${o.item === undefined ? "" : `.items[${o.item}]`}`;
}

export function problemLocation(p: ManifestProblem): string {
  return `${p.file}:${p.line}#${p.document}`;
}

/**
 * Reads a manifest file run by run (manifest-chunks.ts), handing each run's objects to `visit`
 * and forgetting them, so memory stays bounded on very large files. Problems are collected;
 * a fatal one (a YAML error) ends the file there, as it ends kubectl's reading.
 */
export async function visitManifests(
  reader: ManifestReader,
  path: string,
  shownAs: string,
  visit: (objects: ManifestObject[], progress: { bytes: number; totalBytes: number }) => Promise<void>,
  documentsPerChunk?: number,
): Promise<{ objects: number; problems: ManifestProblem[] }> {
  // Like kubectl a UTF-8 BOM is dropped and a UTF-16 BOM honoured; unlike kubectl, invalid
  // UTF-8 is refused rather than silently replaced.
  const decoded = readInputText(path, maxManifestBytes());
  if ("error" in decoded) return { objects: 0, problems: [{ file: shownAs, document: 0, line: 1, message: decoded.error }] };
  const problems: ManifestProblem[] = [];
  let count = 0;
  for (const chunk of manifestChunks(decoded.text, documentsPerChunk)) {
    const read = await reader.readManifests(chunk.text, { forceYAML: chunk.forceYAML });
    const objects = read.objects.map((o) => ({
      file: shownAs,
      document: chunk.firstDocument + o.document,
      line: chunk.lineOffset + o.line,
      ...(o.item === undefined ? {} : { item: o.item }),
      object: o.object,
    }));
    count += objects.length;
    for (const p of read.problems) problems.push({ file: shownAs, document: chunk.firstDocument + p.document, line: chunk.lineOffset + p.line, message: p.message });
    await visit(objects, { bytes: chunk.endOffset, totalBytes: decoded.text.length });
    if (read.problems.some((p) => p.fatal)) break;
  }
  if (count === 0 && problems.length === 0) problems.push({ file: shownAs, document: 0, line: 1, message: "holds no Kubernetes objects (kubectl apply: no objects passed to apply)" });
  return { objects: count, problems };
}
