package k8sazpoldisallowedregistries

# Denies every container (containers, initContainers, ephemeralContainers; in Pods and in
# workload pod templates) whose image is pulled from a registry on the block list.
violation[{"msg": msg, "details": details}] {
	some c
	registry_images[c]
	entry := c.entry
	image := c.image
	ref := c.ref
	r := registry_rules[_]
	blocked_by(ref, r)
	rule := r.text
	name := container_name(entry.container)
	msg := sprintf("container %q (%s) uses image %q from registry %q, which is blocked by rule %q%s", [name, entry.field, image, display_registry(ref), rule, message_suffix(input.parameters)])
	details := {"container": name, "field": entry.field, "image": image, "registry": display_registry(ref), "rule": rule}
}

# Also denies images that no block list can see the registry of: strings the runtime cannot
# parse, and local image IDs (see the library below).
violation[{"msg": msg, "details": details}] {
	unverifiable_images[u]
	name := container_name(u.entry.container)
	msg := sprintf("container %q (%s) uses image %q, which %s", [name, u.entry.field, u.image, u.reason])
	details := {"container": name, "field": u.entry.field, "image": u.image, "rule": "unverifiable-image"}
}
