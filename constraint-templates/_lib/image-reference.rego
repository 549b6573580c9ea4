# Image reference parsing and registry matching shared by azpol's registry templates.
# scripts/generate-templates.ts inlines this file into each template.yaml, because the
# Azure Policy add-on installs a template from one URL or one Base64 blob.
#
# Parsing follows the container runtime (distribution/reference ParseNormalizedNamed),
# so what we match is the registry the kubelet will really pull from:
#   - a digest (@sha256:...) and a tag (":" after the last "/") are not part of the name;
#   - the first path segment is a registry only if it has "." or ":", is "localhost",
#     or has an upper-case letter; otherwise the image is on Docker Hub
#     ("nginx" = docker.io/library/nginx, "team/app" = docker.io/team/app);
#   - registry hosts compare case-insensitively and exactly (no suffix or substring match),
#     with a trailing "." dropped and ":443" meaning the default port;
#   - index.docker.io and registry-1.docker.io are Docker Hub, i.e. docker.io.

# Every container of a Pod, a pod template (Deployment, StatefulSet, DaemonSet, ReplicaSet,
# ReplicationController, Job, PodTemplate) or a CronJob's job template, with its field path.
pod_specs[[prefix, spec]] {
	spec := input.review.object.spec
	prefix := "spec"
}

pod_specs[[prefix, spec]] {
	spec := input.review.object.spec.template.spec
	prefix := "spec.template.spec"
}

pod_specs[[prefix, spec]] {
	spec := input.review.object.spec.jobTemplate.spec.template.spec
	prefix := "spec.jobTemplate.spec.template.spec"
}

pod_specs[[prefix, spec]] {
	spec := input.review.object.template.spec
	prefix := "template.spec"
}

container_fields := {"containers", "initContainers", "ephemeralContainers"}

input_containers[{"field": field, "container": container}] {
	pod_specs[[prefix, spec]]
	kind := container_fields[_]
	container := spec[kind][i]
	field := sprintf("%s.%s[%d]", [prefix, kind, i])
}

container_image(container) = image {
	image := container.image
	is_string(image)
}

container_image(container) = "" {
	not is_string(container.image)
}

container_name(container) = name {
	name := container.name
	is_string(name)
}

container_name(container) = "<unnamed>" {
	not is_string(container.name)
}

# image_reference(image) = {"host", "port", "path"}; path has no tag or digest.
image_reference(image) = ref {
	named := strip_tag(strip_digest(trim_space(image)))
	raw := split_registry(named)
	hp := host_port(raw.registry)
	host := canonical_host(hp.host)
	ref := {"host": host, "port": canonical_port(hp.port), "path": hub_path(host, raw.path)}
}

strip_digest(s) = out {
	i := indexof(s, "@")
	i >= 0
	out := substring(s, 0, i)
}

strip_digest(s) = s {
	indexof(s, "@") < 0
}

# A tag is a ":" in the last path segment; a ":" before the last "/" is a registry port.
strip_tag(s) = out {
	parts := split(s, "/")
	last := parts[count(parts) - 1]
	i := indexof(last, ":")
	i >= 0
	out := substring(s, 0, (count(s) - count(last)) + i)
}

strip_tag(s) = s {
	parts := split(s, "/")
	indexof(parts[count(parts) - 1], ":") < 0
}

looks_like_registry(segment) {
	contains(segment, ".")
}

looks_like_registry(segment) {
	contains(segment, ":")
}

looks_like_registry(segment) {
	segment == "localhost"
}

looks_like_registry(segment) {
	lower(segment) != segment
}

has_registry(parts) {
	count(parts) > 1
	looks_like_registry(parts[0])
}

split_registry(named) = {"registry": parts[0], "path": concat("/", array.slice(parts, 1, count(parts)))} {
	parts := split(named, "/")
	has_registry(parts)
}

split_registry(named) = {"registry": "docker.io", "path": named} {
	not has_registry(split(named, "/"))
}

host_port(registry) = {"host": substring(registry, 0, i + 1), "port": substring(registry, i + 2, -1)} {
	startswith(registry, "[")
	i := indexof(registry, "]:")
	i > 0
}

host_port(registry) = {"host": registry, "port": ""} {
	startswith(registry, "[")
	indexof(registry, "]:") < 0
}

host_port(registry) = {"host": substring(registry, 0, i), "port": substring(registry, i + 1, -1)} {
	not startswith(registry, "[")
	i := indexof(registry, ":")
	i >= 0
}

host_port(registry) = {"host": registry, "port": ""} {
	not startswith(registry, "[")
	indexof(registry, ":") < 0
}

docker_hub_aliases := {"index.docker.io", "registry-1.docker.io", "registry.hub.docker.com"}

canonical_host(host) = "docker.io" {
	docker_hub_aliases[trim_right(lower(host), ".")]
}

canonical_host(host) = h {
	h := trim_right(lower(host), ".")
	not docker_hub_aliases[h]
}

# Registries serve HTTPS on 443 by default, so ":443" names the same registry as no port.
canonical_port(port) = "" {
	port == "443"
}

canonical_port(port) = port {
	port != "443"
}

# Docker Hub official images live under library/.
hub_path(host, path) = concat("/", ["library", path]) {
	host == "docker.io"
	not contains(path, "/")
}

hub_path(host, path) = path {
	host != "docker.io"
}

hub_path(host, path) = path {
	contains(path, "/")
}

# registry_rule("myacr.azurecr.io:5000/team") = {"host", "port", "path"}: a host, an optional
# port and an optional path prefix; parsed and canonicalised like an image's registry.
registry_rule(rule) = parsed {
	parts := split(trim_right(trim_space(rule), "/"), "/")
	hp := host_port(parts[0])
	host := canonical_host(hp.host)
	parsed := {"host": host, "port": canonical_port(hp.port), "path": concat("/", array.slice(parts, 1, count(parts)))}
}

# any_port: a rule without a port also matches other ports (used by block lists, which
# must not be dodged with "host:8443"); allow lists stay exact.
rule_port_matches(image_port, rule_port, any_port) {
	rule_port == ""
	any_port
}

rule_port_matches(image_port, rule_port, any_port) {
	image_port == rule_port
}

# A path prefix matches only whole segments: "team" matches "team" and "team/app",
# never "team-evil/app".
rule_path_matches(path, prefix) {
	prefix == ""
}

rule_path_matches(path, prefix) {
	path == prefix
}

rule_path_matches(path, prefix) {
	prefix != ""
	startswith(path, concat("", [prefix, "/"]))
}

registry_matches(ref, rule, any_port, fold_case) {
	r := registry_rule(rule)
	ref.host == r.host
	rule_port_matches(ref.port, r.port, any_port)
	rule_path_matches(fold(ref.path, fold_case), fold(r.path, fold_case))
}

fold(s, true) = lower(s)

fold(s, false) = s

display_registry(ref) = ref.host {
	ref.port == ""
}

display_registry(ref) = concat(":", [ref.host, ref.port]) {
	ref.port != ""
}

message_suffix(parameters) = concat("", [": ", parameters.message]) {
	has_message(parameters)
}

message_suffix(parameters) = "" {
	not has_message(parameters)
}

has_message(parameters) {
	is_string(parameters.message)
	parameters.message != ""
}
