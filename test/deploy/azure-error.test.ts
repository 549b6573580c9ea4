// What the Azure SDKs throw, said plainly: a failed list page is reported with ARM's status and
// code, not the pager's "Pagination failed with unexpected statusCode"; a request the --deadline
// cut short names the deadline.
import { RestError } from "@azure/core-rest-pipeline";
import { describe, expect, it } from "vitest";
import { toAzureError } from "../../src/deploy/azure-error.js";
import { describeCredentialError } from "../../src/deploy/credential.js";
import { NetworkTimeout } from "../../src/net/network-policy.js";

describe("toAzureError", () => {
  it("a failed list page says what ARM answered", () => {
    const e = toAzureError(new RestError("Pagination failed with unexpected statusCode 403", { statusCode: 403, code: "AuthorizationFailed" }), "listing assignments at /subscriptions/x");
    expect(e).toMatchObject({ code: "AuthorizationFailed", statusCode: 403 });
    expect(e.message).toBe("listing assignments at /subscriptions/x: ARM answered HTTP 403 AuthorizationFailed to a list request (the signed-in identity may not read at this scope)");
    expect(e.message).not.toMatch(/Pagination failed/);
  });

  it("a request cut short by the deadline names it", () => {
    const e = toAzureError(new NetworkTimeout("deadline", "--deadline 5 s passed"), "reading definition x");
    expect(e).toMatchObject({ code: "DeadlineExceeded", message: "reading definition x: --deadline 5 s passed" });
  });
});

describe("credential hints", () => {
  const failure = (message: string) => Object.assign(new Error("ChainedTokenCredential authentication failed."), { name: "AggregateAuthenticationError", errors: [Object.assign(new Error(message), { name: "CredentialUnavailableError" })] });
  const saved = { ...process.env };
  const restore = () => {
    for (const k of ["AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET", "AZURE_CLIENT_CERTIFICATE_PATH"]) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  };

  it("names only the variables that are missing, and never asks to set what is set", () => {
    try {
      for (const k of ["AZURE_CLIENT_SECRET", "AZURE_CLIENT_CERTIFICATE_PATH"]) delete process.env[k];
      process.env.AZURE_TENANT_ID = "t";
      process.env.AZURE_CLIENT_ID = "c";
      expect(describeCredentialError(failure("EnvironmentCredential is unavailable. No underlying credential could be used."))).toMatch(/fix: set AZURE_CLIENT_SECRET \(a service principal/);
      process.env.AZURE_CLIENT_SECRET = "s";
      const all = describeCredentialError(failure("EnvironmentCredential authentication failed. AADSTS7000215: Invalid client secret provided."));
      expect(all).toMatch(/AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET are set: check their values/);
      expect(all).not.toMatch(/fix: set /);
    } finally {
      restore();
    }
  });
});
