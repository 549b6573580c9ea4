// Reads Kubernetes manifests exactly as `kubectl apply -f` does: the engine runs kubectl's
// own reader (engine/manifests.go: apimachinery's YAML/JSON stream decoder, sigs.k8s.io/yaml,
// the unstructured decoder, cli-runtime's list flattening), and test/oracle/ compares it with
// k8s.io/cli-runtime's builder on generated manifests. Each object keeps where it came from.
// A file kubectl would not apply cleanly is a problem, never "ok": a YAML error (which ends
// the file), a document or list item it cannot decode, and a file with no objects at all.
import { manifestChunks } from "./manifest-chunks.js";
import { AzpolError, ExitCode } from "../errors.js";
import { boundManifestDepth } from "./read-bounds.js";
import { maxManifestBytes, readInputText } from "./read-input.js";
import type { EngineManifestRead } from "../rego/engine-port.js";
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

/** The engine's answer for (part of) a stream, placed in the file: document and line offsets added. */
function place(read: EngineManifestRead, file: string, firstDocument = 0, lineOffset = 0): ManifestRead {
  return {
    objects: read.objects.map((o) => ({ file, document: firstDocument + o.document, line: lineOffset + o.line, ...(o.item === undefined ? {} : { item: o.item }), object: o.object })),
    problems: read.problems.map((p) => ({ file, document: firstDocument + p.document, line: lineOffset + p.line, message: p.message })),
  };
}

// kubectl apply refuses a file with nothing in it; so does azpol, rather than call it ok.
const noObjects = (file: string): ManifestProblem => ({ file, document: 0, line: 1, message: "holds no Kubernetes objects (kubectl apply: no objects passed to apply)" });

/** Documents nested too deep are blanked before the engine sees them, each one a problem (read-bounds.ts). */
function depthBounded(text: string, file: string): { text: string; problems: ManifestProblem[] } {
  const bounded = boundManifestDepth(text);
  return { text: bounded.text, problems: bounded.problems.map((p) => ({ file, document: 0, line: p.line, message: p.message })) };
}

/** The engine's reading; if the engine fails on this text, that is a problem of the text, not exit 1. */
async function engineRead(reader: ManifestReader, text: string, options: { forceYAML?: boolean } | undefined): Promise<EngineManifestRead> {
  try {
    return await reader.readManifests(text, options);
  } catch (e) {
    if (e instanceof AzpolError && e.exitCode === ExitCode.Internal) throw e; // the engine itself broke
    return { objects: [], problems: [{ document: 0, line: 1, message: `cannot be read: ${e instanceof Error ? e.message : String(e)}`, fatal: true }] };
  }
}

export async function parseManifests(reader: ManifestReader, file: string, text: string): Promise<ManifestRead> {
  const bounded = depthBounded(text, file);
  const read = place(await engineRead(reader, bounded.text, undefined), file);
  read.problems.unshift(...bounded.problems);
  if (read.objects.length === 0 && read.problems.length === 0) read.problems.push(noObjects(file));
  return read;
}

export async function readManifests(reader: ManifestReader, path: string, shownAs: string): Promise<ManifestRead> {
  // Like kubectl a UTF-8 BOM is dropped and a UTF-16 BOM honoured; unlike kubectl, invalid
  // UTF-8 is refused rather than silently replaced.
  const decoded = typeof path === "string" ? readInputText(path, maxManifestBytes()) : path;
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
/** A manifest source: a file (or "-"), or text azpol made itself (a kustomization's render). */
export type ManifestSource = string | { text: string };

export async function visitManifests(
  reader: ManifestReader,
  path: ManifestSource,
  shownAs: string,
  visit: (objects: ManifestObject[], progress: { bytes: number; totalBytes: number }) => Promise<void>,
  documentsPerChunk?: number,
): Promise<{ objects: number; problems: ManifestProblem[] }> {
  // Like kubectl a UTF-8 BOM is dropped and a UTF-16 BOM honoured; unlike kubectl, invalid
  // UTF-8 is refused rather than silently replaced.
  const decoded = typeof path === "string" ? readInputText(path, maxManifestBytes()) : path;
  if ("error" in decoded) return { objects: 0, problems: [{ file: shownAs, document: 0, line: 1, message: decoded.error }] };
  const bounded = depthBounded(decoded.text, shownAs);
  const problems: ManifestProblem[] = [...bounded.problems];
  let count = 0;
  for (const chunk of manifestChunks(bounded.text, documentsPerChunk)) {
    const raw = await engineRead(reader, chunk.text, { forceYAML: chunk.forceYAML });
    const read = place(raw, shownAs, chunk.firstDocument, chunk.lineOffset);
    count += read.objects.length;
    problems.push(...read.problems);
    await visit(read.objects, { bytes: chunk.endOffset, totalBytes: bounded.text.length });
    if (raw.problems.some((p) => p.fatal)) break;
  }
  if (count === 0 && problems.length === 0) problems.push(noObjects(shownAs));
  return { objects: count, problems };
}
