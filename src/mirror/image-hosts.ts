// The registry hosts files' images name (Docker Hub for names without one): what `fix --to` needs
// a mirror rule for.
import { findFileImages, type ImageFile } from "../fix/find-images.js";
import { parseReference } from "../fix/image-reference.js";

export function imageHosts(files: ImageFile[]): string[] {
  const hosts = new Set<string>();
  for (const { scan } of findFileImages(files, {})) {
    if ("error" in scan) continue;
    for (const site of scan.sites) hosts.add(parseReference(site.image)?.host ?? "docker.io");
  }
  return [...hosts];
}
