// Finds and runs the real gator CLI (installed from the Go module proxy by .ci/run).
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { AKS_POLICY_ADDON } from "../src/core/addon-version.js";

export function gatorPath(): string {
  const candidates = [process.env.GATOR];
  try {
    // where scripts/install-gator.sh puts it
    candidates.push(join(execFileSync("go", ["env", "GOPATH"], { encoding: "utf8" }).trim(), "bin", "gator"));
  } catch {
    // no Go: only GATOR or ~/go/bin can help
  }
  candidates.push(join(process.env.HOME ?? "", "go", "bin", "gator"));
  const found = candidates.find((c): c is string => Boolean(c) && existsSync(c as string));
  if (!found) throw new Error(`gator not found; install it with: npm run setup:gator (go install github.com/open-policy-agent/gatekeeper/v3/cmd/gator@v${AKS_POLICY_ADDON.gatekeeper}) or set GATOR`);
  return found;
}

/**
 * Fails unless gator is built from the Gatekeeper the add-on runs (a differential against another
 * proves nothing): `go version -m` names the module it was built from (a go install build's
 * `gator --version` says "devel"), and `gator --version` the OPA it links.
 */
export function requireGatorVersion(gator: string): string {
  const version = spawnSync(gator, ["--version"], { encoding: "utf8" }).stdout.trim();
  const modules = spawnSync("go", ["version", "-m", gator], { encoding: "utf8" }).stdout;
  const built = /^\s+mod\s+github\.com\/open-policy-agent\/gatekeeper\/v3\s+(\S+)/m.exec(modules)?.[1];
  if (built !== `v${AKS_POLICY_ADDON.gatekeeper}` || !version.includes(`opa/v${AKS_POLICY_ADDON.opa}`)) {
    throw new Error(`gator at ${gator} is Gatekeeper ${built ?? "(unknown)"} (${JSON.stringify(version)}), not v${AKS_POLICY_ADDON.gatekeeper} with OPA v${AKS_POLICY_ADDON.opa}; run npm run setup:gator`);
  }
  return `Gatekeeper ${built}, ${version}`;
}

export interface GatorResult {
  msg: string;
  violatingObject?: { metadata?: { name?: string } };
}

/** `gator test -o json` over the given files; returns its results. */
export function gatorTest(gator: string, files: string[]): GatorResult[] {
  const run = spawnSync(gator, ["test", ...files.flatMap((f) => ["-f", f]), "-o", "json"], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  if (run.error) throw run.error;
  // gator test exits 1 when there are violations; anything else is a failure to run
  if (run.status !== 0 && run.status !== 1) throw new Error(`gator test failed (${run.status}): ${run.stderr}`);
  const text = run.stdout.trim();
  return text === "" || text === "null" ? [] : (JSON.parse(text) as GatorResult[]);
}
