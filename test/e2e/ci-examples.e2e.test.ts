// The CI recipes in examples/ work as written: each YAML parses, and every azpol command line in
// them runs against a copy of this repository (the deploy lines against the fake ARM, signed in
// the way the pipeline's Azure login leaves things: the Azure CLI), in pipeline order, exit 0.
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeArm } from "../fake-arm/server.js";
import { CLI } from "../support/cli.js";
import { run } from "../support/azure-cli.js";
import { writeFakeAz } from "../support/fake-az.js";

const root = join(import.meta.dirname, "..", "..");
const SUB = "66666666-6666-6666-6666-666666666666";
const arm = new FakeArm({ subscriptions: [SUB], resourceGroups: { [SUB]: ["rg-demo"] } });
const work = mkdtempSync(join(tmpdir(), "azpol-ci-"));
const staging = join(work, "staging");

beforeAll(async () => {
  await arm.start();
  const bin = join(work, "bin");
  mkdirSync(bin);
  mkdirSync(staging);
  writeFileSync(join(bin, "azpol"), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
  writeFakeAz(bin, SUB);
  chmodSync(join(bin, "azpol"), 0o755);
  writeFileSync(join(work, "ca.pem"), arm.cert);
});
afterAll(async () => {
  await arm.stop();
  rmSync(work, { recursive: true, force: true });
});

/** Every script in a workflow: GitHub `run:`, Azure Pipelines `script:` and `inlineScript:`. */
function scripts(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(scripts);
  if (node === null || typeof node !== "object") return [];
  return Object.entries(node).flatMap(([k, v]) => (["run", "script", "inlineScript"].includes(k) && typeof v === "string" ? [v] : scripts(v)));
}

function project(name: string): string {
  const dir = join(work, name);
  cpSync(join(root, "definitions"), join(dir, "definitions"), { recursive: true });
  cpSync(join(root, "constraint-templates"), join(dir, "constraint-templates"), { recursive: true });
  mkdirSync(join(dir, "k8s"));
  writeFileSync(join(dir, "k8s", "web.yaml"), "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: apps}\nspec:\n  template:\n    spec:\n      containers: [{name: web, image: myacr.azurecr.io/web:1.0}]\n");
  return dir;
}

describe.each(["github-actions.yml", "azure-pipelines.yml"])("examples/%s", (file) => {
  const workflow = parse(readFileSync(join(root, "examples", file), "utf8")) as Record<string, unknown>;
  const lines = scripts(workflow)
    .flatMap((s) => s.split("\n"))
    .map((l) => l.trim())
    .filter((l) => l.startsWith("azpol "));

  it("parses, and has the pull-request checks and the deploy on main", () => {
    expect(file === "github-actions.yml" ? Object.keys(workflow.jobs as object) : (workflow.stages as { stage: string }[]).map((s) => s.stage)).toEqual(file === "github-actions.yml" ? ["check", "plan", "deploy"] : ["check", "deploy"]);
    expect(lines.some((l) => l.startsWith("azpol validate"))).toBe(true);
    expect(lines.filter((l) => l.startsWith("azpol test")).map((l) => /--format (\w+)/.exec(l)?.[1]).sort()).toEqual(["junit", "sarif"]);
    expect(lines.some((l) => l.includes("--dry-run") && l.includes("--format markdown"))).toBe(true);
    expect(lines.some((l) => l.startsWith("azpol deploy") && l.includes("--yes"))).toBe(true);
  });

  it("every azpol line runs against this repository, the deploys against the fake ARM", async () => {
    const dir = project(file);
    arm.reset();
    const env = {
      ...process.env,
      PATH: `${join(work, "bin")}:${process.env.PATH ?? ""}`,
      AZPOL_SCOPE: "rg-demo",
      AZPOL_OWNER: "ci",
      AZURE_SUBSCRIPTION_ID: SUB,
      AZURE_TOKEN_CREDENTIALS: "AzureCliCredential",
      AZPOL_ARM_ENDPOINT: arm.endpoint,
      AZPOL_ARM_CA_FILE: join(work, "ca.pem"),
    };
    for (const line of lines) {
      // Azure Pipelines expands $(Build.ArtifactStagingDirectory) before the script runs
      // `|| rc=$?` keeps the step going to write every report: each azpol line must still exit 0 on its own
      const command = line.replace(/\$\(Build\.ArtifactStagingDirectory\)/g, staging).replace(/ \|\| rc=\$\?$/, "");
      const result = await run("sh", ["-c", command], { cwd: dir, env });
      expect({ command, status: result.status, stderr: result.status === 0 ? "" : result.stderr }).toEqual({ command, status: 0, stderr: "" });
    }
    expect(arm.all("policyAssignments").map((a) => (a.properties.metadata as Record<string, unknown>).azpolOwner)).toEqual(["ci", "ci"]);
    const out = (name: string) => [join(dir, name), join(staging, name)].find((p) => existsSync(p)) ?? "";
    expect(readFileSync(out("azpol-suites.xml"), "utf8")).toMatch(/^<\?xml/);
    expect((JSON.parse(readFileSync(out("azpol.sarif"), "utf8")) as { version: string }).version).toBe("2.1.0");
    expect(readFileSync(out("plan.md"), "utf8")).toContain("### azpol plan for");
  });

  it("the test step fails when its first azpol test fails, and still writes the SARIF (GitHub runs bash -e, Azure Pipelines plain bash)", async () => {
    const step = scripts(workflow).find((s) => s.includes("azpol test constraint-templates"));
    expect(step).toBeDefined();
    const dir = project(`${file}-failing`);
    // no suite to run: azpol test constraint-templates exits 2 (nothing to test)
    for (const t of ["disallowed-registries", "allowed-registries"]) if (existsSync(join(dir, "constraint-templates", t, "suite.yaml"))) unlinkSync(join(dir, "constraint-templates", t, "suite.yaml"));
    const script = (step ?? "").replace(/\$\(Build\.ArtifactStagingDirectory\)/g, dir);
    const env = { ...process.env, PATH: `${join(work, "bin")}:${process.env.PATH ?? ""}` };
    for (const shell of file === "github-actions.yml" ? [["bash", "-e", "-c"]] : [["bash", "-c"]]) {
      rmSync(join(dir, "azpol.sarif"), { force: true });
      const result = await run(shell[0] ?? "bash", [...shell.slice(1), script], { cwd: dir, env });
      expect(result.status).not.toBe(0);
      expect((JSON.parse(readFileSync(join(dir, "azpol.sarif"), "utf8")) as { version: string }).version).toBe("2.1.0");
    }
  });
});
