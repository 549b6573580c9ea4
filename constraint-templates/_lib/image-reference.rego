# Image reference parsing and registry matching shared by azpol's registry templates.
# scripts/generate-templates.ts inlines this file into each template.yaml, because the
# Azure Policy add-on installs a template from one URL or one Base64 blob.
#
# An image is read exactly as the kubelet and containerd read it: github.com/distribution/reference
# v0.6.0 ParseNormalizedNamed (regexp.go, normalize.go, reference.go; go-digest v1.0.0 for the
# digest). The grammar below is that package's, pattern for pattern, and test/oracle/ checks
# it against the Go package itself on thousands of generated strings. Then:
#   - a string the parser refuses is denied by both templates: the kubelet would refuse the
#     Pod (InvalidImageName), and a string we cannot read must never pass a registry control;
#   - a reference to Docker Hub's library/sha256, library/sha384 or library/sha512 (as in
#     "sha256:<hex>" or "sha256:<prefix>") is denied by both templates: containerd's CRI plugin
#     first resolves such a string as a local image ID, or a unique prefix of one, and runs
#     whatever image is cached on the node without contacting any registry
#     (containerd pkg/cri/server/helpers.go localResolve, go-digest digestset Lookup);
#   - registry hosts compare case-insensitively; index.docker.io, registry-1.docker.io and
#     registry.hub.docker.com are Docker Hub (docker.io), whose one-segment paths live under
#     library/; IP literals compare as addresses (so [::ffff:a01:203] is 10.1.2.3);
#   - ports compare as numbers, no port meaning 443 (so :0443 is the default port). A port
#     that cannot be dialled (0 or above 65535) never matches an allow-list rule, and on a
#     block-listed host it is denied whatever port the rule names.
# constraint-templates/README.md writes these decisions down with their sources.

# --- distribution/reference v0.6.0 regexp.go ---
# Its parts, unchanged:
#   alphanumeric        = `[a-z0-9]+`
#   separator           = `(?:[._]|__|[-]+)`
#   domainNameComponent = `(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])`
#   optionalPort        = `(?::[0-9]+)?`
#   tag                 = `[\w][\w.-]{0,127}`
#   digestPat           = `[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][[:xdigit:]]{32,}`
#   ipv6address         = `\[(?:[a-fA-F0-9:]+)\]`
#   domainName    = domainNameComponent (?:\. domainNameComponent)*
#   host          = (?: domainName | ipv6address )
#   domainAndPort = host optionalPort
#   pathComponent = alphanumeric (?: separator alphanumeric)*
#   remoteName    = pathComponent (?:/ pathComponent)*
#   namePat       = (?: domainAndPort /)? remoteName
# composed into the two patterns used here, written out so that no evaluation rebuilds them
# (test/reference-patterns.test.ts composes them again from the parts and compares):
#   referencePat  = ^( namePat )(?::( tag ))?(?:@( digestPat ))?$
#   anchoredDomain = ^ domainAndPort $
ref_reference := `^((?:(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[(?:[a-fA-F0-9:]+)\])(?::[0-9]+)?/)?[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*)*)(?::([\w][\w.-]{0,127}))?(?:@([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][[:xdigit:]]{32,}))?$`

ref_anchored_domain := `^(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[(?:[a-fA-F0-9:]+)\])(?::[0-9]+)?$`

ref_anchored_identifier := `^[a-f0-9]{64}$`

# go-digest v1.0.0: the algorithms it registers and their encoded form (lower-case hex of the
# hash's size).
digest_encoded := {"sha256": `^[a-f0-9]{64}$`, "sha384": `^[a-f0-9]{96}$`, "sha512": `^[a-f0-9]{128}$`}

# --- normalize.go ParseNormalizedNamed ---
# Functions are written as `else` chains: OPA stops at the first body that holds, where
# separate definitions would all be evaluated (to rule out conflicting values).

# normalized_reference(s) = {"domain", "path"} when the runtime accepts s; undefined otherwise.
normalized_reference(s) = out {
	not regex.match(ref_anchored_identifier, s)
	split := docker_domain_split(s)
	remote := remote_part(split.remainder)
	lower(remote) == remote
	full := concat("/", [split.domain, split.remainder])
	regex.match(ref_reference, full)
	# In a matching reference the repository has no ":" or "@": the tag starts at the first
	# ":" of the remainder, the digest after its "@".
	repository := cut_at(remote, "@")
	digest_valid(after(split.remainder, "@"))
	out := named_parts(split.domain, repository)
	# reference.go Parse: RepositoryNameTotalLengthMax (255) bounds the path, not the domain
	# (so a long zero-padded port does not count).
	count(out.path) <= 255
}

# anchoredNameRegexp's capture: the first segment is the domain when it matches domainAndPort;
# otherwise the whole name is the path (and the domain is empty).
named_parts(domain, repository) = {"domain": domain, "path": repository} {
	regex.match(ref_anchored_domain, domain)
} else = {"domain": "", "path": concat("/", [domain, repository])}

cut_at(s, sep) = substring(s, 0, i) {
	i := indexof(s, sep)
	i >= 0
} else = s

after(s, sep) = substring(s, i + 1, -1) {
	i := indexof(s, sep)
	i >= 0
} else = ""

# splitDockerDomain: the first segment is a registry only if it has "." or ":", is
# "localhost", or has an upper-case letter; index.docker.io is docker.io; Docker Hub
# one-segment names get library/.
docker_domain_split(s) = {"domain": domain, "remainder": hub_remainder(domain, remainder)} {
	i := indexof(s, "/")
	i >= 0
	first := substring(s, 0, i)
	looks_like_registry(first)
	domain := legacy_hub(first)
	remainder := substring(s, i + 1, -1)
} else = {"domain": "docker.io", "remainder": hub_remainder("docker.io", s)}

looks_like_registry(segment) {
	contains(segment, ".")
} else {
	contains(segment, ":")
} else {
	segment == "localhost"
} else {
	lower(segment) != segment
}

legacy_hub(domain) = "docker.io" {
	domain == "index.docker.io"
} else = domain

hub_remainder(domain, remainder) = concat("", ["library/", remainder]) {
	domain == "docker.io"
	not contains(remainder, "/")
} else = remainder

# The repository part that must be lower case: the remainder up to its first ":".
remote_part(remainder) = substring(remainder, 0, i) {
	i := indexof(remainder, ":")
	i >= 0
} else = remainder

# reference.go Parse → digest.Parse: an available algorithm and exactly its hex length.
digest_valid(d) {
	d == ""
} else {
	i := indexof(d, ":")
	pattern := digest_encoded[substring(d, 0, i)]
	regex.match(pattern, substring(d, i + 1, -1))
}

# --- a cheap guard before the grammar ---
# No image a node can pull is longer than this: Go's resolver refuses a host name over 254
# characters, distribution/reference a path over 255, a tag over 128, and go-digest knows no
# digest longer than sha512's 135; 1024 leaves room for a port with leading zeros. A longer
# string is denied unparsed, so the grammar's cost is bounded per image.
max_image_length := 1024

# --- from a parsed reference to the registry the runtime contacts ---
# image_reference(image) = {"valid": true, "local_id", "host", "port", "path"}, or
# {"valid": false}. host is canonical (lower case, Docker Hub aliases folded); port is the
# text after ":" ("" for none).
image_reference(image) = {"valid": false, "too_long": true} {
	count(image) > max_image_length
} else = ref {
	parsed := normalized_reference(image)
	hp := host_port(parsed.domain)
	host := canonical_host(hp.host)
	path := hub_path(host, parsed.path)
	ref := {"valid": true, "local_id": local_image_id(host, path), "host": host, "port": hp.port, "path": path}
} else = {"valid": false}

local_id_repositories := {"library/sha256", "library/sha384", "library/sha512"}

local_image_id(host, path) = true {
	host == "docker.io"
	local_id_repositories[path]
} else = false

host_port(registry) = {"host": substring(registry, 0, i + 1), "port": substring(registry, i + 2, -1)} {
	startswith(registry, "[")
	i := indexof(registry, "]:")
	i > 0
} else = {"host": registry, "port": ""} {
	startswith(registry, "[")
} else = {"host": substring(registry, 0, i), "port": substring(registry, i + 1, -1)} {
	i := indexof(registry, ":")
	i >= 0
} else = {"host": registry, "port": ""}

docker_hub_aliases := {"index.docker.io", "registry-1.docker.io", "registry.hub.docker.com"}

canonical_host(host) = "docker.io" {
	docker_hub_aliases[trim_right(lower(host), ".")]
} else = trim_right(lower(host), ".")

# Docker Hub official images live under library/ (also when named through an alias host).
hub_path(host, path) = concat("/", ["library", path]) {
	host == "docker.io"
	not contains(path, "/")
} else = path

# An image's host is a rule's host when the names are equal, or when the rule's host is an IP
# literal of the same address as the image's (Go's net.IPNet.Contains unmaps IPv4-mapped IPv6,
# as the dialer does).
same_host(host, rule) {
	host == rule.host
} else {
	rule.cidr != ""
	net.cidr_contains(rule.cidr, ip_text(host))
}

ip_text(h) = substring(h, 1, count(h) - 2) {
	startswith(h, "[")
	endswith(h, "]")
} else = h {
	regex.match(`^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$`, h)
}

ip_cidr(h) = c {
	startswith(h, "[")
	c := concat("", [ip_text(h), "/128"])
} else = c {
	not startswith(h, "[")
	c := concat("", [ip_text(h), "/32"])
}

# "" when the host is not an IP literal.
host_cidr(h) = c {
	c := ip_cidr(h)
} else = ""

# Ports compare as numbers; no port is HTTPS's 443.
port_number(port) = 443 {
	port == ""
} else = to_number(port)

dialable(port) {
	n := port_number(port)
	n >= 1
	n <= 65535
}

# Block lists: a rule without a port blocks every port of its host; a rule with a port blocks
# that port (as a number) and any port that cannot be dialled.
block_port_matches(image_port, rule_port) {
	rule_port == ""
} else {
	port_number(image_port) == port_number(rule_port)
} else {
	not dialable(image_port)
}

# Allow lists: the ports must be the same number, and a real one.
allow_port_matches(image_port, rule_port) {
	dialable(image_port)
	port_number(image_port) == port_number(rule_port)
}

# A path prefix matches only whole segments: "team" matches "team" and "team/app",
# never "team-evil/app".
rule_path_matches(path, prefix) {
	prefix == ""
} else {
	path == prefix
} else {
	startswith(path, concat("", [prefix, "/"]))
}

blocked_by(ref, r) {
	same_host(ref.host, r)
	block_port_matches(ref.port, r.port)
	rule_path_matches(lower(ref.path), lower(r.path))
}

allowed_by(ref, r) {
	same_host(ref.host, r)
	allow_port_matches(ref.port, r.port)
	rule_path_matches(ref.path, r.path)
}

# The registry as the runtime dials it: the default port (443, however spelt) is not shown.
display_registry(ref) = ref.host {
	port_number(ref.port) == 443
} else = concat(":", [ref.host, ref.port])

message_suffix(parameters) = concat("", [": ", parameters.message]) {
	is_string(parameters.message)
	parameters.message != ""
} else = ""
