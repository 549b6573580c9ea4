// Differential test against the runtime's own image parser: thousands of seeded adversarial
// image strings go through azpol's real templates on the real OPA engine (each in a random
// container list or image volume of a random pod-bearing kind), for two block lists and two
// allow lists, and each decision must equal the one derived from
// github.com/distribution/reference's parse (the oracle). 0 bypasses, 0 false positives,
// 0 errors. Replay a run with AZPOL_ORACLE_SEED=<seed>; raise the count with AZPOL_ORACLE_IMAGES.
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

// Generous: a busy 2-core machine may take minutes; the test prints its progress.
const TIMEOUT = 900_000;
import type { ConstraintTemplate } from "../../src/core/constraint-template.js";
import { IMAGE_LISTS, POD_BEARING_KINDS } from "../../src/core/pod-bearing-kinds.js";
import { readTemplateFile } from "../../src/io/load-definitions.js";
import { loadEngine } from "../../src/rego/engine.js";
import { reviewObjects } from "../../src/rego/evaluate.js";
import { TemplateCache } from "../../src/rego/template-cache.js";
import { workload } from "../support/workloads.js";
import { generateImages } from "./image-corpus.js";
import { oracleParseImages, oracleParseRules, type OracleImage } from "./oracle.js";
import { Random, oracleSeed } from "./random.js";
import { expectedDecision, type Mode } from "./registry-decision.js";

const root = join(import.meta.dirname, "..", "..");
const COUNT = Number.parseInt(process.env.AZPOL_ORACLE_IMAGES ?? "6000", 10);
const FILLER = "myacr.azurecr.io/team/filler:1";

const RULE_SETS: { name: string; mode: Mode; template: string; registries: string[] }[] = [
  { name: "block list", mode: "block", template: "disallowed-registries", registries: ["k8s.gcr.io", "docker.io/library/busybox", "registry.example.com:5000", "10.1.2.3", "[::1]:5000", "localhost"] },
  { name: "allow list, hosts only", mode: "allow", template: "allowed-registries", registries: ["myacr.azurecr.io", "10.1.2.3:5000", "[::1]", "docker.io"] },
  { name: "block list, Docker Hub short forms", mode: "block", template: "disallowed-registries", registries: ["docker.io/nginx", "index.docker.io/busybox", "registry-1.docker.io/team", "k8s.gcr.io:0443"] },
  { name: "allow list, hosts with path prefixes", mode: "allow", template: "allowed-registries", registries: ["myacr.azurecr.io/team", "docker.io/library/nginx", "localhost:5000/dev", "registry.example.com:443/platform"] },
];

const seed = oracleSeed();
let images: string[] = [];
let parses: OracleImage[] = [];
let cache: TemplateCache;

beforeAll(async () => {
  console.log(`image oracle: generating ${COUNT} images (seed ${seed}) and parsing them with distribution/reference...`);
  images = generateImages(new Random(seed), COUNT);
  parses = oracleParseImages(images);
  cache = new TemplateCache(await loadEngine());
  const valid = parses.filter((p) => p.valid).length;
  console.log(`image oracle: ${images.length} images (${valid} valid for distribution/reference, ${images.length - valid} invalid)`);
});

describe("registry templates vs distribution/reference", () => {
  it("the generated corpus is large and mixed, valid and invalid", () => {
    expect(images.length).toBeGreaterThanOrEqual(5000);
    const valid = parses.filter((p) => p.valid).length;
    expect(valid).toBeGreaterThan(images.length * 0.3);
    expect(images.length - valid).toBeGreaterThan(images.length * 0.1);
  });

  for (const set of RULE_SETS) {
    it(`${set.name}: every decision equals the oracle's (0 bypasses, 0 false positives, 0 errors)`, async () => {
      const template = readTemplateFile(join(root, "constraint-templates", set.template, "template.yaml")) as ConstraintTemplate;
      const constraint = { kind: template.kind, name: "oracle", match: undefined, parameters: { registries: set.registries }, enforcementAction: "deny" };
      const ruleImages = oracleParseRules(set.registries);
      const placement = new Random(seed ^ 0x5eed);
      const objects = images.map((image, i) => {
        const kind = placement.pick(POD_BEARING_KINDS).kind;
        return workload(kind, placement.pick(IMAGE_LISTS), image, `case-${i}`, FILLER);
      });
      console.log(`image oracle, ${set.name}: evaluating ${objects.length} workloads...`);
      const verdicts = await reviewObjects(cache, [{ template, constraint }], objects);
      const wrong: string[] = [];
      let bypasses = 0;
      let falsePositives = 0;
      let errors = 0;
      images.forEach((image, i) => {
        const found = verdicts[i] ?? [];
        const broken = found.filter((v) => !v.msg.startsWith("container ") && !v.msg.startsWith("volume "));
        const got = found.length > 0 ? "deny" : "allow";
        const want = expectedDecision(parses[i] as OracleImage, set.mode, set.registries, ruleImages);
        if (broken.length) errors++;
        else if (got === want) return;
        else if (want === "deny") bypasses++;
        else falsePositives++;
        wrong.push(`${JSON.stringify(image)} in ${objects[i]?.kind}: want ${want}, got ${got}; oracle ${JSON.stringify(parses[i])}; ${found.map((v) => v.msg).join(" | ")}`);
      });
      const denied = verdicts.filter((v) => v.length > 0).length;
      console.log(`image oracle, ${set.name}: ${images.length} images (${denied} denied, ${images.length - denied} allowed), ${bypasses} bypasses, ${falsePositives} false positives, ${errors} errors`);
      expect({ bypasses, falsePositives, errors, seed, firstFailures: wrong.slice(0, 25) }).toEqual({ bypasses: 0, falsePositives: 0, errors: 0, seed, firstFailures: [] });
    }, TIMEOUT);
  }
});
