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
const required = (module: string): string | undefined => new RegExp(`^\\s*${module.replace(/[.]/g, "\\.")} (v\\S+)`, "m").exec(goMod)?.[1];

it("the engine links the constant's Gatekeeper and OPA", () => {
  expect(required("github.com/open-policy-agent/gatekeeper/v3")).toBe(`v${AKS_POLICY_ADDON.gatekeeper}`);
  expect(required("github.com/open-policy-agent/opa")).toBe(`v${AKS_POLICY_ADDON.opa}`);
});

it("the OPA is the one that Gatekeeper's own go.mod requires (read from the module graph, offline)", () => {
  const graph = execFileSync("go", ["mod", "graph"], {
    cwd: join(root, "engine"),
    encoding: "utf8",
    env: { ...process.env, GOFLAGS: "-mod=mod", GOPROXY: "off" },
    maxBuffer: 64 * 1024 * 1024,
  });
  const gk = `github.com/open-policy-agent/gatekeeper/v3@v${AKS_POLICY_ADDON.gatekeeper}`;
  const opa = graph
    .split("\n")
    .filter((line) => line.startsWith(`${gk} github.com/open-policy-agent/opa@`))
    .map((line) => line.split("@").pop());
  expect(opa).toEqual([`v${AKS_POLICY_ADDON.opa}`]);
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
