// The registry challenge parser the data-plane client relies on (WWW-Authenticate, RFC 6750 §3 /
// the distribution token spec): quoted values, commas inside quotes, and what is not a Bearer challenge.
import { expect, it } from "vitest";
import { parseChallenge } from "../src/deploy/acr-content-client.js";

it("reads a Bearer challenge's parameters", () => {
  expect(parseChallenge('Bearer realm="https://myacr.azurecr.io/oauth2/token",service="myacr.azurecr.io"')).toEqual({ realm: "https://myacr.azurecr.io/oauth2/token", service: "myacr.azurecr.io" });
  expect(parseChallenge('Bearer realm="https://r/t",service="s",scope="repository:a/b:pull,push",error="insufficient_scope"')).toEqual({ realm: "https://r/t", service: "s", scope: "repository:a/b:pull,push", error: "insufficient_scope" });
  expect(parseChallenge("bearer realm=https://r/t,service=s")).toEqual({ realm: "https://r/t", service: "s" });
  expect(parseChallenge('Basic realm="x"')).toBeUndefined();
  expect(parseChallenge(null)).toBeUndefined();
});
