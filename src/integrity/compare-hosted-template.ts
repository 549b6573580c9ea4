// Compares the template tested here with the bytes a URL serves, and says how they differ in a
// line a reviewer can act on: both digests and sizes, and the first line that differs.
import { gatekeeperYamlDigest } from "../core/gatekeeper-yaml-digest.js";
import { decodeText } from "../io/read-input.js";

export type TemplateComparison = { same: true; digest: string } | { same: false; summary: string };

const clip = (line: string | undefined) => (line === undefined ? "(end of file)" : JSON.stringify(line.length > 80 ? `${line.slice(0, 77)}...` : line));

export function compareHostedTemplate(localText: string, hosted: Uint8Array): TemplateComparison {
  const localDigest = gatekeeperYamlDigest(localText);
  const decoded = decodeText(hosted);
  if ("error" in decoded) return { same: false, summary: `the hosted file ${decoded.error.replace(/; re-save.*$/, "")} (local sha256 ${localDigest})` };
  const hostedDigest = gatekeeperYamlDigest(decoded.text);
  if (hostedDigest === localDigest) return { same: true, digest: localDigest };
  const local = localText.split("\n");
  const remote = decoded.text.split("\n");
  let line = 0;
  while (line < Math.max(local.length, remote.length) && local[line] === remote[line]) line++;
  return {
    same: false,
    summary: `local sha256 ${localDigest} (${Buffer.byteLength(localText)} bytes), hosted sha256 ${hostedDigest} (${hosted.byteLength} bytes); first difference at line ${line + 1}: local ${clip(local[line])}, hosted ${clip(remote[line])}`,
  };
}
