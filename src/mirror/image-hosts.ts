// The registry hosts files' images name (Docker Hub for names without one): what `fix --to` needs
// a mirror rule for.
import { findImages } from "../fix/find-images.js";
import { parseReference } from "../fix/image-reference.js";

export function imageHosts(texts: string[]): string[] {
  const hosts = new Set<string>();
  for (const text of texts) {
    const scan = findImages(text);
    if ("error" in scan) continue;
    for (const site of scan.sites) hosts.add(parseReference(site.image)?.host ?? "docker.io");
  }
  return [...hosts];
}
