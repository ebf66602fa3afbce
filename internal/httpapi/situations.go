package httpapi

import (
	"github.com/gofiber/fiber/v2"

	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/ids"
	"github.com/parcours-emploi/parcours/pathways"
)

// SituationInput is the body of POST /beneficiaries/{id}/situations.
type SituationInput struct {
	Kind           pathways.SituationKind `json:"kind" validate:"required,oneof=cdi cdd interim subsidised-contract business-creation public-sector insertion-hire qualifying-training pre-qualifying-training fle-training internship alternance job-search programme-exit"`
	Start          civil.Date             `json:"startDate" validate:"required,date"`
	End            civil.Date             `json:"endDate" validate:"omitempty,date"`
	DurationMonths int                    `json:"durationMonths" validate:"min=0,max=120"`
	ExitReason     string                 `json:"exitReason" validate:"omitempty,oneof=success re-orientation drop-out exclusion moved end-of-programme other"`
	Employer       string                 `json:"employer" validate:"max=200"`
	Note           string                 `json:"note" validate:"max=2000"`
}

func (s *Server) createSituation(c *fiber.Ctx) error {
	var in SituationInput
	if err := s.decodeBody(c, &in); err != nil {
		return err
	}
	b, err := s.loadBeneficiary(c)
	if err != nil {
		return err
	}
	p := principal(c)
	now := s.now()
	sit := pathways.Situation{
		ID: ids.New("sit"), OrganisationID: p.OrganisationID, BeneficiaryID: b.ID,
		Kind: in.Kind, Start: in.Start, End: in.End, DurationMonths: in.DurationMonths, ExitReason: in.ExitReason,
		Employer: in.Employer, Note: in.Note, RecordedAt: now, RecordedBy: p.UserID,
	}
	if err := sit.Validate(); err != nil {
		return err
	}
	if err := s.Situations.CreateSituation(c.UserContext(), sit); err != nil {
		return err
	}
	if err := s.audit(c, "update", b.ID); err != nil {
		return err
	}
	c.Location("/api/v1/beneficiaries/" + b.ID + "/situations")
	return c.Status(fiber.StatusCreated).JSON(sit)
}

func (s *Server) listSituations(c *fiber.Ctx) error {
	b, err := s.loadBeneficiary(c)
	if err != nil {
		return err
	}
	list, err := s.Situations.Situations(c.UserContext(), b.OrganisationID, b.ID)
	if err != nil {
		return err
	}
	if err := s.audit(c, "read", b.ID); err != nil {
		return err
	}
	out := page[pathways.Situation]{Items: list}
	fillSlices(&out)
	return c.JSON(out)
}

// notifyBeneficiary tells the change notifier, if any, that a beneficiary
// changed; call it after a create or a patch is stored.
func (s *Server) notifyBeneficiary(c *fiber.Ctx, id string) {
	if s.Changes != nil {
		s.Changes.BeneficiaryChanged(c.UserContext(), principal(c).OrganisationID, id)
	}
}

// notifyOpportunity tells the change notifier, if any, that an opportunity
// changed; call it after a create, a patch or a close is stored.
func (s *Server) notifyOpportunity(c *fiber.Ctx, id string) {
	if s.Changes != nil {
		s.Changes.OpportunityChanged(c.UserContext(), principal(c).OrganisationID, id)
	}
}
