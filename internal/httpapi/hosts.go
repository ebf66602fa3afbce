package httpapi

import (
	"net/url"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/parcours-emploi/parcours/jobs"
)

// TutorInput is who welcomes and follows the person at the host.
type TutorInput struct {
	Name  string `json:"name" validate:"max=100"`
	Role  string `json:"role" validate:"max=100"`
	Email string `json:"email" validate:"omitempty,email,max=200"`
	Phone string `json:"phone" validate:"max=30"`
}

// HostInput is an establishment added to the organisation's directory of
// PMSMP hosts, identified by its SIRET (spaces allowed).
type HostInput struct {
	SIRET      string     `json:"siret" validate:"required,siret"`
	Name       string     `json:"name" validate:"required,max=200"`
	Address    string     `json:"address" validate:"max=300"`
	Department string     `json:"department" validate:"omitempty,departement"`
	NAF        string     `json:"naf" validate:"omitempty,naf"`
	Tutor      TutorInput `json:"tutor"`
	Notes      string     `json:"notes" validate:"max=2000"`
}

// Host is a PMSMP host of the organisation's directory.
type Host struct {
	SIRET      string     `json:"siret"`
	Name       string     `json:"name"`
	Address    string     `json:"address"`
	Department string     `json:"department"`
	NAF        string     `json:"naf"`
	Tutor      TutorInput `json:"tutor"`
	Notes      string     `json:"notes"`
	CreatedAt  time.Time  `json:"createdAt"`
	Version    int64      `json:"version"`
}

// HostDetail is a host with the conventions people entered with it.
type HostDetail struct {
	Host
	Conventions []Convention `json:"conventions"`
}

// HostQuery finds hosts by the start of their name or SIRET.
type HostQuery struct {
	Q      string `query:"q"`
	Cursor string `query:"cursor"`
	Limit  int    `query:"limit"`
}

func toHost(h jobs.Host) Host {
	return Host{SIRET: h.SIRET, Name: h.Name, Address: h.Address, Department: h.Department, NAF: h.NAF,
		Tutor: TutorInput(h.Tutor), Notes: h.Notes, CreatedAt: h.CreatedAt, Version: h.Version}
}

func (s *Server) createHost(c *fiber.Ctx) error {
	var in HostInput
	if err := s.decodeBody(c, &in); err != nil {
		return err
	}
	h, err := s.svc.Opportunities.CreateHost(c.UserContext(), principal(c), jobs.Host{SIRET: in.SIRET, Name: in.Name, Address: in.Address,
		Department: in.Department, NAF: in.NAF, Tutor: jobs.Tutor(in.Tutor), Notes: in.Notes})
	if err != nil {
		return err
	}
	c.Location("/api/v1/hosts/" + h.SIRET)
	return c.Status(fiber.StatusCreated).JSON(toHost(h))
}

func (s *Server) listHosts(c *fiber.Ctx) error {
	limit, err := queryLimit(c)
	if err != nil {
		return err
	}
	list, next, err := s.svc.Opportunities.FindHosts(c.UserContext(), principal(c), c.Query("q"), c.Query("cursor"), limit)
	if err != nil {
		return err
	}
	return c.JSON(page[Host]{Items: convert(list, toHost), Next: next})
}

func (s *Server) getHost(c *fiber.Ctx) error {
	siret, err := url.PathUnescape(c.Params("siret"))
	if err != nil {
		siret = c.Params("siret")
	}
	h, err := s.svc.Opportunities.Host(c.UserContext(), principal(c), siret)
	if err != nil {
		return err
	}
	return c.JSON(HostDetail{Host: toHost(h.Host), Conventions: convert(h.Conventions, toConvention)})
}
