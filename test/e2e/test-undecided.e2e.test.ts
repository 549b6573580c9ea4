// `azpol test` on an object Gatekeeper's webhook could not decide within its 3 s: the AKS add-on
// fails open and admits it, so azpol reports an error naming the object ("undecided"), in every
// format, with exit 1; never the deny the template would give with unlimited time, never a pass.
// The project is what a user makes of the classic k8sallowedrepos template (a sprintf per container);
// the object is the attack: k8s.gcr.io/pause first, then 20,000 tiny containers. The same
// Pod with 3 containers is decided (a deny) to show that it is the cost, not the template, that
// decides. Counted, not timed: the verdict is the same on a busy machine.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { XMLParser } from "fast-xml-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { azpol } from "../support/cli.js";
import { matchesCliSchema } from "../support/cli-schemas.js";
import { pod } from "../support/slow-templates.js";

const root = join(import.meta.dirname, "..", "..");
const dir = mkdtempSync(join(tmpdir(), "azpol-undecided-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const repos = ["--param", "repos=myacr.azurecr.io/", "--param", "effect=Deny"];
const UNDECIDED = "the cluster would admit this undecided: the add-on fails open";

beforeAll(() => {
  cpSync(join(root, "test", "fixtures", "templates", "classic-allowedrepos", "template.yaml"), join(dir, "classic.yaml"));
  const made = azpol(["new", "--from-template", "classic.yaml", "-n", "allowed-repos"], { cwd: dir });
  expect(made.status, made.stderr).toBe(0);
  mkdirSync(join(dir, "m"));
  const attack = pod("attack", { containers: [{ name: "first", image: "k8s.gcr.io/pause" }, ...Array.from({ length: 20_000 }, (_, i) => ({ name: `c${i}`, image: "a" }))] });
  const small = pod("small", { containers: [{ name: "first", image: "k8s.gcr.io/pause" }, { name: "c0", image: "a" }, { name: "c1", image: "a" }] });
  writeFileSync(join(dir, "m", "pods.yaml"), `${stringify(small)}---\n${JSON.stringify(attack)}\n`);
});

describe("an object over the webhook's budget", () => {
  it("is undecided in text, with the reason and exit 1; the small Pod is denied", () => {
    const run = azpol(["test", "m", ...repos], { cwd: dir });
    expect(run.status, run.stderr).toBe(1);
    const lines = run.stdout.split("\n");
    const attack = lines.find((l) => l.includes("Pod default/attack"));
    expect(attack).toContain("undecided (over the webhook's time budget)");
    expect(attack).toContain(UNDECIDED);
    expect(attack).toContain("Gatekeeper would need");
    // what the template would say, had it the time, is not shown as a deny
    expect(run.stdout).not.toContain("container <c19999>");
    expect(lines.find((l) => l.includes("Pod default/small"))).not.toContain("undecided");
    expect(run.stdout).toMatch(/deny\s+azurepolicy-allowed-repos: container <first>/);
    expect(run.stdout).toContain("2 objects read: 1 checked against 1 policy (1 with violations, 0 ok), 1 undecided (Gatekeeper's webhook would time out: the cluster admits them)");
  });

  it("is not an error when the assignment only audits: the cluster admits it either way, and Gatekeeper's audit reports it", () => {
    const run = azpol(["test", "m", "--param", "repos=myacr.azurecr.io/", "--param", "effect=Audit", "--json"], { cwd: dir });
    const doc = JSON.parse(run.stdout) as { objects: { object: string; verdict: string }[] };
    expect(doc.objects.find((o) => o.object.endsWith("default/attack"))?.verdict).toBe("violations");
  });

  it("is verdict undecided in --json (schema), an error in SARIF and in JUnit", () => {
    const json = azpol(["test", "m", ...repos, "--json"], { cwd: dir });
    expect(json.status).toBe(1);
    const doc = JSON.parse(json.stdout) as { ok: boolean; objects: { object: string; verdict: string; reason?: string; violations: unknown[] }[] };
    expect(matchesCliSchema("test", doc)).toBe(true);
    expect(doc.ok).toBe(false);
    const attack = doc.objects.find((o) => o.object.endsWith("default/attack"));
    expect(attack).toMatchObject({ verdict: "undecided", violations: [] });
    expect(attack?.reason).toContain(UNDECIDED);
    expect(doc.objects.find((o) => o.object.endsWith("default/small"))?.verdict).toBe("violations");

    const sarif = azpol(["test", "m", ...repos, "--format", "sarif"], { cwd: dir });
    expect(sarif.status).toBe(1);
    const results = (JSON.parse(sarif.stdout) as { runs: { results: { ruleId: string; level: string; message: { text: string } }[] }[] }).runs[0]?.results ?? [];
    const undecided = results.filter((r) => r.ruleId === "azpol/undecided-webhook-timeout");
    expect(undecided).toHaveLength(1);
    expect(undecided[0]?.level).toBe("error");
    expect(undecided[0]?.message.text).toContain(UNDECIDED);
    expect(results.filter((r) => r.message.text.includes("default/attack") && r.ruleId !== "azpol/undecided-webhook-timeout")).toEqual([]);

    const junit = azpol(["test", "m", ...repos, "--format", "junit"], { cwd: dir });
    expect(junit.status).toBe(1);
    const xml = new XMLParser({ ignoreAttributes: false }).parse(junit.stdout) as { testsuites: { "@_errors": string; "@_failures": string } };
    expect(xml.testsuites["@_errors"]).toBe("1");
    expect(xml.testsuites["@_failures"]).toBe("1");
    expect(junit.stdout).toContain(`<error message="undecided (over the webhook&apos;s time budget): ${UNDECIDED}`);
  });
});
