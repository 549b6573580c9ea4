// azpol publish against Azurite (real Azure Storage API on 127.0.0.1, HTTPS): content-addressed
// uploads that are never overwritten, the anonymous read the add-on needs, --write pointing the
// sources at the published URL (comments kept), and the online check catching a blob that was
// changed behind azpol's back. The account key is never printed.
import { spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gatekeeperYamlDigest } from "../../src/core/gatekeeper-yaml-digest.js";
import { azpolAsync, type CliRun } from "../support/cli.js";
import { DEV_KEY, startAzurite, type Azurite } from "../support/azurite.js";
import { matchesCliSchema } from "../support/cli-schemas.js";

const root = join(import.meta.dirname, "..", "..");
const work = mkdtempSync(join(tmpdir(), "azpol-publish-"));
const project = join(work, "project");
let azurite: Azurite;
let env: NodeJS.ProcessEnv;
const templateText = readFileSync(join(root, "constraint-templates", "disallowed-registries", "template.yaml"), "utf8");
const digest = gatekeeperYamlDigest(templateText);

beforeAll(async () => {
  azurite = await startAzurite();
  env = { AZPOL_STORAGE_CONNECTION_STRING: azurite.connectionString, NODE_EXTRA_CA_CERTS: azurite.caFile, AZPOL_TEMPLATE_FETCH_TIMEOUT_MS: "5000" };
  mkdirSync(join(project, "definitions"), { recursive: true });
  cpSync(join(root, "definitions", "k8s-gcr-deprecation"), join(project, "definitions", "k8s-gcr-deprecation"), { recursive: true });
  rmSync(join(project, "definitions", "k8s-gcr-deprecation", "golden"), { recursive: true, force: true });
  cpSync(join(root, "constraint-templates"), join(project, "constraint-templates"), { recursive: true });
  writeFileSync(join(project, "definitions", "k8s-gcr-deprecation", "definition.yaml"), readFileSync(join(project, "definitions", "k8s-gcr-deprecation", "definition.yaml"), "utf8").replace("template:", "# where the template comes from\ntemplate:"));
}, 60_000);
afterAll(async () => {
  await azurite.stop();
  rmSync(work, { recursive: true, force: true });
});

const publish = (...args: string[]) => azpolAsync(["publish", "--json", ...args], { cwd: project, env });
const rows = (run: CliRun) => {
  const doc = JSON.parse(run.stdout) as { published: { template: string; sha256: string; url: string; status: string; anonymousReadProblem?: string }[] };
  matchesCliSchema("publish", doc);
  return doc.published;
};
const noSecrets = (run: CliRun) => expect(run.stdout + run.stderr).not.toContain(DEV_KEY);

/**
 * Storage calls the test makes itself (as an admin, or as the add-on), in a child Node that trusts
 * Azurite's certificate (NODE_EXTRA_CA_CERTS is read at start-up only). `code` sees `service`
 * (a BlobServiceClient with the dev account) and prints its result.
 */
async function storage(code: string): Promise<string> {
  const script = `import { BlobServiceClient } from "@azure/storage-blob";\nconst service = BlobServiceClient.fromConnectionString(process.env.AZPOL_STORAGE_CONNECTION_STRING);\n${code}`;
  const run = await runNode(["--input-type=module", "-e", script]);
  if (run.status !== 0) throw new Error(run.stderr);
  return run.stdout;
}

function runNode(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

describe("azpol publish (Azurite)", () => {
  it("uploads to <template>/<sha256>.yaml, and the add-on can fetch exactly those bytes anonymously", async () => {
    const run = await publish("--container", "templates", "--create-container");
    noSecrets(run);
    expect(run.status, run.stderr).toBe(0);
    const [row] = rows(run);
    expect(row).toMatchObject({ template: "k8sazpoldisallowedregistries", sha256: digest, status: "created", url: `${azurite.blobEndpoint}/templates/k8sazpoldisallowedregistries/${digest}.yaml` });
    expect(row?.anonymousReadProblem).toBeUndefined();
    // anonymously, as the add-on fetches it
    expect(await storage(`process.stdout.write(await (await fetch(${JSON.stringify(row?.url)})).text());`)).toBe(templateText);
  });

  it("never overwrites: a second run finds the blob and checks its bytes", async () => {
    const run = await publish("--container", "templates");
    expect(rows(run)[0]?.status).toBe("exists");
    expect(run.status).toBe(0);
  });

  it("--write points the source at the URL and records the sha256, keeping its comments; validate --online passes", async () => {
    const file = join(project, "definitions", "k8s-gcr-deprecation", "definition.yaml");
    const run = await publish("--container", "templates", "--write");
    expect(run.status).toBe(0);
    const text = readFileSync(file, "utf8");
    expect(text).toContain("# where the template comes from");
    expect(text).toMatch(/source: PublicURL\n\s+url: https:\/\/127\.0\.0\.1:\d+\/devstoreaccount1\/templates\/k8sazpoldisallowedregistries\/[0-9a-f]{64}\.yaml\n\s+sha256: [0-9a-f]{64}/);
    const validate = await azpolAsync(["validate", "--online", "--json"], { cwd: project, env });
    expect(JSON.parse(validate.stdout)).toMatchObject({ ok: true, diagnostics: [] });
  });

  it("a container without anonymous read is reported: the add-on could not fetch the template", async () => {
    await storage(`await service.getContainerClient("private").create();`);
    const run = await publish("--container", "private");
    expect(run.status).toBe(1);
    expect(rows(run)[0]?.anonymousReadProblem).toMatch(/anonymous read for blobs/);
  });

  it("a blob changed behind azpol's back fails publish and validate --online", async () => {
    const changed = `${templateText}# changed\n`;
    await storage(`const body = ${JSON.stringify(changed)}; await service.getContainerClient("templates").getBlockBlobClient("k8sazpoldisallowedregistries/${digest}.yaml").upload(body, Buffer.byteLength(body));`);
    const again = await publish("--container", "templates");
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/already exists with other bytes/);
    noSecrets(again);
    const validate = await azpolAsync(["validate", "--online", "--json"], { cwd: project, env });
    expect(validate.status).toBe(1);
    expect(validate.stdout).toMatch(/AZP3012/);
  });
});
