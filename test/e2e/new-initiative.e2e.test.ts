// azpol new --initiative: scaffolds an initiative.yaml for existing definitions that validates and
// builds as written (differing parameters split per member), and refuses what it cannot do.
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { azpolAsync } from "../support/cli.js";
import { matchesCliSchema } from "../support/cli-schemas.js";

const root = join(import.meta.dirname, "..", "..");
const project = mkdtempSync(join(tmpdir(), "azpol-new-initiative-"));
beforeAll(() => {
  for (const d of ["definitions", "constraint-templates"]) cpSync(join(root, d), join(project, d), { recursive: true });
});
afterAll(() => rmSync(project, { recursive: true, force: true }));
const azpol = (...args: string[]) => azpolAsync(args, { cwd: project });

describe("azpol new --initiative", () => {
  it("writes an initiative that validates and builds, one parameter per member where they differ", async () => {
    const made = await azpol("new", "--initiative", "images", "--members", "allowed-registries,k8s-gcr-deprecation", "--json");
    expect(made.status, made.stderr).toBe(0);
    expect(matchesCliSchema("new", JSON.parse(made.stdout))).toBe(true);
    expect(JSON.parse(made.stdout)).toEqual({ initiative: join("initiatives", "images", "initiative.yaml"), members: ["allowed-registries", "k8s-gcr-deprecation"], perMember: ["allowed-registries.message → allowedRegistriesMessage", "k8s-gcr-deprecation.message → k8sGcrDeprecationMessage"] });
    const source = parse(readFileSync(join(project, "initiatives", "images", "initiative.yaml"), "utf8")) as { definitions: { referenceId: string }[] };
    expect(source.definitions.map((d) => d.referenceId)).toEqual(["allowedRegistries", "k8sGcrDeprecation"]);
    const validate = await azpol("validate");
    expect(validate.status, validate.stderr).toBe(0);
    expect(validate.stderr).toMatch(/3 sources checked: 0 errors, 0 warnings/);
    const build = await azpol("build", "--format", "arm");
    expect(build.status, build.stderr).toBe(0);
    expect(build.stderr).toContain("built 2 definitions and 1 initiative");
  });

  it("refuses an unknown member, a missing --members, and overwriting without --force", async () => {
    const unknown = await azpol("new", "--initiative", "x", "--members", "nope");
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/no definition named 'nope' in definitions; there are: allowed-registries, k8s-gcr-deprecation/);
    expect((await azpol("new", "--initiative", "x")).stderr).toMatch(/--initiative needs --members/);
    const again = await azpol("new", "--initiative", "images", "--members", "allowed-registries");
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/already exists; pass --force/);
  });
});
