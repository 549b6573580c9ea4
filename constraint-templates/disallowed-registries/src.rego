package k8sazpoldisallowedregistries

# Denies every container (containers, initContainers, ephemeralContainers; in Pods and in
# workload pod templates) whose image is pulled from a registry on the block list.
violation[{"msg": msg, "details": details}] {
	some entry
	input_containers[entry]
	image := container_image(entry.container)
	ref := image_reference(image)
	rule := input.parameters.registries[_]
	registry_matches(ref, rule, true, true)
	name := container_name(entry.container)
	msg := sprintf("container %q (%s) uses image %q from registry %q, which is blocked by rule %q%s", [name, entry.field, image, display_registry(ref), rule, message_suffix(input.parameters)])
	details := {"container": name, "field": entry.field, "image": image, "registry": display_registry(ref), "rule": rule}
}
