// Whether a native engine binary may serve this process, checked twice: its header before it is
// started (a binary for another platform is never executed), and its answer to the version request
// after (it runs here, speaks this azpol's protocol and was built from the same engine sources,
// engine/version.go). A failed check is an EngineUnusable error naming the reason; loadEngine then
// falls back to the next engine (engine.ts).
import { AzpolError } from "../errors.js";
import { describePlatform, platformOfBinary } from "./binary-platform.js";
import type { EngineLocation } from "./engine-locate.js";

/** Go's GOOS/GOARCH for Node's process.platform/arch (the targets scripts/build-engine-packages.sh builds). */
const GO_PLATFORM: Record<string, string> = { linux: "linux", darwin: "darwin", win32: "windows" };
const GO_ARCH: Record<string, string> = { x64: "amd64", arm64: "arm64" };

const unusable = (location: EngineLocation & { kind: "native" }, why: string) => new AzpolError("EngineUnusable", `the native engine ${location.binary} (${location.source}) ${why}`);

/** Refuses a binary whose header is not this machine's platform and architecture. */
export function checkBinaryPlatform(location: EngineLocation & { kind: "native" }, platform: string = process.platform, arch: string = process.arch): void {
  let found;
  try {
    found = platformOfBinary(location.binary);
  } catch (e) {
    throw unusable(location, `cannot be read: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!found || found.platform !== platform || found.arch !== arch) throw unusable(location, `is built for ${describePlatform(found)}, this machine is ${platform}-${arch}`);
}

/** Refuses an engine whose version answer is not for this platform or not from `expectedSource`. */
export function checkHandshake(reply: Record<string, unknown>, location: EngineLocation, expectedSource: string | undefined, platform: string = process.platform, arch: string = process.arch): void {
  if (location.kind !== "native") return;
  if (typeof reply.goos !== "string" || typeof reply.goarch !== "string" || typeof reply.source !== "string") {
    throw unusable(location, "does not answer the version handshake of this azpol (it is from an older release)");
  }
  if (reply.goos !== GO_PLATFORM[platform] || reply.goarch !== GO_ARCH[arch]) throw unusable(location, `reports ${reply.goos}/${reply.goarch}, this machine is ${platform}-${arch}`);
  // AZPOL_ENGINE_PATH names a binary on purpose (a development build): its sources are the user's call
  if (expectedSource !== undefined && location.source !== "AZPOL_ENGINE_PATH" && reply.source !== expectedSource) {
    throw unusable(location, `was built from other engine sources (${reply.source.slice(0, 12)}, this azpol expects ${expectedSource.slice(0, 12)}); reinstall azpol so its engine package matches`);
  }
}
