package httpapi

import (
	"github.com/gofiber/fiber/v2"

	"github.com/parcours-emploi/parcours/access"
)

// route is one entry of the HTTP surface. The same table registers the
// handlers and writes the OpenAPI document, so the two cannot drift apart.
type route struct {
	Method string
	// Path in Fiber syntax: "/api/v1/beneficiaries/:id".
	Path    string
	Summary string
	Tag     string
	// Roles that may call the route; nil means no authentication.
	Roles []access.Role
	// Request is a zero value of the JSON body type, or nil.
	Request any
	// Query is a zero value of a struct whose `query` tags name the query
	// parameters, or nil.
	Query any
	// Responses maps each documented status to a zero value of its body type
	// (nil for no body). Problem responses (4xx/5xx) need not be listed: every
	// route documents problem+json for them.
	Responses map[int]any
	// ContentTypes lists extra response media types (e.g. "text/csv").
	ContentTypes []string
	Handler      fiber.Handler
}
