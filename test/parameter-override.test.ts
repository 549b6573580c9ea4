// --param name=value (src/core/parameter-override.ts): one parser for test, validate, build and
// deploy. A name given twice is refused: the first value used to be dropped without a word, so
// `--param blockedRegistries=k8s.gcr.io --param blockedRegistries=foo.io` checked only foo.io.
import { expect, it } from "vitest";
import { parseOverrides } from "../src/core/parameter-override.js";
import { UsageError } from "../src/errors.js";

it("reads name=value, the value may hold '='", () => {
  expect(parseOverrides(["effect=Deny", "labelSelector={\"a\":\"b=c\"}"])).toEqual([
    { name: "effect", raw: "Deny" },
    { name: "labelSelector", raw: '{"a":"b=c"}' },
  ]);
});

it("refuses a name given twice, naming both values and how to give a list", () => {
  const twice = () => parseOverrides(["blockedRegistries=k8s.gcr.io", "effect=Deny", "blockedRegistries=foo.io"]);
  expect(twice).toThrow(UsageError);
  expect(twice).toThrow(/--param blockedRegistries is given twice \("k8s\.gcr\.io" and "foo\.io"\); give it once: .*--param blockedRegistries=a,b/);
});

it("refuses what is not name=value", () => {
  expect(() => parseOverrides(["=x"])).toThrow(/is not name=value/);
  expect(() => parseOverrides(["effect"])).toThrow(/is not name=value/);
});
