// Which platform an executable was built for, read from its header, in Node's names
// (process.platform / process.arch). azpol reads it before it starts a native engine (a binary of
// another platform is never executed), and CI checks the cross-compiled packages with it.
// Formats: ELF (System V gABI: e_ident, e_machine at 18; EM_X86_64 = 62, EM_AARCH64 = 183),
// Mach-O (mach-o/loader.h: MH_MAGIC_64 0xfeedfacf little-endian, cputype CPU_TYPE_X86_64 =
// 0x01000007, CPU_TYPE_ARM64 = 0x0100000c), PE (Microsoft PE format: "MZ", e_lfanew at 0x3c,
// "PE\0\0", Machine IMAGE_FILE_MACHINE_AMD64 = 0x8664, IMAGE_FILE_MACHINE_ARM64 = 0xaa64).
import { closeSync, openSync, readSync } from "node:fs";

export interface BinaryPlatform {
  platform: "linux" | "darwin" | "win32";
  arch: "x64" | "arm64" | `unknown(${string})`;
}

const ELF_MACHINES: Record<number, BinaryPlatform["arch"]> = { 62: "x64", 183: "arm64" };
const MACHO_CPUS: Record<number, BinaryPlatform["arch"]> = { 0x01000007: "x64", 0x0100000c: "arm64" };
const PE_MACHINES: Record<number, BinaryPlatform["arch"]> = { 0x8664: "x64", 0xaa64: "arm64" };

const hex = (n: number) => `0x${n.toString(16)}`;

/** The platform of an executable's header bytes (the first 4 KiB suffice), or undefined if none is recognised. */
export function platformOfHeader(bytes: Uint8Array): BinaryPlatform | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length >= 20 && view.getUint32(0) === 0x7f454c46) {
    // EI_DATA (byte 5): 1 little-endian, 2 big-endian; the OS ABI byte is 0 for Linux Go builds
    const machine = view.getUint16(18, bytes[5] === 1);
    return { platform: "linux", arch: ELF_MACHINES[machine] ?? `unknown(${hex(machine)})` };
  }
  if (bytes.length >= 8 && view.getUint32(0, true) === 0xfeedfacf) {
    const cpu = view.getUint32(4, true);
    return { platform: "darwin", arch: MACHO_CPUS[cpu] ?? `unknown(${hex(cpu)})` };
  }
  if (bytes.length >= 0x40 && bytes[0] === 0x4d && bytes[1] === 0x5a) {
    const pe = view.getUint32(0x3c, true);
    if (pe + 6 <= bytes.length && view.getUint32(pe) === 0x50450000) {
      const machine = view.getUint16(pe + 4, true);
      return { platform: "win32", arch: PE_MACHINES[machine] ?? `unknown(${hex(machine)})` };
    }
  }
  return undefined;
}

/** The platform of the executable at `file`, from its first 4 KiB. */
export function platformOfBinary(file: string): BinaryPlatform | undefined {
  const fd = openSync(file, "r");
  try {
    const bytes = new Uint8Array(4096);
    const n = readSync(fd, bytes, 0, bytes.length, 0);
    return platformOfHeader(bytes.subarray(0, n));
  } finally {
    closeSync(fd);
  }
}

export function describePlatform(p: BinaryPlatform | undefined): string {
  return p ? `${p.platform}-${p.arch}` : "not an executable azpol knows (no ELF, Mach-O or PE header)";
}
