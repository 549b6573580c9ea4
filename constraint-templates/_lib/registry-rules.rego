# The constraint's registry rules, parsed once per review. A rule is a registry host (a DNS name
# with a "." or "localhost", an IPv4 literal, or a bracketed IPv6 literal), an optional :port
# and an optional path prefix: the grammar `azpol validate` accepts (src/core/registry-rule.ts),
# with host and path case folded (hosts are case-insensitive; image paths are lower case).
# A rule is normalised exactly as an image is: Docker Hub aliases are docker.io, and a
# one-segment Docker Hub path is an official image under library/ (docker.io/nginx is
# docker.io/library/nginx), except docker.io/library itself, which names every official image.
# Any other string (a scheme, a wildcard, a tag or digest, whitespace, a list in one string) is
# not guessed at: both templates deny every workload with a violation naming the rule, because a
# rule that silently matches nothing would let through what it was written to stop.

# host, or [IPv6]; :port; path segments as distribution/reference's pathComponent.
registry_rule_shape := `^(?:([a-z0-9.-]+)|(\[[0-9a-f:.]+\]))(?::([0-9]+))?((?:/[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*)*)$`

registry_rule(text) = parsed {
	is_string(text)
	m := regex.find_all_string_submatch_n(registry_rule_shape, lower(text), 1)[0]
	rule_host_valid(m[1], m[2], m[3])
	rule_port_valid(m[3])
	count(m[4]) <= 256
	host := canonical_host(concat("", [m[1], m[2]]))
	path := rule_path(host, trim_prefix(m[4], "/"))
	parsed := {"valid": true, "text": text, "host": host, "cidr": host_cidr(host), "port": m[3], "path": path}
} else = {"valid": false, "text": text}

rule_host_valid(name, ipv6, port) {
	ipv6 != ""
} else {
	name != ""
	rule_names_registry(name, port)
	rule_host_labels_valid(name)
}

rule_names_registry(name, port) {
	contains(name, ".")
} else {
	port != ""
} else {
	name == "localhost"
}

rule_host_labels_valid(name) {
	regex.match(`^[0-9]{1,3}(\.[0-9]{1,3}){3}$`, name)
} else {
	bad := [l | l := split(name, ".")[_]; not rule_label_valid(l)]
	count(bad) == 0
}

rule_label_valid(label) {
	regex.match(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?$`, label)
	count(label) <= 63
}

rule_port_valid(port) {
	port == ""
} else {
	n := to_number(port)
	n >= 1
	n <= 65535
}

# Docker Hub paths as in an image: "nginx" is "library/nginx"; "library" alone is the namespace
# of every official image.
rule_path(host, path) = concat("/", ["library", path]) {
	host == "docker.io"
	path != ""
	path != "library"
	not contains(path, "/")
} else = path

registry_rules := [r | r := registry_rule(input.parameters.registries[_]); r.valid]

invalid_registry_rules := [{"shown": shown, "why": rule_problem(text)} |
	text := input.parameters.registries[_]
	not registry_rule(text).valid
	shown := rule_text(text)
]

rule_text(text) = text {
	is_string(text)
} else = json.marshal(text)

rule_problem(text) = "it is not a string" {
	not is_string(text)
} else = "it is empty" {
	text == ""
} else = "it has a scheme; write the host only" {
	contains(text, "://")
} else = "it has a wildcard; registries match exactly, so list each registry host" {
	regex.match(`[*?]`, text)
} else = "it contains whitespace or a separator; write one registry per entry" {
	regex.match(`[\s,;]`, text)
} else = "it has a tag or digest; a rule is a host with an optional path prefix" {
	regex.match(`^[^/]*/.*[:@]|@`, text)
} else = "its first segment is not a registry host (one with a '.', a ':port' or 'localhost'); for Docker Hub write docker.io/<image>" {
	m := regex.find_all_string_submatch_n(registry_rule_shape, lower(text), 1)[0]
	not rule_names_registry(m[1], m[3])
	m[2] == ""
} else = "its host, port or path is not valid"
