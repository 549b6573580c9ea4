// The identity of the Gatekeeper YAML a definition carries (a ConstraintTemplate in
// details.templateInfo, or a mutator in details.mutationInfo): sha256 (hex) of its text as azpol
// reads it, in UTF-8 (a byte-order mark dropped). Base64Encoded embeds exactly these bytes and
// `azpol publish` uploads exactly these bytes, so a PublicURL must serve them too.
import { createHash } from "node:crypto";

export function gatekeeperYamlDigest(text: string): string {
  return createHash("sha256").update(Buffer.from(text, "utf8")).digest("hex");
}
