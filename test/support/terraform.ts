// Finds the real terraform: TERRAFORM, then the one scripts/install-terraform.sh builds from the Go
// module proxy (npm run setup:terraform; CI does), then PATH. In CI it must be there.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

export const TERRAFORM_VERSION = "v1.11.4";

export function findTerraform(): string | undefined {
  const built = join(process.env.AZPOL_CI_CACHE ?? join(homedir(), ".cache", "azpol-ci"), `terraform-${TERRAFORM_VERSION}`, "terraform");
  for (const candidate of [process.env.TERRAFORM, built]) if (candidate && existsSync(candidate)) return candidate;
  try {
    const found = execFileSync("sh", ["-c", "command -v terraform"], { encoding: "utf8" }).trim();
    if (found) return found;
  } catch {
    // not on PATH
  }
  if (process.env.CI) throw new Error("terraform must be available in CI: run npm run setup:terraform");
  return undefined;
}

/** The environment for terraform: no CLI configuration (none is needed; a missing one warns). */
export function terraformEnv(): NodeJS.ProcessEnv {
  return { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== "TF_CLI_CONFIG_FILE")), TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1" };
}
