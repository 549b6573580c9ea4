package k8sazpolallowedregistries

# Denies every container (containers, initContainers, ephemeralContainers; in Pods and in
# workload pod templates) whose image is not pulled from a registry on the allow list.
violation[{"msg": msg, "details": details}] {
	some c
	registry_images[c]
	entry := c.entry
	image := c.image
	ref := c.ref
	not allowed(ref)
	name := container_name(entry.container)
	msg := sprintf("container %q (%s) uses image %q from registry %q, which is not allowed; allowed registries: %s%s", [name, entry.field, image, display_registry(ref), allowed_list, message_suffix(input.parameters)])
	details := {"container": name, "field": entry.field, "image": image, "registry": display_registry(ref), "rule": "allowed-registries"}
}

# Also denies images whose registry cannot be known: strings the runtime cannot parse, and
# local image IDs, which the runtime runs from the node's cache (see the library below).
violation[{"msg": msg, "details": details}] {
	unverifiable_images[u]
	name := container_name(u.entry.container)
	msg := sprintf("container %q (%s) uses image %q, which %s", [name, u.entry.field, u.image, u.reason])
	details := {"container": name, "field": u.entry.field, "image": u.image, "rule": "unverifiable-image"}
}

allowed(ref) {
	r := registry_rules[_]
	allowed_by(ref, r)
}

allowed_list := concat(", ", [r | r := input.parameters.registries[_]])
