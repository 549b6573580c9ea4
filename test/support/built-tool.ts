// Finds a real tool azpol's tests run (helm, terraform): its environment variable, then the binary
// the matching scripts/install-<tool>.sh builds from the Go module proxy into the CI cache
// (npm run setup:<tool>; CI does), then PATH. In CI it must be there.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

export function findBuiltTool(tool: string, version: string, envVar: string): string | undefined {
  const built = join(process.env.AZPOL_CI_CACHE ?? join(homedir(), ".cache", "azpol-ci"), `${tool}-${version}`, tool);
  for (const candidate of [process.env[envVar], built]) if (candidate && existsSync(candidate)) return candidate;
  try {
    const found = execFileSync("sh", ["-c", `command -v ${tool}`], { encoding: "utf8" }).trim();
    if (found) return found;
  } catch {
    // not on PATH
  }
  if (process.env.CI) throw new Error(`${tool} must be available in CI: run npm run setup:${tool}`);
  return undefined;
}
