// Publishes the ConstraintTemplates of PublicURL-bound definitions (their hosted copies): each template's bytes (as azpol reads
// them, UTF-8) go to <template name>/<sha256>.yaml, created once and never replaced; a blob that is
// already there must hold the same bytes. Then the URL is fetched anonymously, as the add-on will
// fetch it, and must serve exactly those bytes.
import type { ConstraintTemplate } from "../core/constraint-template.js";
import { gatekeeperYamlDigest } from "../core/gatekeeper-yaml-digest.js";
import { compareHostedTemplate } from "../integrity/compare-hosted-template.js";
import type { TemplateFetcher } from "../integrity/fetch-hosted-template.js";
import type { BlobStore } from "./blob-store.js";

export interface PublishedTemplate {
  template: string;
  sha256: string;
  blob: string;
  url: string;
  status: "created" | "exists";
  /** why the add-on could not fetch it anonymously, if it cannot */
  anonymousReadProblem?: string;
}

export async function publishTemplate(store: BlobStore, template: ConstraintTemplate, fetcher: TemplateFetcher): Promise<PublishedTemplate> {
  const sha256 = gatekeeperYamlDigest(template.text);
  const bytes = Buffer.from(template.text, "utf8");
  const blob = `${template.name}/${sha256}.yaml`;
  const status = await store.createIfAbsent(blob, bytes, "application/yaml");
  if (status === "exists") {
    const existing = await store.read(blob);
    if (!existing || !existing.equals(bytes)) {
      throw new Error(`${blob} already exists with other bytes; a content-addressed blob is never replaced, so someone changed it: delete it and publish again, or investigate`);
    }
  }
  const url = store.urlOf(blob);
  const fetched = await fetcher(url);
  let anonymousReadProblem: string | undefined;
  if ("error" in fetched) anonymousReadProblem = `${fetched.error}: the add-on fetches the URL without credentials, so the container needs anonymous read for blobs (public access 'blob')`;
  else {
    const same = compareHostedTemplate(template.text, fetched.bytes);
    if (!same.same) anonymousReadProblem = `the URL serves other bytes than were uploaded (${same.summary})`;
  }
  return { template: template.name, sha256, blob, url, status, ...(anonymousReadProblem ? { anonymousReadProblem } : {}) };
}
