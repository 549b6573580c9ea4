// A port of the registry templates' Rego (constraint-templates/_lib/*.rego) to Gatekeeper's
// K8sNativeValidation engine (CEL, as Gatekeeper 3.20.1 and a generated ValidatingAdmissionPolicy
// evaluate it), written to MEASURE what the grammar costs under Kubernetes' CEL cost limits
// (scripts/bench-cel.ts), not shipped in the templates (README "Why the templates carry no CEL").
// It uses only what a 1.30 API server's CEL offers (strings v2, regex, lists), plus the IP
// library (1.31+ API servers) for IP-literal hosts, and keeps the Rego's bounds and order:
// cheap guards first, each image parsed once per pass (one variable). A VAP evaluates every
// messageExpression after the validations, variables again: naming the denied image costs a
// second parse, which bench-cel.ts reports apart.
// Patterns are read from the Rego library itself, so the two cannot drift.
// Not ported (they are not where the cost is): the reason texts of invalid rules, and one message
// per denied item (a validation gives one message: the first denied image's).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { IMAGE_FIELDS, MAX_IMAGE_ITEMS, MAX_POD_SPEC_ITEMS, POD_BEARING_KINDS } from "../../src/core/pod-bearing-kinds.js";

const lib = join(import.meta.dirname, "..", "..", "constraint-templates", "_lib");
function regoPattern(file: string, name: string): string {
  const m = new RegExp(`^${name} := \`([^\`]*)\``, "m").exec(readFileSync(join(lib, file), "utf8"));
  if (!m?.[1]) throw new Error(`${name} not found in ${file}`);
  return m[1];
}
const REFERENCE = regoPattern("image-reference.rego", "ref_reference");
const ANCHORED_DOMAIN = regoPattern("image-reference.rego", "ref_anchored_domain");
const RULE_SHAPE = regoPattern("registry-rules.rego", "registry_rule_shape");
const MAX_IMAGE_LENGTH = 1024;

/** A CEL string literal (raw, single-quoted: patterns hold no single quote). */
const raw = (s: string): string => {
  if (s.includes("'")) throw new Error(`pattern with a quote: ${s}`);
  return `r'${s}'`;
};
/** `let name = value in body`, as CEL has no let: a one-element list mapped once. */
const let_ = (value: string, name: string, body: string): string => `[${value}].map(${name}, ${body})[0]`;

// Every pod spec path of the table, as an optional chain on the reviewed object.
const specPaths = [...new Set(POD_BEARING_KINDS.map((k) => k.podSpecPath))];
const specOf = (path: string): string => `variables.anyObject${path.split(".").map((p) => `.?${p}`).join("")}`;

// The image string of every item that pulls one (a non-string image is ""): containers' image,
// image volumes' image.reference; a volume without image pulls nothing.
function imagesOf(spec: string): string {
  return IMAGE_FIELDS.map((f) => {
    const list = `${spec}.?${f.list}.orValue([])`;
    if (f.noun === "container") return `${list}.map(c, type(c.?image.orValue('')) == string ? string(c.?image.orValue('')) : '')`;
    return `${list}.filter(v, v.?image.hasValue() && v.image != null).map(v, type(v.image.?reference.orValue('')) == string ? string(v.image.?reference.orValue('')) : '')`;
  }).join(" + ");
}

// image → [kind, host, port, path]: kind "ok", "invalid", "toolong" or "localid" (normalize.go
// ParseNormalizedNamed, then host/port split, Docker Hub aliases and library/, as the Rego).
const parseImage = (s: string): string =>
  `size(${s}) > ${MAX_IMAGE_LENGTH} ? ['toolong', '', '', '', ''] : ${s}.matches('^[a-f0-9]{64}$') ? ['invalid', '', '', '', ''] : ` +
  let_(
    // splitDockerDomain → [domain, remainder with library/]
    let_(
      `${s}.indexOf('/')`,
      "i",
      let_(
        `i >= 0 ? ${s}.substring(0, i) : ''`,
        "first",
        `(i >= 0 && (first.contains('.') || first.contains(':') || first == 'localhost' || first.lowerAscii() != first)) ? [first == 'index.docker.io' ? 'docker.io' : first, ${s}.substring(i + 1)] : ['docker.io', ${s}]`,
      ),
    ),
    "dr",
    let_(
      `dr[0] == 'docker.io' && !dr[1].contains('/') ? 'library/' + dr[1] : dr[1]`,
      "rem",
      let_(
        `rem.indexOf(':') >= 0 ? rem.substring(0, rem.indexOf(':')) : rem`,
        "remote",
        `!(remote.lowerAscii() == remote && (dr[0] + '/' + rem).matches(${raw(REFERENCE)}) && (rem.indexOf('@') < 0 || rem.substring(rem.indexOf('@') + 1).matches(r'^(?:sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128})$'))) ? ['invalid', '', '', '', ''] : ` +
          let_(
            // anchoredNameRegexp: the domain, or none and the whole name is the path
            let_(
              `remote.indexOf('@') >= 0 ? remote.substring(0, remote.indexOf('@')) : remote`,
              "repo",
              `dr[0].matches(${raw(ANCHORED_DOMAIN)}) ? [dr[0], repo] : ['', dr[0] + '/' + repo]`,
            ),
            "named",
            `size(named[1]) > 255 ? ['invalid', '', '', '', ''] : ` +
              let_(
                `named[0].startsWith('[') ? (named[0].indexOf(']:') > 0 ? [named[0].substring(0, named[0].indexOf(']:') + 1), named[0].substring(named[0].indexOf(']:') + 2)] : [named[0], '']) : (named[0].indexOf(':') >= 0 ? [named[0].substring(0, named[0].indexOf(':')), named[0].substring(named[0].indexOf(':') + 1)] : [named[0], ''])`,
                "hp",
                let_(
                  `hp[0].lowerAscii() in ['index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com'] ? 'docker.io' : hp[0].lowerAscii()`,
                  "host",
                  let_(
                    `host == 'docker.io' && !named[1].contains('/') ? 'library/' + named[1] : named[1]`,
                    "path",
                    `host == 'docker.io' && path in ['library/sha256', 'library/sha384', 'library/sha512'] ? ['localid', host, hp[1], path, ''] : ['ok', host, hp[1], path, ${ipKey("host")}]`,
                  ),
                ),
              ),
          ),
      ),
    ),
  );

// rule text → [valid, host, port, path, ip] ("true"/"false"; ip: the address text of an IP-literal host).
const parseRule = (text: string): string =>
  `type(${text}) != string ? ['false', '', '', '', ''] : ` +
  let_(
    `string(${text}).lowerAscii()`,
    "t",
    `!t.matches(${raw(RULE_SHAPE)}) ? ['false', '', '', '', ''] : ` +
      let_(
        `t.indexOf('/') >= 0 ? [t.substring(0, t.indexOf('/')), t.substring(t.indexOf('/') + 1)] : [t, '']`,
        "hpp",
        let_(
          `hpp[0].startsWith('[') ? [hpp[0].substring(0, hpp[0].indexOf(']') + 1), hpp[0].substring(hpp[0].indexOf(']') + 1)] : (hpp[0].indexOf(':') >= 0 ? [hpp[0].substring(0, hpp[0].indexOf(':')), hpp[0].substring(hpp[0].indexOf(':'))] : [hpp[0], ''])`,
          "hq",
          let_(
            `hq[1] == '' ? '' : hq[1].substring(1)`,
            "port",
            `!((hq[0].startsWith('[') || (hq[0] != '' && (hq[0].contains('.') || port != '' || hq[0] == 'localhost') && (hq[0].matches(r'^[0-9]{1,3}(\\.[0-9]{1,3}){3}$') || hq[0].split('.').all(l, l.matches(r'^[a-z0-9]([a-z0-9-]*[a-z0-9])?$') && size(l) <= 63)))) && (port == '' || (port.matches(r'^0*[0-9]{1,5}$') && int(port) >= 1 && int(port) <= 65535)) && size(hpp[1]) <= 255) ? ['false', '', '', '', ''] : ` +
              let_(
                `hq[0] in ['index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com'] ? 'docker.io' : hq[0]`,
                "host",
                `['true', host, port, host == 'docker.io' && hpp[1] != '' && hpp[1] != 'library' && !hpp[1].contains('/') ? 'library/' + hpp[1] : hpp[1], ${ipKey("host")}]`,
              ),
          ),
        ),
      ),
  );

// Ports as numbers, no port 443; more than 6 significant digits is never dialable.
const portNumber = (p: string): string => `(${p} == '' ? 443 : (${p}.matches(r'^0*[0-9]{1,6}$') ? int(${p}) : 999999))`;
const dialable = (p: string): string => `(${portNumber(p)} >= 1 && ${portNumber(p)} <= 65535)`;
// IP literals compare as addresses, as the Rego's net.cidr_contains does (Go's net.IPNet.Contains
// unmaps an IPv4-mapped IPv6 address). Kubernetes' IP library refuses IPv4-mapped IPv6 text, so a
// mapped address (::ffff:a01:203, 0:0:0:0:0:ffff:10.1.2.3, ...) is first written as its IPv4
// dotted quad, its two hex groups converted digit by digit.
const MAPPED = String.raw`^(?:(?:0{1,4}:){5}|::(?:0{1,4}:){0,4}|(?:0{1,4}:){1,4}:(?:0{1,4}:){0,3})ffff:(?:[0-9a-f]{1,4}:[0-9a-f]{1,4}|[0-9]{1,3}(?:\.[0-9]{1,3}){3})$`;
const hexValue = (g: string): string =>
  let_(`('000' + ${g}).substring(size(${g}) - 1)`, "hx", [0, 1, 2, 3].map((i) => `'0123456789abcdef'.indexOf(hx.charAt(${i})) * ${16 ** (3 - i)}`).join(" + "));
const dotted = (t: string): string =>
  let_(
    `${t}.substring(${t}.lastIndexOf(':') + 1)`,
    "g2",
    `g2.contains('.') ? g2 : ` +
      let_(
        `[${t}.substring(0, ${t}.lastIndexOf(':'))].map(h, h.substring(h.lastIndexOf(':') + 1))[0]`,
        "g1",
        `[${hexValue("g1")}, ${hexValue("g2")}].map(v, string(v / 256) + '.' + string(v % 256)).join('.')`,
      ),
  );
/** An IP literal's text as Kubernetes' IP library reads it ('' when it is none). */
const ipText = (t: string): string =>
  `(${t}.matches(${raw(MAPPED)}) && ${t}.substring(0, ${t}.indexOf('ffff:')).split(':').filter(g, g != '').size() <= (${t}.contains('::') ? 4 : 5) ? ${dotted(t)} : ${t})`;
/** A host's address text for the IP library: '' unless it is a bracketed IPv6 or a dotted IPv4 literal. */
const ipKey = (host: string): string =>
  `(${host}.startsWith('[') ? [${host}.substring(1, size(${host}) - 1)].map(a, ${ipText("a")})[0] : (${host}.matches(r'^[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+$') ? ${host} : ''))`;
const sameHost = (img: string, r: string): string =>
  `(${img}[2] == ${r}[1] || (${r}[4] != '' && ${img}[5] != '' && isIP(${img}[5]) && isIP(${r}[4]) && ip(${img}[5]) == ip(${r}[4])))`;
const pathMatches = (img: string, r: string): string => `(${r}[3] == '' || ${img}[4] == ${r}[3] || ${img}[4].startsWith(${r}[3] + '/'))`;
const blockedBy = (img: string, r: string): string =>
  `(${sameHost(img, r)} && (${r}[2] == '' || ${portNumber(`${img}[3]`)} == ${portNumber(`${r}[2]`)} || !${dialable(`${img}[3]`)}) && ${pathMatches(img, r)})`;
const allowedBy = (img: string, r: string): string =>
  `(${sameHost(img, r)} && ${dialable(`${img}[3]`)} && ${portNumber(`${img}[3]`)} == ${portNumber(`${r}[2]`)} && ${pathMatches(img, r)})`;

export type RegistryMode = "allow" | "block";

/** The `code` entry of a ConstraintTemplate target for the K8sNativeValidation engine. */
export function registryCelCode(mode: RegistryMode): { engine: string; source: Record<string, unknown> } {
  const tooMany = `(variables.itemCount > ${MAX_POD_SPEC_ITEMS} || size(variables.images) > ${MAX_IMAGE_ITEMS})`;
  const judged = mode === "allow" ? `variables.rules.exists(r, ${allowedBy("p", "r")})` : `!variables.rules.exists(r, ${blockedBy("p", "r")})`;
  const verdict = mode === "allow" ? "is not from an allowed registry" : "is from a blocked registry";
  return {
    engine: "K8sNativeValidation",
    source: {
      failurePolicy: "Fail",
      variables: [
        { name: "specs", expression: `[${specPaths.map(specOf).join(", ")}].filter(s, s.hasValue()).map(s, s.value())` },
        { name: "itemCount", expression: `([0] + variables.specs.map(s, ${IMAGE_FIELDS.map((f) => `size(s.?${f.list}.orValue([]))`).join(" + ")})).sum()` },
        { name: "images", expression: `variables.itemCount > ${MAX_POD_SPEC_ITEMS} ? [] : ${specPaths.map((p) => imagesOf(specOf(p))).join(" + ")}` },
        { name: "parsed", expression: `variables.images.map(s, [s] + (${parseImage("s")}))` },
        { name: "ruleTexts", expression: `variables.params == null ? [] : variables.params.?registries.orValue([])` },
        { name: "rules", expression: `variables.ruleTexts.map(t, ${parseRule("t")}).filter(r, r[0] == 'true')` },
      ],
      validations: [
        { expression: `variables.itemCount <= ${MAX_POD_SPEC_ITEMS}`, messageExpression: `'the object\\'s pod specs list ' + string(variables.itemCount) + ' containers, init containers, ephemeral containers and volumes, more than the ${MAX_POD_SPEC_ITEMS} this policy reads'` },
        { expression: `variables.itemCount > ${MAX_POD_SPEC_ITEMS} || size(variables.images) <= ${MAX_IMAGE_ITEMS}`, messageExpression: `'the object\\'s pod specs pull ' + string(size(variables.images)) + ' images, more than the ${MAX_IMAGE_ITEMS} this policy reads'` },
        { expression: `size(variables.specs) == 0 || size(variables.rules) == size(variables.ruleTexts)`, message: "a registry rule in this policy's parameters cannot be parsed, so the policy denies every workload until the rule is fixed" },
        { expression: `${tooMany} || variables.parsed.all(p, p[1] == 'ok')`, messageExpression: `${tooMany} ? '' : 'image ' + variables.parsed.filter(p, p[1] != 'ok')[0][0] + ' cannot be vouched for (not a valid image reference, too long, or a local image ID)'` },
        { expression: `${tooMany} || variables.parsed.all(p, p[1] != 'ok' || ${judged})`, messageExpression: `${tooMany} ? '' : 'an image ${verdict}: ' + variables.parsed.filter(p, p[1] == 'ok' && !(${judged}))[0][0]` },
      ],
    },
  };
}
