// Reads a file azpol was told to read (a definition source, a template, a suite, a manifest)
// as hostile input: it must be a regular file (a FIFO, a device such as /dev/zero, a socket or
// a folder is refused without blocking: the file is opened non-blocking and checked on the
// open descriptor), no larger than the cap (AZPOL_MAX_FILE_BYTES, default 16 MiB; manifests
// have their own, larger, cap), and valid UTF-8 (UTF-16 with a byte-order mark is decoded).
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";

export const DEFAULT_MAX_FILE_BYTES = 16 * 1024 * 1024;
export const DEFAULT_MAX_MANIFEST_BYTES = 512 * 1024 * 1024;

export type InputRead = { text: string } | { error: string };

function capFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (!raw) return fallback;
  const n = Number(raw);
  return Number.isSafeInteger(n) && n > 0 ? n : fallback;
}

export function maxFileBytes(): number {
  return capFromEnv("AZPOL_MAX_FILE_BYTES", DEFAULT_MAX_FILE_BYTES);
}

export function maxManifestBytes(): number {
  return capFromEnv("AZPOL_MAX_MANIFEST_BYTES", DEFAULT_MAX_MANIFEST_BYTES);
}

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(n < 1024 * 1024 ? 2 : 0)} MiB`;

/** "-" names standard input (`helm template . | azpol test -`); it is read once and kept. */
export const STDIN = "-";
// Stays process-wide on purpose: standard input is one stream per process and can be read only
// once; the bytes are kept so every reader of "-" in this process sees the same input.
let stdinBytes: Buffer | undefined;

function readStdin(maxBytes: number): { bytes: Buffer } | { error: string } {
  if (stdinBytes) return stdinBytes.length > maxBytes ? { error: `is over the ${mb(maxBytes)} limit` } : { bytes: stdinBytes };
  const chunks: Buffer[] = [];
  let length = 0;
  const chunk = Buffer.alloc(1 << 16);
  for (;;) {
    let n: number;
    try {
      n = readSync(0, chunk, 0, chunk.length, null);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "EAGAIN") continue; // a non-blocking pipe not ready yet
      if ((e as NodeJS.ErrnoException).code === "EOF") break;
      return { error: `cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})` };
    }
    if (n === 0) break;
    chunks.push(Buffer.from(chunk.subarray(0, n)));
    length += n;
    if (length > maxBytes) return { error: `is over the ${mb(maxBytes)} limit (raise it with AZPOL_MAX_MANIFEST_BYTES)` };
  }
  stdinBytes = Buffer.concat(chunks);
  return { bytes: stdinBytes };
}

/** The bytes of a regular file, or why azpol will not read it. */
export function readInputBytes(path: string, maxBytes = maxFileBytes()): { bytes: Buffer } | { error: string } {
  if (path === STDIN) return readStdin(maxBytes);
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return { error: "does not exist" };
    if (code === "EACCES" || code === "EPERM") return { error: "cannot be read (permission denied)" };
    if (code === "EISDIR") return { error: "is a folder, not a file" };
    return { error: `cannot be opened (${code ?? String(e)})` };
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) return { error: "is a folder, not a file" };
    if (!stat.isFile()) return { error: "is not a regular file (a FIFO, device or socket); azpol reads only regular files" };
    if (stat.size > maxBytes) return { error: `is ${mb(stat.size)}, over the ${mb(maxBytes)} limit (raise it with AZPOL_MAX_FILE_BYTES or AZPOL_MAX_MANIFEST_BYTES)` };
    const buffer = Buffer.alloc(Math.min(stat.size, maxBytes) + 1);
    let length = 0;
    for (;;) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
      if (length > maxBytes) return { error: `grew past the ${mb(maxBytes)} limit while being read` };
    }
    return { bytes: buffer.subarray(0, length) };
  } catch (e) {
    return { error: `cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})` };
  } finally {
    closeSync(fd);
  }
}

/** Text from bytes: UTF-8 (a BOM is dropped) or UTF-16 with a BOM; anything else is refused. */
export function decodeText(bytes: Uint8Array): InputRead {
  try {
    if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder("utf-16le", { fatal: true }).decode(bytes.subarray(2)) };
    if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder("utf-16be", { fatal: true }).decode(bytes.subarray(2)) };
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes) };
  } catch {
    return { error: "is not valid UTF-8 (or UTF-16 with a byte-order mark); re-save it as UTF-8" };
  }
}

export function readInputText(path: string, maxBytes = maxFileBytes()): InputRead {
  const read = readInputBytes(path, maxBytes);
  return "error" in read ? read : decodeText(read.bytes);
}
