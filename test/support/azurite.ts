// Azurite (the npm azurite package, blob service only) on 127.0.0.1 over HTTPS with a throwaway
// certificate, telemetry off, state in a temp folder: the real Azure Storage API, locally.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeCertificate } from "../fake-arm/certificate.js";

// the well-known development account (Azure/Azurite README, "Default Storage Account")
export const DEV_ACCOUNT = "devstoreaccount1";
export const DEV_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

export interface Azurite {
  blobEndpoint: string;
  connectionString: string;
  caFile: string;
  stop(): Promise<void>;
}

export async function startAzurite(): Promise<Azurite> {
  const dir = mkdtempSync(join(tmpdir(), "azpol-azurite-"));
  const { cert, key } = makeCertificate();
  writeFileSync(join(dir, "cert.pem"), cert);
  writeFileSync(join(dir, "key.pem"), key);
  const bin = join(import.meta.dirname, "..", "..", "node_modules", ".bin", "azurite-blob");
  const child: ChildProcess = spawn(bin, ["--blobHost", "127.0.0.1", "--blobPort", "0", "--location", join(dir, "data"), "--cert", join(dir, "cert.pem"), "--key", join(dir, "key.pem"), "--disableTelemetry", "--skipApiVersionCheck", "--loose"], { stdio: ["ignore", "pipe", "pipe"] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /listens on https:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.on("exit", (code) => reject(new Error(`azurite exited (${code}): ${out}`)));
  });
  const blobEndpoint = `https://127.0.0.1:${port}/${DEV_ACCOUNT}`;
  return {
    blobEndpoint,
    connectionString: `DefaultEndpointsProtocol=https;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};BlobEndpoint=${blobEndpoint};`,
    caFile: join(dir, "cert.pem"),
    async stop() {
      child.kill();
      await new Promise((r) => setTimeout(r, 100));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
