package httpapi

import (
	"github.com/gofiber/fiber/v2"
)

// openapi serves the OpenAPI document built from the route table.
func (s *Server) openapi(c *fiber.Ctx) error {
	s.docOnce.Do(func() {
		s.doc, s.docErr = buildOpenAPI(s.routes(), openAPIInfo{
			Title:       "Parcours API",
			Version:     APIVersion,
			Description: "Employment pathways and mentoring for refugees: beneficiaries, opportunities, mentors, matching and outcomes.",
		})
	})
	if s.docErr != nil {
		return s.docErr
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return c.Send(s.doc)
}

// APIVersion is the version of the HTTP surface.
const APIVersion = "1.0.0"
