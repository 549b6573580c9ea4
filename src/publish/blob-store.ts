// The port publish writes through: a blob container that only ever gains blobs. Names are
// content-addressed, so a blob that exists is never replaced.
export interface BlobStore {
  /** the blob's bytes, or undefined when there is none */
  read(name: string): Promise<Buffer | undefined>;
  /** creates the blob unless one exists (never overwrites): "exists" if it was already there */
  createIfAbsent(name: string, bytes: Buffer, contentType: string): Promise<"created" | "exists">;
  /** the blob's URL without any credential in it */
  urlOf(name: string): string;
}
