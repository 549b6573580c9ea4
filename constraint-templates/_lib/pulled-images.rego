# Every image the kubelet pulls for the reviewed object, each distinct image parsed once, and
# the violations both registry templates share. Inlined into each template.yaml with
# image-reference.rego and registry-rules.rego.
#
# Cost is bounded, because Gatekeeper's webhook gives up after 3 s and the AKS add-on then
# admits the object undecided (fails open; Azure/AKS#1837):
#   - cheap guards first: an object whose pod specs list more than max_pod_spec_items
#     containers, init containers, ephemeral containers and volumes together (counted, not read),
#     or more than max_image_items of them that pull an image, is denied with one violation that
#     says why, before any image is read (no real workload comes near either);
#   - below the bound, each distinct image string is parsed once (parsed_images), and each
#     item only looks its image's verdict up; messages are built for denied items only.
# `npm run bench:worst-case` measures both templates with gator on the worst objects the bound
# admits; the README gives the numbers.

# count() of whatever a list field holds (a malformed object may hold a non-list there).
item_count(x) = count(x) {
	is_array(x)
} else = count(x) {
	is_object(x)
} else = 0

pod_spec_item_count := sum([item_count(spec[f.list]) | pod_specs[[_, spec]]; f := image_fields[_]])

too_many_pod_spec_items {
	pod_spec_item_count > max_pod_spec_items
}

# Read only below the first bound: one cheap test per item.
image_item_count := count([1 | pod_specs[[_, spec]]; f := image_fields[_]; pulls_image(spec[f.list][_], f)]) {
	not too_many_pod_spec_items
}

too_many_image_items {
	too_many_pod_spec_items
} else {
	image_item_count > max_image_items
}

# An item pulls an image: every container does; a volume only when it is an image volume.
pulls_image(item, f) {
	f.noun == "container"
} else {
	is_object(item)
	object.get(item, "image", null) != null
}

item_image(item, path) = image {
	image := object.get(item, path, "")
	is_string(image)
} else = ""

item_name(item) = name {
	name := item.name
	is_string(name)
} else = "<unnamed>"

# Every item that pulls an image: at most max_image_items of them (above that, only the guard's
# violation is evaluated).
pulled_items[{"field": field, "noun": f.noun, "name": item_name(item), "image": item_image(item, f.path)}] {
	not too_many_image_items
	pod_specs[[prefix, spec]]
	f := image_fields[_]
	item := spec[f.list][i]
	pulls_image(item, f)
	field := sprintf("%s.%s[%d]", [prefix, f.list, i])
}

# Each distinct image, parsed once.
parsed_images := {image: image_reference(image) | image := pulled_items[_].image}

# Images no registry rule can vouch for, denied by both templates whatever their lists say.
unverifiable_images := {image: reason | ref := parsed_images[image]; reason := unverifiable_reason(ref)}

# Images whose registry the lists can judge.
registry_images := {image: ref | ref := parsed_images[image]; ref.valid; not ref.local_id}

unverifiable_reason(ref) = "is longer than 1024 characters, longer than any image a node can pull (a host name has at most 253, a path 255, a tag 128, a digest 135), so no registry rule can vouch for it" {
	ref.too_long
} else = "is not a valid image reference, so the kubelet would refuse it and no registry rule can vouch for it" {
	not ref.valid
} else = "names a local image ID, which the container runtime resolves from the node's image cache without contacting any registry" {
	ref.local_id
}

# The violations both templates raise, whatever their lists say.
shared_violations[{"msg": msg, "details": details}] {
	too_many_pod_spec_items
	msg := sprintf("the object's pod specs list %d containers, init containers, ephemeral containers and volumes, more than the %d this policy reads within Gatekeeper's 3 s webhook budget; no real workload has that many, so it is denied rather than left to time out (the AKS add-on admits an object undecided when the webhook times out)", [pod_spec_item_count, max_pod_spec_items])
	details := {"items": pod_spec_item_count, "limit": max_pod_spec_items, "rule": "too-many-items"}
}

shared_violations[{"msg": msg, "details": details}] {
	not too_many_pod_spec_items
	image_item_count > max_image_items
	msg := sprintf("the object's pod specs pull %d images (containers and image volumes), more than the %d this policy reads within Gatekeeper's 3 s webhook budget; no real workload has that many, so it is denied rather than left to time out (the AKS add-on admits an object undecided when the webhook times out)", [image_item_count, max_image_items])
	details := {"items": image_item_count, "limit": max_image_items, "rule": "too-many-images"}
}

shared_violations[{"msg": msg, "details": details}] {
	p := pulled_items[_]
	reason := unverifiable_images[p.image]
	msg := sprintf("%s %q (%s) uses image %q, which %s", [p.noun, p.name, p.field, p.image, reason])
	details := {p.noun: p.name, "field": p.field, "image": p.image, "rule": "unverifiable-image"}
}

shared_violations[{"msg": msg, "details": details}] {
	pod_specs[_]
	r := invalid_registry_rules[_]
	msg := sprintf("registry rule %q in this policy's parameters is not a registry host with an optional :port and /path prefix (%s), so the policy cannot tell which images it names and denies every workload until the rule is fixed", [r.shown, r.why])
	details := {"rule": r.shown, "problem": r.why}
}
