// Reads Kubernetes manifests: multi-document YAML (or JSON), with `kind: List` (and
// *List kinds) expanded into their items. Each object keeps where it came from.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { asRecord } from "../core/constraint-template.js";
import { isKubeObject, type KubeObject } from "../rego/kubernetes-object.js";

export interface ManifestObject {
  file: string;
  /** 0-based index of the YAML document in the file */
  document: number;
  /** index inside a List, when the document is one */
  item?: number;
  object: KubeObject;
}

export interface ManifestProblem {
  file: string;
  document: number;
  message: string;
}

export function parseManifests(file: string, text: string): { objects: ManifestObject[]; problems: ManifestProblem[] } {
  const objects: ManifestObject[] = [];
  const problems: ManifestProblem[] = [];
  parseAllDocuments(text).forEach((doc, document) => {
    if (doc.errors.length) {
      problems.push({ file, document, message: doc.errors[0]?.message.split("\n")[0] ?? "YAML error" });
      return;
    }
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) return;
    const record = asRecord(value);
    if (record && typeof record.kind === "string" && record.kind.endsWith("List") && Array.isArray(record.items)) {
      record.items.forEach((item: unknown, i: number) => {
        if (isKubeObject(item)) objects.push({ file, document, item: i, object: item });
        else problems.push({ file, document, message: `items[${i}] is not a Kubernetes object (needs apiVersion and kind)` });
      });
      return;
    }
    if (isKubeObject(value)) objects.push({ file, document, object: value });
    else problems.push({ file, document, message: "not a Kubernetes object (needs apiVersion and kind)" });
  });
  return { objects, problems };
}

export function readManifests(path: string, shownAs: string): ReturnType<typeof parseManifests> {
  return parseManifests(shownAs, readFileSync(path, "utf8"));
}

export function objectLocation(o: Pick<ManifestObject, "file" | "document" | "item">): string {
  return `${o.file}#${o.document}${o.item === undefined ? "" : `.items[${o.item}]`}`;
}
