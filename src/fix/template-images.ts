// Images written into a Helm chart's templates (templates/*.yaml, _helpers.tpl): `image:
// k8s.gcr.io/x:1.0`, `{{- define "x" -}}k8s.gcr.io/x:1.0{{- end }}`, `| default "k8s.gcr.io"`.
// A template is Go text/template, not YAML: fix cannot edit it safely, so what it finds here is
// judged like any image and, when denied, named as needing a human with the file and line; the
// run never says "nothing left to fix" about a chart that renders a denied image.
// Found by place and shape: the value of an `image:` key, a token that is a reference naming its
// registry with a tag or digest (or a templated tag), or on a registry a replacement moves from
// (image-reference.ts, the distribution/reference grammar), or that registry's host alone.
import type { ImageSite } from "./find-images.js";
import { parseReference } from "./image-reference.js";

export const TEMPLATE_READ_ONLY = "hard-coded in a Helm template: fix cannot edit Go templates; move it by hand (or make it a value in values.yaml), then check the render (helm template . | azpol test -)";

/** Text between template actions, split into tokens at spaces, quotes and template punctuation. */
const TOKEN = /[^\s"'`{}()|,=<>]+/g;
/** just after an `image:` key (what comes before a token on its line) */
const AFTER_IMAGE_KEY = /(?:^|[\s{,-])image:\s*["']?$/;

export function templateImageSites(text: string, knownHost: (host: string) => boolean): ImageSite[] {
  const sites: ImageSite[] = [];
  let line = 1;
  let counted = 0;
  const lineAt = (offset: number) => {
    for (; counted < offset; counted++) if (text.charCodeAt(counted) === 10) line++;
    return line;
  };
  for (const m of text.matchAll(TOKEN)) {
    const token = m[0].replace(/[.;:]+$/, "");
    const start = m.index;
    const before = text.slice(text.lastIndexOf("\n", start - 1) + 1, start);
    if (/^\s*#/.test(before)) continue; // a YAML comment renders as one: no image runs from it
    const afterKey = AFTER_IMAGE_KEY.test(before);
    const at = { start, end: start + token.length, value: token, style: undefined, part: "image" as const, readOnly: TEMPLATE_READ_ONLY };
    if (!token.includes("/") && !afterKey) {
      // a registry host alone (`default "k8s.gcr.io"`): every image the template builds from it
      if (/[.:]/.test(token) && knownHost(token.toLowerCase())) sites.push({ ...at, line: lineAt(start), image: `${token}/azpol-registry-probe:latest`, part: "registry", shown: token });
      continue;
    }
    const ref = parseReference(token);
    // an image by its place (`image: busybox:1.36`, a name without a registry is Docker Hub), or by
    // its shape: a registry with a tag or digest (written, or `:{{ .Chart.AppVersion }}` after it)
    const templatedTag = /[:@]$/.test(m[0]) && text.startsWith("{{", start + m[0].length);
    if (!ref || !(afterKey || (ref.host !== undefined && (ref.tag !== undefined || ref.digest !== undefined || templatedTag || knownHost(ref.host.toLowerCase()))))) continue;
    sites.push({ ...at, line: lineAt(start), image: token });
  }
  return sites;
}
