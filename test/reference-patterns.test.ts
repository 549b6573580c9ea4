// The image templates write distribution/reference's two composed patterns out as literals (so
// no evaluation rebuilds them). This composes them again from the parts of regexp.go v0.6.0 and
// requires the literals in _lib/image-reference.rego to be exactly those.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";

const alphanumeric = "[a-z0-9]+";
const separator = "(?:[._]|__|[-]+)";
const domainNameComponent = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const optionalPort = "(?::[0-9]+)?";
const tag = "[\\w][\\w.-]{0,127}";
const digestPat = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][[:xdigit:]]{32,}";
const ipv6address = "\\[(?:[a-fA-F0-9:]+)\\]";
const domainName = `${domainNameComponent}(?:\\.${domainNameComponent})*`;
const host = `(?:${domainName}|${ipv6address})`;
const domainAndPort = host + optionalPort;
const pathComponent = `${alphanumeric}(?:${separator}${alphanumeric})*`;
const remoteName = `${pathComponent}(?:/${pathComponent})*`;
const namePat = `(?:${domainAndPort}/)?${remoteName}`;

const rego = readFileSync(join(import.meta.dirname, "..", "constraint-templates", "_lib", "image-reference.rego"), "utf8");
const literal = (name: string) => new RegExp(`^${name} := \`([^\`]*)\`$`, "m").exec(rego)?.[1];

it("referencePat is distribution/reference's, composed from its parts", () => {
  expect(literal("ref_reference")).toBe(`^(${namePat})(?::(${tag}))?(?:@(${digestPat}))?$`);
});

it("the anchored domain is domainAndPort", () => {
  expect(literal("ref_anchored_domain")).toBe(`^${domainAndPort}$`);
});
