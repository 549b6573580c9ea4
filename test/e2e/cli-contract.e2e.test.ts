// What a first user meets at the CLI's edges: notes instead of silence (validate's reach probe),
// counts that add up, one output per flag set, next steps that fit where the user stands.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { matchesCliSchema } from "../support/cli-schemas.js";
import { azpol } from "../support/cli.js";

const root = join(import.meta.dirname, "..", "..");
const scratch = mkdtempSync(join(tmpdir(), "azpol-cli-contract-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function project(name: string): string {
  const dir = join(scratch, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

// the classic gatekeeper-library k8sallowedrepos: `repos` has no default (as always with --from-template)
const classic = join(root, "test", "fixtures", "templates", "classic-allowedrepos", "template.yaml");
const fromTemplate = project("from-template");
expect(azpol(["new", "--from-template", classic], { cwd: fromTemplate }).status).toBe(0);

describe("validate says when it did not probe a definition's reach (AZP3016)", () => {
  it("names the definition, the parameter and the --param that would probe it, in text", () => {
    const run = azpol(["validate"], { cwd: fromTemplate });
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/note: reach of definition k8sallowedrepos not probed: parameter "repos" has no default and no --param.*pass --param repos=/);
    expect(run.stderr).toMatch(/1 source checked: 0 errors, 0 warnings; reach not probed for 1 definition \(see note\)/);
  });

  it("carries it in --json (notProbed) and in SARIF (a tool notification)", () => {
    const run = azpol(["validate", "--json"], { cwd: fromTemplate });
    expect(run.status).toBe(0);
    const doc = JSON.parse(run.stdout) as { notProbed: { definition: string; parameters: string[]; hint: string }[] };
    expect(matchesCliSchema("validate", doc)).toBe(true);
    expect(doc.notProbed).toEqual([expect.objectContaining({ definition: "k8sallowedrepos", parameters: ["repos"], hint: expect.stringMatching(/--param repos=/) as unknown })]);
    const sarif = JSON.parse(azpol(["validate", "--format", "sarif"], { cwd: fromTemplate }).stdout) as { runs: { invocations?: { toolExecutionNotifications: { level: string; message: { text: string } }[] }[] }[] };
    expect(sarif.runs[0]?.invocations?.[0]?.toolExecutionNotifications[0]).toMatchObject({ level: "note", message: { text: expect.stringMatching(/k8sallowedrepos not probed.*--param repos=/) as unknown } });
  });

  it("with --param it probes, and the note is gone", () => {
    const run = azpol(["validate", "--json", "--param", "repos=myacr.azurecr.io"], { cwd: fromTemplate });
    const doc = JSON.parse(run.stdout) as { notProbed: unknown[]; diagnostics: { code: string }[] };
    expect(doc.notProbed).toEqual([]);
    expect(doc.diagnostics.some((d) => d.code === "AZP3016")).toBe(true);
  });
});
