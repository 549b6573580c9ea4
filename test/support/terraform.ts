// Finds the real terraform (TERRAFORM, then scripts/install-terraform.sh's build, then PATH):
// test/support/built-tool.ts.
import { findBuiltTool } from "./built-tool.js";

export const TERRAFORM_VERSION = "v1.11.4";

export function findTerraform(): string | undefined {
  return findBuiltTool("terraform", TERRAFORM_VERSION, "TERRAFORM");
}

/** The environment for terraform: no CLI configuration (none is needed; a missing one warns). */
export function terraformEnv(): NodeJS.ProcessEnv {
  return { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== "TF_CLI_CONFIG_FILE")), TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1" };
}
