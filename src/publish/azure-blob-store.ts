// BlobStore on Azure Storage (@azure/storage-blob): DefaultAzureCredential (az login, managed
// identity, ...), a SAS the user gives in AZPOL_STORAGE_SAS, or a connection string in
// AZPOL_STORAGE_CONNECTION_STRING (Azurite's dev account in the tests). The SAS and the key never
// reach output: URLs are returned without their query and errors are redacted.
import { DefaultAzureCredential } from "@azure/identity";
import { BlobServiceClient, RestError, type ContainerClient } from "@azure/storage-blob";
import { AzpolError, ExitCode, UsageError } from "../errors.js";
import { redactUrl } from "../integrity/fetch-hosted-template.js";
import { NetworkTimeout, withinPolicy, type NetworkPolicy } from "../net/network-policy.js";
import type { BlobStore } from "./blob-store.js";

export interface AzureBlobOptions {
  accountUrl?: string | undefined;
  container: string;
  createContainer: boolean;
  network: NetworkPolicy;
}

// https://learn.microsoft.com/rest/api/storageservices/naming-and-referencing-containers--blobs--and-metadata
const CONTAINER_NAME = /^(?=.{3,63}$)[a-z0-9](?:[a-z0-9]|-(?!-))*[a-z0-9]$/;

/** The account URL and container, checked before any client is made: bad input is a usage error, not a crash. */
export function storageTargetProblem(accountUrl: string | undefined, container: string): string | undefined {
  if (!CONTAINER_NAME.test(container)) return `--container ${JSON.stringify(container)} is not a container name: 3-63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit`;
  if (process.env.AZPOL_STORAGE_CONNECTION_STRING) return undefined;
  if (!accountUrl) return "--account-url is required (https://<account>.blob.core.windows.net), unless AZPOL_STORAGE_CONNECTION_STRING is set";
  let url: URL;
  try {
    url = new URL(accountUrl);
  } catch {
    return `--account-url ${JSON.stringify(redactUrl(accountUrl))} is not a URL; use https://<account>.blob.core.windows.net`;
  }
  if (url.protocol !== "https:") return `--account-url must be https, got ${JSON.stringify(redactUrl(accountUrl))}`;
  if (url.hostname === "") return `--account-url ${JSON.stringify(redactUrl(accountUrl))} names no host; use https://<account>.blob.core.windows.net`;
  if (url.username !== "" || url.password !== "") return "--account-url carries a user name or password; give a SAS in AZPOL_STORAGE_SAS or use az login";
  // a SAS pasted into the URL was ignored in silence (the client authenticates with the credential
  // chain), and the run then failed with a credential error that did not say why
  if (url.search !== "" || url.hash !== "") return `--account-url ${JSON.stringify(redactUrl(accountUrl))} carries a query string or fragment; give only https://<account>.blob.core.windows.net, and a SAS in AZPOL_STORAGE_SAS (or use az login)`;
  return undefined;
}

function serviceClient(accountUrl: string | undefined, network: NetworkPolicy): BlobServiceClient {
  // the network policy: each try bounded by the request timeout, retry waits by it too
  const pipeline = { retryOptions: { maxTries: 3, tryTimeoutInMs: network.requestTimeoutMs, maxRetryDelayInMs: Math.min(network.requestTimeoutMs, 120_000) } };
  const connection = process.env.AZPOL_STORAGE_CONNECTION_STRING;
  if (connection) {
    try {
      return BlobServiceClient.fromConnectionString(connection, pipeline);
    } catch {
      // the SDK's message quotes the string, key and all: say what is wrong without it
      throw new UsageError("AZPOL_STORAGE_CONNECTION_STRING is not a usable connection string (it needs AccountName and AccountKey with BlobEndpoint or DefaultEndpointsProtocol, or BlobEndpoint with SharedAccessSignature); its value is not shown");
    }
  }
  const problem = storageTargetProblem(accountUrl, "x".repeat(3));
  if (problem || !accountUrl) throw new UsageError(problem ?? "--account-url is required");
  const sas = process.env.AZPOL_STORAGE_SAS?.replace(/^\?/, "");
  if (sas) return new BlobServiceClient(`${accountUrl.replace(/\/+$/, "")}?${sas}`, undefined, pipeline);
  return new BlobServiceClient(accountUrl, new DefaultAzureCredential(), pipeline);
}

function storageError(e: unknown, what: string): AzpolError {
  if (e instanceof NetworkTimeout) return new AzpolError("StorageTimeout", `${what} failed: ${e.message}`, ExitCode.Azure);
  if (e instanceof Error && (e.name === "AbortError" || /timeout|timed out/i.test(e.message))) return new AzpolError("StorageTimeout", `${what} failed: the storage endpoint did not answer within the request timeout (--request-timeout)`, ExitCode.Azure);
  const status = e instanceof RestError ? ` (HTTP ${e.statusCode ?? "?"}${e.code ? ` ${e.code}` : ""})` : "";
  const message = e instanceof Error ? e.message.split("\n")[0] ?? "" : String(e);
  return new AzpolError("StorageError", `${what} failed${status}: ${redactUrl(message)}`, ExitCode.Azure);
}

export async function openAzureBlobStore(options: AzureBlobOptions): Promise<BlobStore> {
  const problem = storageTargetProblem(options.accountUrl, options.container);
  if (problem) throw new UsageError(problem);
  const container: ContainerClient = serviceClient(options.accountUrl, options.network).getContainerClient(options.container);
  // each call also races the request timeout and the deadline, whatever the SDK's retries do
  const bounded = <T>(what: string, work: (abortSignal: AbortSignal) => Promise<T>) => withinPolicy(options.network, what, work);
  try {
    if (!(await bounded("checking the container", (abortSignal) => container.exists({ abortSignal })))) {
      if (!options.createContainer) throw new AzpolError("ContainerNotFound", `container ${JSON.stringify(options.container)} does not exist; create it with anonymous read for blobs (az storage container create --public-access blob) or pass --create-container`);
      await bounded("creating the container", (abortSignal) => container.create({ access: "blob", abortSignal }));
    }
  } catch (e) {
    throw e instanceof AzpolError ? e : storageError(e, `opening container ${options.container}`);
  }
  return {
    async read(name) {
      const blob = container.getBlockBlobClient(name);
      try {
        return await bounded(`reading ${name}`, (abortSignal) => blob.downloadToBuffer(0, undefined, { abortSignal }));
      } catch (e) {
        if (e instanceof RestError && e.statusCode === 404) return undefined;
        throw storageError(e, `reading ${name}`);
      }
    },
    async createIfAbsent(name, bytes, contentType) {
      const blob = container.getBlockBlobClient(name);
      try {
        await bounded(`uploading ${name}`, (abortSignal) => blob.uploadData(bytes, { conditions: { ifNoneMatch: "*" }, blobHTTPHeaders: { blobContentType: contentType }, abortSignal }));
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
