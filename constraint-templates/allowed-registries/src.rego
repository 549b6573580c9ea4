package k8sazpolallowedregistries

# Denies every container (containers, initContainers, ephemeralContainers; in Pods and in
# workload pod templates) whose image is not pulled from a registry on the allow list.
violation[{"msg": msg, "details": details}] {
	some entry
	input_containers[entry]
	image := container_image(entry.container)
	ref := image_reference(image)
	not allowed(ref)
	name := container_name(entry.container)
	msg := sprintf("container %q (%s) uses image %q from registry %q, which is not allowed; allowed registries: %s%s", [name, entry.field, image, display_registry(ref), allowed_list, message_suffix(input.parameters)])
	details := {"container": name, "field": entry.field, "image": image, "registry": display_registry(ref), "rule": "allowed-registries"}
}

allowed(ref) {
	rule := input.parameters.registries[_]
	registry_matches(ref, rule, false, false)
}

allowed_list := concat(", ", [r | r := input.parameters.registries[_]])
