package k8sazpolallowedregistries

# Denies every image the kubelet would pull from a registry not on the allow list: the images of
# containers, initContainers and ephemeralContainers, and image volumes (volumes[].image.reference),
# in Pods and in workload pod templates. Each distinct image is parsed and judged once.
violation[{"msg": msg, "details": details}] {
	p := pulled_items[_]
	ref := disallowed_images[p.image]
	msg := sprintf("%s %q (%s) uses image %q from registry %q, which is not allowed; allowed registries: %s%s", [p.noun, p.name, p.field, p.image, display_registry(ref), allowed_list, message_suffix(input.parameters)])
	details := {p.noun: p.name, "field": p.field, "image": p.image, "registry": display_registry(ref), "rule": "allowed-registries"}
}

# Also denies what no allow list can vouch for (see the library below): image strings the runtime
# cannot parse, local image IDs, rules the policy cannot parse, and objects too large to read
# within the webhook's time budget.
violation[v] {
	shared_violations[v]
}

# image → its parsed reference, for each distinct image no rule allows.
disallowed_images := {image: ref | ref := registry_images[image]; not allowed(ref)}

allowed(ref) {
	r := registry_rules[_]
	allowed_by(ref, r)
}

allowed_list := concat(", ", [rule_text(r) | r := input.parameters.registries[_]])
