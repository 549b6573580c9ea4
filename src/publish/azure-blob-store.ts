// BlobStore on Azure Storage (@azure/storage-blob): DefaultAzureCredential (az login, managed
// identity, ...), a SAS the user gives in AZPOL_STORAGE_SAS, or a connection string in
// AZPOL_STORAGE_CONNECTION_STRING (Azurite's dev account in the tests). The SAS and the key never
// reach output: URLs are returned without their query and errors are redacted.
import { DefaultAzureCredential } from "@azure/identity";
import { BlobServiceClient, RestError, type ContainerClient } from "@azure/storage-blob";
import { AzpolError, ExitCode, UsageError } from "../errors.js";
import { redactUrl } from "../integrity/fetch-template.js";
import type { BlobStore } from "./blob-store.js";

export interface AzureBlobOptions {
  accountUrl?: string | undefined;
  container: string;
  createContainer: boolean;
}

function serviceClient(accountUrl: string | undefined): BlobServiceClient {
  const connection = process.env.AZPOL_STORAGE_CONNECTION_STRING;
  if (connection) return BlobServiceClient.fromConnectionString(connection);
  if (!accountUrl) throw new UsageError("--account-url is required (https://<account>.blob.core.windows.net), unless AZPOL_STORAGE_CONNECTION_STRING is set");
  if (!accountUrl.startsWith("https://")) throw new UsageError(`--account-url must be https, got ${JSON.stringify(redactUrl(accountUrl))}`);
  const sas = process.env.AZPOL_STORAGE_SAS?.replace(/^\?/, "");
  if (sas) return new BlobServiceClient(`${accountUrl.replace(/\/+$/, "")}?${sas}`);
  return new BlobServiceClient(accountUrl, new DefaultAzureCredential());
}

function storageError(e: unknown, what: string): AzpolError {
  const status = e instanceof RestError ? ` (HTTP ${e.statusCode ?? "?"}${e.code ? ` ${e.code}` : ""})` : "";
  const message = e instanceof Error ? e.message.split("\n")[0] ?? "" : String(e);
  return new AzpolError("StorageError", `${what} failed${status}: ${redactUrl(message)}`, ExitCode.Azure);
}

export async function openAzureBlobStore(options: AzureBlobOptions): Promise<BlobStore> {
  const container: ContainerClient = serviceClient(options.accountUrl).getContainerClient(options.container);
  try {
    if (!(await container.exists())) {
      if (!options.createContainer) throw new AzpolError("ContainerNotFound", `container ${JSON.stringify(options.container)} does not exist; create it with anonymous read for blobs (az storage container create --public-access blob) or pass --create-container`);
      await container.create({ access: "blob" });
    }
  } catch (e) {
    throw e instanceof AzpolError ? e : storageError(e, `opening container ${options.container}`);
  }
  return {
    async read(name) {
      const blob = container.getBlockBlobClient(name);
      try {
        return await blob.downloadToBuffer();
      } catch (e) {
        if (e instanceof RestError && e.statusCode === 404) return undefined;
        throw storageError(e, `reading ${name}`);
      }
    },
    async createIfAbsent(name, bytes, contentType) {
      const blob = container.getBlockBlobClient(name);
      try {
        await blob.uploadData(bytes, { conditions: { ifNoneMatch: "*" }, blobHTTPHeaders: { blobContentType: contentType } });
        return "created";
      } catch (e) {
        if (e instanceof RestError && (e.statusCode === 409 || e.statusCode === 412)) return "exists";
        throw storageError(e, `uploading ${name}`);
      }
    },
    urlOf(name) {
      const url = new URL(container.getBlockBlobClient(name).url);
      url.search = "";
      return url.toString();
    },
  };
}
