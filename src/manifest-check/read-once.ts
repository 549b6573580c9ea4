// The Namespace pass and the checking pass of check-manifests.ts read the same text: a file that
// defines a Namespace would go through kubectl's reader (in the engine) twice. This reader keeps
// what the first pass read, up to a bound, and hands it to the second pass once, so a small
// file is read once and a huge one (past the bound) is read twice rather than held in memory.
import type { ManifestReader } from "../io/manifests.js";
import type { EngineManifestRead } from "../rego/engine-port.js";

/** What is kept between the passes at most: texts of this many UTF-16 units in all (~8 MiB). */
const KEPT_CHARACTERS = 4 * 1024 * 1024;

export function readOnceReader(reader: ManifestReader, keptCharacters = KEPT_CHARACTERS): ManifestReader {
  const kept = new Map<string, { forceYAML: boolean; read: Promise<EngineManifestRead> }>();
  let keptSize = 0;
  return {
    readManifests(text, options) {
      const forceYAML = options?.forceYAML === true;
      const earlier = kept.get(text);
      if (earlier && earlier.forceYAML === forceYAML) {
        kept.delete(text);
        keptSize -= text.length;
        return earlier.read;
      }
      const read = reader.readManifests(text, options);
      if (keptSize + text.length <= keptCharacters) {
        kept.set(text, { forceYAML, read });
        keptSize += text.length;
      }
      return read;
    },
  };
}
