// The images a kustomization sets (`images:` entries, kustomize api types.Image): kustomize finds
// every container image whose name is `name` and makes it newName (else name), with newTag or
// digest (else the tag it had). fix moves an entry by its newName when it has one; an entry
// without newName moves by its `name`, which must move together with the workloads it matches
// (plan-fixes.ts checks that) so the render changes only in the registry.
import { isMap, isScalar, isSeq, type Document, type Scalar, type YAMLMap } from "yaml";

export interface KustomizationImage {
  node: Scalar;
  /** what kustomize renders for matching containers (with the entry's tag or digest) */
  image: string;
  kustomizeName: boolean;
}

const text = (map: YAMLMap, key: string): Scalar | undefined => {
  const node = map.get(key, true);
  return isScalar(node) && (typeof node.value === "string" || typeof node.value === "number") ? node : undefined;
};

export function kustomizationImages(doc: Document): KustomizationImage[] {
  const root = doc.contents;
  const images = isMap(root) ? root.get("images", true) : undefined;
  if (!isSeq(images)) return [];
  const found: KustomizationImage[] = [];
  for (const item of images.items) {
    if (!isMap(item)) continue;
    const name = text(item, "name");
    const newName = text(item, "newName");
    const tag = text(item, "newTag");
    const digest = text(item, "digest");
    const node = newName ?? name;
    if (!node || String(node.value) === "") continue;
    const tagText = tag ? (tag.source ?? String(tag.value)) : "";
    found.push({ node, image: `${String(node.value)}${tagText ? `:${tagText}` : ""}${digest ? `@${String(digest.value)}` : ""}`, kustomizeName: node === name });
  }
  return found;
}
