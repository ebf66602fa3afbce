package httpapi

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/jobs"
)

// Convention is a PMSMP convention a beneficiary entered: by accepting a
// placement, or by renewing one.
type Convention struct {
	ID            string     `json:"id"`
	BeneficiaryID string     `json:"beneficiaryId"`
	HostID        string     `json:"hostId"`
	Objective     string     `json:"objective"`
	StartDate     civil.Date `json:"startDate"`
	EndDate       civil.Date `json:"endDate"`
	// RenewalOf is the convention this one renews.
	RenewalOf string `json:"renewalOf,omitempty"`
	// ProposalID is the accepted proposal that made it (none for a renewal).
	ProposalID string    `json:"proposalId,omitempty"`
	State      string    `json:"state"`
	CreatedAt  time.Time `json:"createdAt"`
}

// RenewalInput is the last day of a renewal; it starts the day after the
// convention it renews.
type RenewalInput struct {
	EndDate civil.Date `json:"endDate" validate:"required,date"`
}

func toConvention(c jobs.Convention) Convention {
	return Convention{ID: c.ID, BeneficiaryID: c.BeneficiaryID, HostID: c.HostID, Objective: string(c.Objective),
		StartDate: civil.Of(c.Start), EndDate: civil.Of(c.End), RenewalOf: c.RenewalOf, ProposalID: c.ProposalID,
		State: string(c.State), CreatedAt: c.CreatedAt}
}

func (s *Server) listConventions(c *fiber.Ctx) error {
	list, err := s.svc.Proposals.ConventionsOf(c.UserContext(), principal(c), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(page[Convention]{Items: convert(list, toConvention)})
}

func (s *Server) renewConvention(c *fiber.Ctx) error {
	var in RenewalInput
	if err := s.decodeBody(c, &in); err != nil {
		return err
	}
	conv, err := s.svc.Proposals.RenewConvention(c.UserContext(), principal(c), c.Params("id"), c.Params("conventionId"), in.EndDate)
	if err != nil {
		return err
	}
	c.Location("/api/v1/beneficiaries/" + conv.BeneficiaryID + "/conventions")
	return c.Status(fiber.StatusCreated).JSON(toConvention(conv))
}
