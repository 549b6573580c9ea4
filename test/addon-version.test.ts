// One constant (src/core/addon-version.ts) names the add-on, Gatekeeper and OPA versions azpol
// models. This fails when the engine's go.mod, Gatekeeper's own requirement on OPA, the gator
// install script or the README disagree with it.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { AKS_POLICY_ADDON } from "../src/core/addon-version.js";

const root = join(import.meta.dirname, "..");
const goMod = readFileSync(join(root, "engine", "go.mod"), "utf8");
const requiredIn = (mod: string, module: string): string | undefined => new RegExp(`^\\s*(?:require\\s+)?${module.replace(/[.]/g, "\\.")} (v\\S+)`, "m").exec(mod)?.[1];
const required = (module: string) => requiredIn(goMod, module);

it("the engine links the constant's Gatekeeper and OPA", () => {
  expect(required("github.com/open-policy-agent/gatekeeper/v3")).toBe(`v${AKS_POLICY_ADDON.gatekeeper}`);
  expect(required("github.com/open-policy-agent/opa")).toBe(`v${AKS_POLICY_ADDON.opa}`);
});

// Gatekeeper's own go.mod, from the module cache the engine's build filled (offline; the go.sum
// check included). Not the whole `go mod graph`: that needs the go.mod of every module in the graph,
// test-only ones too, which a machine that only built the engine does not have (a cold CI run failed).
it("the OPA is the one that Gatekeeper's own go.mod requires (read from the module cache, offline)", () => {
  const gk = `github.com/open-policy-agent/gatekeeper/v3@v${AKS_POLICY_ADDON.gatekeeper}`;
  const download = JSON.parse(
    execFileSync("go", ["mod", "download", "-json", gk], {
      cwd: join(root, "engine"),
      encoding: "utf8",
      env: { ...process.env, GOFLAGS: "-mod=mod", GOPROXY: "off" },
    }),
  ) as { GoMod?: string; Error?: string };
  expect(download.Error).toBeUndefined();
  const gkMod = readFileSync(download.GoMod ?? "", "utf8");
  expect(gkMod).toMatch(/^module github\.com\/open-policy-agent\/gatekeeper\/v3$/m);
  expect(requiredIn(gkMod, "github.com/open-policy-agent/opa")).toBe(`v${AKS_POLICY_ADDON.opa}`);
});

it("gator for the differential is the same Gatekeeper, checked by its OPA", () => {
  const script = readFileSync(join(root, "scripts", "install-gator.sh"), "utf8");
  expect(script).toContain(`GATOR_VERSION:-v${AKS_POLICY_ADDON.gatekeeper}}`);
  expect(script).toContain(`opa/v${AKS_POLICY_ADDON.opa}`);
});

it("the README says which add-on and Gatekeeper azpol models", () => {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  expect(readme).toContain(`Azure Policy add-on ${AKS_POLICY_ADDON.addon}`);
  expect(readme).toContain(`Gatekeeper ${AKS_POLICY_ADDON.gatekeeper}`);
  expect(readme).not.toMatch(/Gatekeeper 3\.19|OPA v1\.3\.0/);
});
