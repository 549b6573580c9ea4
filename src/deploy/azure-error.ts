// What the Azure SDKs throw, as azpol's AzureError: ARM's code, message, status and request id;
// credential failures and timeouts said plainly. Shared by every ARM adapter.
import { isRestError } from "@azure/core-rest-pipeline";
import { AzureError } from "../errors.js";
import { NetworkTimeout } from "../net/network-policy.js";
import { describeCredentialError } from "./credential.js";

export function toAzureError(e: unknown, what: string): Error {
  const auth = describeCredentialError(e);
  if (auth) return new AzureError("AuthenticationFailed", auth, { cause: e });
  if (e instanceof NetworkTimeout) return new AzureError(e.which === "deadline" ? "DeadlineExceeded" : "RequestTimeout", `${what}: ${e.message}`, { cause: e });
  // The request timeout (requestTimeout policy) aborts the request: core-rest-pipeline reports
  // an AbortError, and does not retry it.
  if ((e instanceof Error && e.name === "AbortError") || (isRestError(e) && !e.statusCode && /timeout|timed out/i.test(`${e.code ?? ""} ${e.message}`))) {
    return new AzureError("RequestTimeout", `${what}: ARM did not answer in time (each request is bounded by --request-timeout)`, { cause: e });
  }
  if (isRestError(e)) {
    const requestId = e.response?.headers.get("x-ms-request-id") ?? undefined;
    const code = e.code ?? (e.statusCode ? `HTTP${e.statusCode}` : "RequestFailed");
    // the SDKs' pager (arm-policy's pagingHelpers) throws "Pagination failed with unexpected
    // statusCode 403" for any failed list page and keeps only ARM's code: say what ARM answered
    const paging = /^Pagination failed with unexpected statusCode (\d+)/.exec(e.message);
    const message = paging ? `ARM answered HTTP ${paging[1]}${e.code ? ` ${e.code}` : ""} to a list request${e.code === "AuthorizationFailed" ? " (the signed-in identity may not read at this scope)" : ""}` : e.message;
    return new AzureError(code, `${what}: ${message}`, { statusCode: e.statusCode, requestId, cause: e });
  }
  // @azure/arm-policy 7.0.1 throws TypeError on some empty error bodies; keep it readable
  if (e instanceof TypeError) return new AzureError("UnexpectedResponse", `${what}: ARM sent a response the SDK could not read (${e.message})`, { cause: e });
  return e instanceof Error ? e : new Error(String(e));
}
