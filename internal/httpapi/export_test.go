package httpapi

// BuildOpenAPIForApp writes the document of the app New(d) would serve, for
// the external API tests.
func BuildOpenAPIForApp(d Deps) ([]byte, error) {
	s := &Server{Deps: d, svc: d.Services, valid: newValidation()}
	return buildOpenAPI(s.routes(), openAPIInfo{Title: "Parcours API", Version: APIVersion})
}
