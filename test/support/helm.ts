// Finds the real helm: HELM, then the one scripts/install-helm.sh builds from the Go module proxy
// (npm run setup:helm; CI does), then PATH. In CI it must be there.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

export const HELM_VERSION = "v3.16.4";

export function findHelm(): string | undefined {
  const built = join(process.env.AZPOL_CI_CACHE ?? join(homedir(), ".cache", "azpol-ci"), `helm-${HELM_VERSION}`, "helm");
  for (const candidate of [process.env.HELM, built]) if (candidate && existsSync(candidate)) return candidate;
  try {
    const found = execFileSync("sh", ["-c", "command -v helm"], { encoding: "utf8" }).trim();
    if (found) return found;
  } catch {
    // not on PATH
  }
  if (process.env.CI) throw new Error("helm must be available in CI: run npm run setup:helm");
  return undefined;
}
