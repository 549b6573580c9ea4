package k8sazpoldisallowedregistries

# Denies every image the kubelet would pull from a registry on the block list: the images of
# containers, initContainers and ephemeralContainers, and image volumes (volumes[].image.reference),
# in Pods and in workload pod templates. Each distinct image is parsed and judged once.
violation[{"msg": msg, "details": details}] {
	p := pulled_items[_]
	rule := blocking_rules[p.image][_]
	ref := registry_images[p.image]
	msg := sprintf("%s %q (%s) uses image %q from registry %q, which is blocked by rule %q%s", [p.noun, p.name, p.field, p.image, display_registry(ref), rule, message_suffix(input.parameters)])
	details := {p.noun: p.name, "field": p.field, "image": p.image, "registry": display_registry(ref), "rule": rule}
}

# Also denies what no block list can judge (see the library below): image strings the runtime
# cannot parse, local image IDs, rules the policy cannot parse, and objects too large to read
# within the webhook's time budget.
violation[v] {
	shared_violations[v]
}

# image → the rules that block it, for each distinct image with a readable registry.
blocking_rules := {image: rules |
	ref := registry_images[image]
	rules := [r.text | r := registry_rules[_]; blocked_by(ref, r)]
	count(rules) > 0
}
