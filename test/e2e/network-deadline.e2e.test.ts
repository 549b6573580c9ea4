// Every command that goes over the network takes --deadline through the one network policy
// (src/net/network-policy.ts, cli/network-options.ts): validate --online, deploy's PublicURL check,
// new --from-template <url>, import (a PublicURL template, a definition id, an assignment id), status. Against an
// HTTPS server and a fake ARM (the real Azure SDK) that accept the request and never answer, with
// --request-timeout 600, each run can only end by its --deadline of 1 s: asserted by outcome (the
// exit code and a message naming the deadline), never by elapsed time. deploy's ARM side, impact,
// publish and mirror are proved in their own files (deploy-pipeline, impact, publish-bounds, mirror-apply).
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { makeCertificate } from "../fake-arm/certificate.js";
import { FakeArm } from "../fake-arm/server.js";
import { writeFakeAz } from "../support/fake-az.js";
import { azpolAsync } from "../support/cli.js";
import { gatekeeperYamlDigest } from "../../src/core/gatekeeper-yaml-digest.js";

const root = join(import.meta.dirname, "..", "..");
const SUB = "88888888-8888-8888-8888-888888888888";
const work = mkdtempSync(join(tmpdir(), "azpol-deadline-"));
const project = join(work, "project");
const { cert, key } = makeCertificate();
let server: Server;
let base = "";
const arm = new FakeArm({ subscriptions: [SUB], resourceGroups: { [SUB]: ["rg-demo"] } });

beforeAll(async () => {
  // accepts every request and never answers
  server = createServer({ cert, key }, () => undefined);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await arm.start();
  writeFileSync(join(work, "ca.pem"), cert + arm.cert);
  writeFakeAz(join(work, "bin"), SUB);
  mkdirSync(project);
  cpSync(join(root, "constraint-templates"), join(project, "constraint-templates"), { recursive: true });
});
afterAll(async () => {
  server.closeAllConnections();
  server.close();
  await arm.stop();
  rmSync(work, { recursive: true, force: true });
});
beforeEach(() => arm.reset());

const env = () => ({ NODE_EXTRA_CA_CERTS: join(work, "ca.pem"), PATH: `${join(work, "bin")}:${process.env.PATH ?? ""}`, AZURE_TOKEN_CREDENTIALS: "AzureCliCredential", AZURE_SUBSCRIPTION_ID: SUB, AZPOL_ARM_ENDPOINT: arm.endpoint, AZPOL_ARM_CA_FILE: join(work, "ca.pem"), AZPOL_TEMPLATE_FETCH_TIMEOUT_MS: "600000" });
const azpol = (...args: string[]) => azpolAsync([...args, "--deadline", "1", "--request-timeout", "600"], { cwd: project, env: env() });
const hangArm = (path: RegExp) => arm.fault({ method: "GET", path, status: 0, code: "", kind: "hang", times: 10 });

describe("--deadline on every networked command", () => {
  it("validate --online and deploy: a template that never arrives is an error naming the deadline (exit 1, valid JSON)", async () => {
    mkdirSync(join(project, "definitions", "hosted"), { recursive: true });
    const digest = gatekeeperYamlDigest(readFileSync(join(root, "constraint-templates", "allowed-registries", "template.yaml"), "utf8"));
    writeFileSync(
      join(project, "definitions", "hosted", "definition.yaml"),
      `name: hosted\ndisplayName: Hosted\ndescription: d\ntemplate:\n  path: ../../constraint-templates/allowed-registries/template.yaml\n  source: PublicURL\n  url: ${base}/t.yaml?sv=2024-01-01&sig=SECRETSIGNATURE\n  sha256: ${digest}\neffect: Deny\nparameters:\n  allowedRegistries:\n    type: Array\n    default: [contoso.azurecr.io]\n    templateParameter: registries\n`,
    );
    const run = await azpol("validate", "--online", "--json");
    expect(run.status, run.stderr).toBe(1);
    const doc = JSON.parse(run.stdout) as { diagnostics: { code: string; message: string }[] };
    expect(doc.diagnostics.find((d) => d.code === "AZP3012")?.message).toMatch(/did not answer within 1 s \(--deadline 1 s\)/);
    expect(run.stdout + run.stderr).not.toContain("SECRETSIGNATURE");
    // deploy checks the same URL before it plans: bounded by its --deadline too, nothing read from ARM
    const deploy = await azpol("deploy", "--scope", "rg-demo", "--dry-run", "--json");
    expect(deploy.status, deploy.stderr).toBe(1);
    expect(deploy.stdout).toMatch(/did not answer within 1 s \(--deadline 1 s\)/);
    expect(arm.requests).toEqual([]);
    rmSync(join(project, "definitions"), { recursive: true });
  });

  it("new --from-template <url>: the download ends at the deadline", async () => {
    const run = await azpol("new", "--from-template", `${base}/template.yaml`);
    expect(run.status, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/did not answer within 1 s \(--deadline 1 s\)/);
  });

  it("import of a PublicURL definition: the template download ends at the deadline (exit 3, as every network failure)", async () => {
    writeFileSync(join(project, "in.json"), JSON.stringify({ name: "hosted", properties: { mode: "Microsoft.Kubernetes.Data", displayName: "h", policyRule: { if: { field: "type", in: ["Microsoft.ContainerService/managedClusters"] }, then: { effect: "[parameters('effect')]", details: { templateInfo: { sourceType: "PublicURL", url: `${base}/t.yaml` } } } }, parameters: { effect: { type: "String", defaultValue: "Deny" } } } }));
    const run = await azpol("import", "in.json");
    expect(run.status, run.stderr).toBe(3);
    expect(run.stderr).toMatch(/did not answer within 1 s \(--deadline 1 s\)/);
  });

  it("import by definition id and by assignment id: an ARM read that never answers ends at the deadline (exit 3)", async () => {
    hangArm(/policyDefinitions\/hung$/);
    const definition = await azpol("import", `/subscriptions/${SUB}/providers/Microsoft.Authorization/policyDefinitions/hung`);
    expect(definition.status, definition.stderr).toBe(3);
    // the whole read's race or the request's own abort, whichever fires first: both name the deadline
    expect(definition.stderr).toMatch(/azpol: reading (definition )?\S*hung: --deadline 1 s passed/);
    hangArm(/policyAssignments\/hung$/);
    const assignment = await azpol("import", `/subscriptions/${SUB}/resourceGroups/rg-demo/providers/Microsoft.Authorization/policyAssignments/hung`, "--json");
    expect(assignment.status, assignment.stderr).toBe(3);
    expect((JSON.parse(assignment.stdout) as { error: { message: string } }).error.message).toMatch(/--deadline 1 s passed/);
  });

  it("status: a list that never answers ends at the deadline (exit 3, valid JSON)", async () => {
    hangArm(/resourceGroups\/rg-demo\/providers\/Microsoft\.Authorization\/policyAssignments$/);
    const run = await azpol("status", "--scope", "rg-demo", "--json", "--max-retries", "0");
    expect(run.status, run.stderr).toBe(3);
    expect((JSON.parse(run.stdout) as { error: { message: string } }).error.message).toMatch(/--deadline (of )?1 s passed/);
  });

  it("a --deadline that is not a number of seconds is a usage error everywhere", async () => {
    for (const args of [["validate", "--online"], ["new", "--from-template", `${base}/t.yaml`], ["import", "in.json"], ["status", "--scope", "rg-demo"]]) {
      const run = await azpolAsync([...args, "--deadline", "soon"], { cwd: project, env: env() });
      expect(run.status, args.join(" ")).toBe(2);
      expect(run.stderr).toMatch(/--deadline must be a number of seconds/);
    }
  });
});
