// Generates adversarial manifest files: every way a YAML or JSON stream can hold, hide or
// garble a Pod that kubectl's reader treats in its own way. Separators (with comments, with
// junk, "...", CRLF), JSON streams and JSON followed by YAML, Lists (typed, untyped, nested,
// items null, an object, scalars, "Items"), merge keys before and after explicit keys and in
// sequences, anchors and aliases, duplicate keys, YAML 1.1 scalars (y, n, on, 0777, 0x1F, 1_000,
// 1e3, .inf, ~) in images, names and labels, block and folded scalars, flow style, quoted
// scalars continued on less-indented lines, tags (!!str, !!binary, local), non-string keys,
// ObjectMeta type errors, missing kind or apiVersion, top-level scalars and arrays, BOMs,
// directives, comments only, empty files; streams starting with "{" that are flow-style YAML,
// JSON then YAML, or JSON then a short tail (kubectl's JSON-to-YAML switch, apimachinery v0.33+).
import type { Random } from "./random.js";

const IMAGES = ["k8s.gcr.io/pause:3.9", "registry.k8s.io/pause:3.9", "myacr.azurecr.io/team/app:1", "nginx", "sha256:4fb9", "K8S.GCR.IO/x"];
const SCALARS = ["y", "n", "on", "off", "yes", "No", "0777", "0x1F", "1_000", "1e3", "~", "null", "12:30:00", "2001-12-14", "+12", "0b101", "08", ".5", "-", "true", "abc", "'quoted'", '"dq"', "!!str 123", "!!binary aGVsbG8=", "!foo bar", ".inf"];

function image(r: Random): string {
  const img = r.pick(IMAGES);
  return r.pick([img, `"${img}"`, `'${img}'`, `|-\n      ${img}`, `>-\n      ${img}`, `!!str ${img}`]);
}

function name(r: Random): string {
  return r.chance(0.7) ? r.pick(["web", "pod-a", "web-1", "'123'"]) : r.pick(["n", "y", "on", "123", "0777", "~", '"multi\n  line"', "!!str 7"]);
}

function podSpec(r: Random, indent: string): string {
  const field = r.pick(["containers", "containers", "initContainers", "ephemeralContainers"]);
  const flow = r.chance(0.2);
  if (flow) return `${indent}${field}: [{name: c, image: ${r.pick(IMAGES)}}]\n`;
  return `${indent}${field}:\n${indent}- name: c\n${indent}  image: ${image(r).replaceAll("\n      ", `\n${indent}      `)}\n`;
}

function metadata(r: Random, indent: string): string {
  const lines = [`${indent}metadata:`, `${indent}  name: ${name(r)}`];
  if (r.chance(0.3)) lines.push(`${indent}  namespace: ${r.chance(0.8) ? r.pick(["default", "shop", "kube-system"]) : r.pick(["n", "123", "~", '""'])}`);
  if (r.chance(0.3)) lines.push(`${indent}  labels: {app: ${r.chance(0.6) ? r.pick(["web", "'on'", '"0777"', "web-1"]) : r.pick(SCALARS)}${r.chance(0.2) ? `, ${r.pick(["1", "true", "null", "~", "1.5"])}: x` : ""}}`);
  if (r.chance(0.05)) lines.push(`${indent}  generation: ${r.pick(["3", '"3"', "1.5"])}`);
  return lines.join("\n") + "\n";
}

function workload(r: Random, indent = ""): string {
  const kind = r.pick(["Pod", "Pod", "Deployment", "CronJob", "PodTemplate"]);
  const api = { Pod: "v1", Deployment: "apps/v1", CronJob: "batch/v1", PodTemplate: "v1" }[kind];
  const head = `${indent}apiVersion: ${api}\n${indent}kind: ${kind}\n${metadata(r, indent)}`;
  switch (kind) {
    case "Pod":
      return `${head}${indent}spec:\n${podSpec(r, `${indent}  `)}`;
    case "PodTemplate":
      return `${head}${indent}template:\n${indent}  spec:\n${podSpec(r, `${indent}    `)}`;
    case "CronJob":
      return `${head}${indent}spec:\n${indent}  schedule: "* * * * *"\n${indent}  jobTemplate:\n${indent}    spec:\n${indent}      template:\n${indent}        spec:\n${podSpec(r, `${indent}          `)}`;
    default:
      return `${head}${indent}spec:\n${indent}  template:\n${indent}    spec:\n${podSpec(r, `${indent}      `)}`;
  }
}

function asItem(r: Random, doc: string): string {
  const lines = doc.trimEnd().split("\n");
  const strip = r.chance(0.3);
  const kept = strip ? lines.filter((l) => !/^(apiVersion|kind):/.test(l)) : lines;
  return kept.map((l, i) => (i === 0 ? `- ${l}` : `  ${l}`)).join("\n") + "\n";
}

function list(r: Random): string {
  const kind = r.pick(["List", "PodList", "DeploymentList", "List", ""]);
  const head = `${r.chance(0.9) ? "apiVersion: v1\n" : ""}${kind ? `kind: ${kind}\n` : ""}`;
  const shape = r.chance(0.6) ? 7 : r.int(8);
  const key = r.chance(0.1) ? "Items" : "items";
  if (shape === 0) return `${head}${key}: null\n`;
  if (shape === 1) return `${head}${key}: {a: 1}\n`;
  if (shape === 2) return `${head}${key}:\n- 5\n`;
  if (shape === 3) return `${head}${key}: []\n`;
  const items = Array.from({ length: 1 + r.int(3) }, () => (r.chance(0.15) ? asItem(r, list(r)) : asItem(r, workload(r))));
  return `${head}${key}:\n${items.join("")}`;
}

function mergeDoc(r: Random): string {
  const base = `base: &base\n  name: ${name(r)}\n  namespace: ${r.pick(["a", "b", "n"])}\n`;
  const order = r.int(3);
  const meta =
    order === 0 ? `metadata:\n  <<: *base\n  name: explicit\n` : order === 1 ? `metadata:\n  name: explicit\n  <<: *base\n` : `metadata:\n  <<: [*base, {name: second, labels: {x: "1"}}]\n`;
  return `${base}apiVersion: v1\nkind: Pod\n${meta}spec:\n  containers: &cs\n  - name: c\n    image: ${image(r)}\n  initContainers: *cs\n`;
}

function oddDoc(r: Random): string {
  return r.pick([
    "hello\n",
    "- a\n- b\n",
    "apiVersion: v1\nmetadata: {name: a}\n",
    "kind: Pod\nmetadata: {name: a}\nspec: {containers: [{name: c, image: k8s.gcr.io/x}]}\n",
    "apiVersion: v1\nkind: 5\n",
    "apiVersion: v1\nkind: Pod\nkind: Deployment\nmetadata: {name: dup}\n",
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  annotations:\n    x: \"one\n  two\"\nspec: {containers: [{name: c, image: k8s.gcr.io/x}]}\n",
    "apiVersion: v1\nkind: Pod\nmetadata:\n\tname: tab\n",
    "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n  - name: c\n    image: k8s.gcr.io/x\n...\napiVersion: v1\nkind: Pod\nmetadata: {name: hidden}\n",
    "# only a comment\n",
    "",
    "~\n",
    "apiVersion: v1\nkind: Pod\nmetadata: {name: a, ~: x}\n",
    "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: [{name: c, image: k8s.gcr.io/x, image: registry.k8s.io/y}]}\n",
    "apiVersion: v1\nkind: Pod\nmetadata: {name: a, labels: {x: .inf}}\n",
    "%YAML 1.1\n",
    "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n  - {name: c, image: 'k8s.gcr.io/x'}\n  - name: d\n    image: >\n      k8s.gcr.io/folded\n",
  ]);
}

function jsonDoc(r: Random): string {
  const img = r.pick(IMAGES);
  return r.pick([
    `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"j"},"spec":{"containers":[{"name":"c","image":"${img}"}]}}`,
    `{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"Pod","metadata":{"name":"j"},"spec":{"containers":[{"name":"c","image":"${img}"}]}}]}`,
    `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"j","name":"k"}}`,
    `{"kind":"Pod"`,
  ]);
}

function separator(r: Random): string {
  return r.chance(0.9) ? r.pick(["---\n", "---\n", "--- # next\n", "---   \n", "\n---\n", "---\r\n"]) : r.pick(["--- x\n", "----\n"]);
}

// A flow-style first document: starts with "{" like JSON, but is YAML.
function flowDoc(r: Random): string {
  const img = r.pick(IMAGES);
  return r.pick([
    `{apiVersion: v1, kind: Pod, metadata: {name: flow}, spec: {containers: [{name: c, image: ${img}}]}}`,
    `{apiVersion: v1, kind: Pod, metadata: {name: flow},\n  spec: {containers: [{name: c, image: "${img}"}]}}`,
    `{"apiVersion": "v1", kind: Pod, "metadata": {"name": "half"}, spec: {containers: [{name: c, image: ${img}}]}}`,
    `{apiVersion: v1, kind: Pod, metadata: {name: 'flow'}}  # a comment`,
    `{apiVersion: v1, kind: Pod, metadata: {name: bad`,
  ]);
}

// Streams that start with "{": kubectl (apimachinery v0.33+ YAMLOrJSONDecoder) tries JSON and
// re-reads the rest as YAML after at most one JSON value; after two it fails.
function mixedStream(r: Random): string {
  const first = r.chance(0.5) ? flowDoc(r) : jsonDoc(r);
  const between = r.pick(["\n", "\n---\n", " \n", "   ", "\n\n", "\r\n---\r\n", "", " # c\n", "\t\n"]);
  const rest = Array.from({ length: r.int(3) }, () => (r.chance(0.8) ? workload(r) : r.pick([jsonDoc(r), flowDoc(r), oddDoc(r)])));
  const tail = r.chance(0.15) ? r.pick(["x", "ab", "abc", "\n", " a", "- a\n", "kind"]) : "";
  return (r.chance(0.2) ? r.pick(["  ", "\n", " \n "]) : "") + first + (rest.length ? between + rest.map((d, i) => (i === 0 ? d : separator(r) + d)).join("") : between) + tail;
}

export function generateManifest(r: Random): string {
  if (r.chance(0.12)) return mixedStream(r);
  if (r.chance(0.08)) return Array.from({ length: 1 + r.int(3) }, () => jsonDoc(r)).join(r.pick(["\n", " ", "\n---\n"]));
  const docs = Array.from({ length: 1 + r.int(4) }, () => {
    const pick = r.int(10);
    return pick < 5 ? workload(r) : pick < 7 ? list(r) : pick < 9 ? mergeDoc(r) : oddDoc(r);
  });
  let text = (r.chance(0.2) ? separator(r) : "") + docs.map((d, i) => (i === 0 ? d : separator(r) + d)).join("");
  if (r.chance(0.05)) text = text.replaceAll("\n", "\r\n");
  if (r.chance(0.03)) text = `\ufeff${text}`;
  return text;
}
