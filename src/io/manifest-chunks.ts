// Cuts a large YAML manifest stream into runs of documents that kubectl's reader reads exactly
// as it reads the whole stream, so azpol can read, check and forget one run at a time. The cut
// is where apimachinery's YAMLReader ends a document: a line starting with "---" followed only
// by spaces or a comment, when the document so far is not empty (an empty one keeps the line).
// A JSON stream (first non-space character "{", kubectl's GuessJSONStream) is never cut.

export interface ManifestChunk {
  text: string;
  /** index of the chunk's first document in the whole stream */
  firstDocument: number;
  /** 0-based line offset of the chunk in the whole stream */
  lineOffset: number;
  /** the chunk is a later part of a YAML stream: read it as YAML whatever it starts with */
  forceYAML: boolean;
  /** bytes of the stream up to the chunk's end, for progress */
  endOffset: number;
}

// Go's unicode.IsSpace (strings.TrimSpace), not JS's \s: they differ on U+0085 and U+FEFF,
// and a cut where kubectl would report an error must never happen.
const SEPARATOR = /^---[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*(#[\s\S]*)?$/;

export function* manifestChunks(text: string, documentsPerChunk = 2000): Generator<ManifestChunk> {
  const head = text.slice(0, 4096).trimStart();
  if (head.startsWith("{") || text.length < 64 * 1024) {
    yield { text, firstDocument: 0, lineOffset: 0, forceYAML: false, endOffset: text.length };
    return;
  }
  let chunkStart = 0;
  let chunkLine = 0;
  let chunkFirstDocument = 0;
  let documents = 0; // finished documents in this chunk
  let buffered = false; // the current document has a line
  let line = 0;
  let pos = 0;
  let first = true;
  while (pos < text.length) {
    const nl = text.indexOf("\n", pos);
    const end = nl < 0 ? text.length : nl + 1;
    const content = text.slice(pos, nl < 0 ? text.length : nl);
    if (content.startsWith("---") && SEPARATOR.test(content) && buffered) {
      documents++;
      buffered = false;
      if (documents >= documentsPerChunk) {
        yield { text: text.slice(chunkStart, pos), firstDocument: chunkFirstDocument, lineOffset: chunkLine, forceYAML: !first, endOffset: pos };
        first = false;
        chunkFirstDocument += documents;
        documents = 0;
        chunkStart = end;
        chunkLine = line + 1;
      }
    } else {
      buffered = true;
    }
    line++;
    pos = end;
  }
  if (chunkStart < text.length) yield { text: text.slice(chunkStart), firstDocument: chunkFirstDocument, lineOffset: chunkLine, forceYAML: !first, endOffset: text.length };
}
