package main

import "github.com/distribution/reference"

// ImageParse is what the runtime makes of an image string. Valid is false when the kubelet
// refuses the Pod (InvalidImageName), because ParseNormalizedNamed fails.
type ImageParse struct {
	Image  string `json:"image"`
	Valid  bool   `json:"valid"`
	Error  string `json:"error,omitempty"`
	Domain string `json:"domain,omitempty"`
	Path   string `json:"path,omitempty"`
	Tag    string `json:"tag,omitempty"`
	Digest string `json:"digest,omitempty"`
}

func parseImage(image string) ImageParse {
	named, err := reference.ParseNormalizedNamed(image)
	if err != nil {
		return ImageParse{Image: image, Error: err.Error()}
	}
	p := ImageParse{Image: image, Valid: true, Domain: reference.Domain(named), Path: reference.Path(named)}
	if t, ok := named.(reference.Tagged); ok {
		p.Tag = t.Tag()
	}
	if d, ok := named.(reference.Digested); ok {
		p.Digest = d.Digest().String()
	}
	return p
}
