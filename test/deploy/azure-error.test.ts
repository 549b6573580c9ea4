// What the Azure SDKs throw, said plainly: a failed list page is reported with ARM's status and
// code, not the pager's "Pagination failed with unexpected statusCode"; a request the --deadline
// cut short names the deadline.
import { RestError } from "@azure/core-rest-pipeline";
import { describe, expect, it } from "vitest";
import { toAzureError } from "../../src/deploy/azure-error.js";
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
