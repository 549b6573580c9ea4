// The real Azure CLI (azure-cli from PyPI in a cached venv: npm run setup:az), pointed at the fake
// ARM: cloud metadata from ARM_CLOUD_METADATA_URL, tokens from the fake's managed-identity
// endpoint (App Service style, IDENTITY_ENDPOINT + IDENTITY_HEADER), the fake's self-signed CA,
// no telemetry, and a dead proxy for anything that is not loopback, so nothing leaves the machine.
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { IDENTITY_HEADER } from "../fake-arm/client-endpoints.js";

export const AZURE_CLI_VERSION = "2.91.0";

export function findAzureCli(): string | undefined {
  const az = join(process.env.AZPOL_CI_CACHE ?? join(homedir(), ".cache", "azpol-ci"), `azure-cli-${AZURE_CLI_VERSION}`, "bin", "az");
  if (existsSync(az)) return az;
  if (process.env.CI) throw new Error("azure-cli must be installed in CI: run npm run setup:az");
  return undefined;
}

export function azureCliEnv(options: { endpoint: string; caFile: string; configDir: string; az: string }): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(AZURE_|AZPOL_|ARM_|IDENTITY_|MSI_|REQUESTS_CA|SSL_CERT|HTTPS?_PROXY|NO_PROXY)/i.test(k)));
  return {
    ...clean,
    PATH: `${join(options.az, "..")}:${process.env.PATH ?? ""}`,
    AZURE_CONFIG_DIR: options.configDir,
    ARM_CLOUD_METADATA_URL: `${options.endpoint}/metadata/endpoints?api-version=2019-05-01`, // the list of clouds azure-cli maps (client-endpoints.ts)
    IDENTITY_ENDPOINT: `${options.endpoint}/msi/token`,
    IDENTITY_HEADER,
    REQUESTS_CA_BUNDLE: options.caFile,
    SSL_CERT_FILE: options.caFile,
    AZURE_CORE_COLLECT_TELEMETRY: "false",
    AZURE_CORE_SURVEY_MESSAGE: "false",
    AZURE_CORE_NO_COLOR: "true",
    HTTPS_PROXY: "http://127.0.0.1:9",
    HTTP_PROXY: "http://127.0.0.1:9",
    NO_PROXY: "127.0.0.1,localhost",
  };
}

/** Runs a command asynchronously (the fake ARM runs in this process, so spawnSync would block it). */
export { runAsync as run } from "./cli.js";
