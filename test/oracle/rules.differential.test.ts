// Differential test for registry rules: seeded rule strings, valid and not (schemes, wildcards,
// lists in one string, tags, digests, whitespace, Docker Hub short forms and aliases, ports with
// leading zeros, case), each the only rule of a block list and of an allow list, on a Pod that
// pulls probe images through containers and image volumes. Checks, on the real templates and
// the real engine:
//   - the templates accept exactly the rules `azpol validate` accepts (src/core/registry-rule.ts,
//     case folded), and a rule they do not accept denies every object with a violation naming it
//     (fail closed);
//   - an accepted rule with a path is a name distribution/reference parses (the oracle), and
//     every probe's decision equals the one derived from the oracle's parse of the probe and of
//     the rule (so docker.io/nginx is docker.io/library/nginx, exactly as in an image).
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { ConstraintTemplate } from "../../src/core/constraint-template.js";
import { registryRuleProblem } from "../../src/core/registry-rule.js";
import { readTemplateFile } from "../../src/io/load-definitions.js";
import { loadEngine } from "../../src/rego/engine.js";
import { reviewObjects } from "../../src/rego/evaluate.js";
import { TemplateCache } from "../../src/rego/template-cache.js";
import type { KubeObject } from "../../src/rego/kubernetes-object.js";
import { oracleParseImages, oracleParseRules, type OracleImage } from "./oracle.js";
import { Random, oracleSeed } from "./random.js";
import { expectedDecision, type Mode } from "./registry-decision.js";

const TIMEOUT = 900_000;
const root = join(import.meta.dirname, "..", "..");
const COUNT = Number.parseInt(process.env.AZPOL_ORACLE_RULES ?? "600", 10);

const HOSTS = ["k8s.gcr.io", "K8S.GCR.IO", "docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com", "myacr.azurecr.io", "localhost", "10.1.2.3", "[::1]", "[::ffff:a01:203]", "registry.example.com", "nginx", "k8s.gcr.io.", "-bad.io", "k8s..gcr.io", "[::1", "", `${"a".repeat(64)}.io`];
const PORTS = ["", "", "", ":443", ":0443", ":5000", ":05000", ":0", ":65536", ":", ":x"];
const PATHS = ["", "", "", "/nginx", "/library", "/library/nginx", "/busybox", "/team", "/team/app", "/pause", "/Team", "/a..b", "/a__b", "/", "//x", "/*", "/x:1", "/x@sha256:" + "a".repeat(64), "/sha256"];
const WRAPPERS: ((s: string) => string)[] = [(s) => s, (s) => s, (s) => s, (s) => `https://${s}`, (s) => `*.${s}`, (s) => `${s}/*`, (s) => `${s},gcr.io`, (s) => ` ${s}`, (s) => `${s} `, (s) => `${s}/`, (s) => s.replace(".", "*")];

const CLEAN_HOSTS = ["k8s.gcr.io", "docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com", "myacr.azurecr.io", "localhost", "10.1.2.3", "[::1]", "[::ffff:a01:203]", "registry.example.com"];
const CLEAN_PORTS = ["", "", ":443", ":0443", ":5000", ":05000"];
const CLEAN_PATHS = ["", "", "/nginx", "/library", "/library/nginx", "/busybox", "/team", "/team/app", "/pause", "/sha256"];

// Half clean (mostly valid: matching is what they probe), half from every part (mostly invalid).
function generateRules(r: Random, count: number): string[] {
  const out = new Set<string>();
  while (out.size < count) {
    const clean = r.chance(0.5);
    const rule = clean ? `${r.pick(CLEAN_HOSTS)}${r.pick(CLEAN_PORTS)}${r.pick(CLEAN_PATHS)}` : r.pick(WRAPPERS)(`${r.pick(HOSTS)}${r.pick(PORTS)}${r.pick(PATHS)}`);
    out.add(rule);
  }
  return [...out];
}

const PROBES = ["nginx", "library/nginx:1", "docker.io/nginx", "index.docker.io/library/nginx", "nginx/nginx-ingress:1", "busybox", "library/library", "team/app", "docker.io/team/app", "k8s.gcr.io/pause", "k8s.gcr.io:5000/pause", "k8s.gcr.io/team/app", "myacr.azurecr.io/team/app", "myacr.azurecr.io:0443/pause", "localhost/team/app", "10.1.2.3/team", "[::1]:5000/x", "registry.example.com/nginx"];

const seed = oracleSeed();
let rules: string[] = [];
let ruleImages: Map<string, OracleImage>;
let probeParses: OracleImage[] = [];
let cache: TemplateCache;

beforeAll(async () => {
  rules = generateRules(new Random(seed ^ 0x7a1e), COUNT);
  const accepted = rules.filter((rule) => registryRuleProblem(rule.toLowerCase()) === undefined);
  ruleImages = oracleParseRules(accepted);
  probeParses = oracleParseImages(PROBES);
  cache = new TemplateCache(await loadEngine());
  console.log(`rule oracle: ${rules.length} rules (seed ${seed}), ${accepted.length} valid for azpol validate`);
});

function probePod(i: number): KubeObject {
  const half = Math.ceil(PROBES.length / 2);
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: `rule-${i}`, namespace: "default" },
    spec: {
      containers: PROBES.slice(0, half).map((image, j) => ({ name: `p${j}`, image })),
      volumes: PROBES.slice(half).map((image, j) => ({ name: `p${half + j}`, image: { reference: image } })),
    },
  };
}

describe("registry rules vs azpol validate and distribution/reference", () => {
  it("the generated rules are mixed, valid and invalid", () => {
    const valid = rules.filter((rule) => registryRuleProblem(rule.toLowerCase()) === undefined).length;
    expect(valid).toBeGreaterThan(rules.length * 0.2);
    expect(rules.length - valid).toBeGreaterThan(rules.length * 0.2);
  });

  it("every accepted rule with a path is an image name the runtime parses", () => {
    const unparsed = [...ruleImages].filter(([, p]) => !p.valid).map(([rule, p]) => `${rule}: ${p.error}`);
    expect(unparsed).toEqual([]);
  });

  for (const [mode, dir] of [["block", "disallowed-registries"], ["allow", "allowed-registries"]] as [Mode, string][]) {
    it(`${dir}: accepts exactly validate's rules, fails closed on the others, and decides every probe as the oracle does`, async () => {
      const template = readTemplateFile(join(root, "constraint-templates", dir, "template.yaml")) as ConstraintTemplate;
      const reviews = rules.map((rule, i) => ({ rule, object: probePod(i) }));
      const wrong: string[] = [];
      for (const { rule, object } of reviews) {
        const constraint = { kind: template.kind, name: "rules", match: undefined, parameters: { registries: [rule] }, enforcementAction: "deny" };
        const [found = []] = await reviewObjects(cache, [{ template, constraint }], [object]);
        const ruleViolations = found.filter((v) => (v.details as { problem?: string }).problem !== undefined);
        const accepted = registryRuleProblem(rule.toLowerCase()) === undefined;
        if (!accepted) {
          const named = ruleViolations.some((v) => (v.details as { rule?: string }).rule === rule && v.msg.includes(JSON.stringify(rule)));
          if (!named) wrong.push(`${JSON.stringify(rule)}: validate refuses it, but the template did not deny naming it: ${found.map((v) => v.msg).join(" | ")}`);
          continue;
        }
        if (ruleViolations.length) {
          wrong.push(`${JSON.stringify(rule)}: validate accepts it, the template refused it: ${ruleViolations.map((v) => v.msg).join(" | ")}`);
          continue;
        }
        PROBES.forEach((image, j) => {
          const got = found.some((v) => Object.values(v.details as Record<string, unknown>).includes(`p${j}`)) ? "deny" : "allow";
          const want = expectedDecision(probeParses[j] as OracleImage, mode, [rule], ruleImages);
          if (got !== want) wrong.push(`${JSON.stringify(rule)} on ${JSON.stringify(image)}: want ${want}, got ${got}`);
        });
      }
      console.log(`rule oracle, ${dir}: ${reviews.length} rules x ${PROBES.length} probes, ${wrong.length} disagreements`);
      expect({ seed, disagreements: wrong.slice(0, 25) }).toEqual({ seed, disagreements: [] });
    }, TIMEOUT);
  }
});
