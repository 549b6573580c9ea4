// Finds the real helm (HELM, then scripts/install-helm.sh's build, then PATH): test/support/built-tool.ts.
import { findBuiltTool } from "./built-tool.js";

export const HELM_VERSION = "v3.16.4";

export function findHelm(): string | undefined {
  return findBuiltTool("helm", HELM_VERSION, "HELM");
}
