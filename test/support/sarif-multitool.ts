// Microsoft's SARIF Multitool (npm run setup:sarif; CI installs it) as the oracle for every SARIF
// azpol writes: `test --format sarif` and `validate --format sarif`.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";

export const MULTITOOL = process.env.SARIF_MULTITOOL ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "azpol-ci", "sarif-multitool-5.7.0", "package", "Sarif.Multitool");

/**
 * Validates `sarif` with the Multitool (files in `dir`) and expects no error-level finding.
 * Returns false when the Multitool is not installed (required under CI).
 */
export function expectValidSarif(dir: string, sarif: string, name = "out"): boolean {
  if (!existsSync(MULTITOOL)) {
    if (process.env.CI) throw new Error(`the SARIF Multitool is missing (${MULTITOOL}); run npm run setup:sarif`);
    return false;
  }
  writeFileSync(join(dir, `${name}.sarif`), sarif);
  const check = spawnSync(MULTITOOL, ["validate", join(dir, `${name}.sarif`), "--output", join(dir, `${name}.validation.sarif`)], { encoding: "utf8", env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: "1" } });
  expect(check.status, check.stdout + check.stderr).toBe(0);
  const findings = (JSON.parse(readFileSync(join(dir, `${name}.validation.sarif`), "utf8")) as { runs: { results: { ruleId: string; level?: string }[] }[] }).runs[0]?.results ?? [];
  expect(findings.filter((f) => f.level === "error")).toEqual([]);
  return true;
}
