package httpapi

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/pathways"
)

// SituationInput is the body of POST /beneficiaries/{id}/situations.
type SituationInput struct {
	Kind           string     `json:"kind" validate:"required,oneof=cdi cdd interim subsidised-contract business-creation public-sector insertion-hire qualifying-training pre-qualifying-training fle-training internship alternance job-search programme-exit housing"`
	Start          civil.Date `json:"startDate" validate:"required,date"`
	End            civil.Date `json:"endDate" validate:"omitempty,date"`
	DurationMonths int        `json:"durationMonths" validate:"min=0,max=120"`
	ExitReason     string     `json:"exitReason" validate:"omitempty,oneof=success re-orientation drop-out exclusion moved end-of-programme other"`
	// Tenure is a housing's: social-landlord, private-landlord, intermediation, cph, chrs, emergency, hosted or other.
	Tenure   string `json:"tenure" validate:"omitempty,oneof=social-landlord private-landlord intermediation cph chrs emergency hosted other"`
	Employer string `json:"employer" validate:"max=200"`
	Note     string `json:"note" validate:"max=2000"`
}

// Situation is one dated situation of a beneficiary, as the API answers it.
type Situation struct {
	ID             string     `json:"id"`
	OrganisationID string     `json:"organisationId"`
	BeneficiaryID  string     `json:"beneficiaryId"`
	Kind           string     `json:"kind"`
	Start          civil.Date `json:"startDate"`
	End            civil.Date `json:"endDate,omitempty"`
	DurationMonths int        `json:"durationMonths,omitempty"`
	ExitReason     string     `json:"exitReason,omitempty"`
	Tenure         string     `json:"tenure,omitempty"`
	Employer       string     `json:"employer,omitempty"`
	Note           string     `json:"note,omitempty"`
	RecordedAt     time.Time  `json:"recordedAt"`
	RecordedBy     string     `json:"recordedBy"`
}

func toSituation(s pathways.Situation) Situation {
	return Situation{ID: s.ID, OrganisationID: s.OrganisationID, BeneficiaryID: s.BeneficiaryID, Kind: string(s.Kind),
		Start: s.Start, End: s.End, DurationMonths: s.DurationMonths, ExitReason: s.ExitReason, Tenure: s.Tenure, Employer: s.Employer,
		Note: s.Note, RecordedAt: s.RecordedAt, RecordedBy: s.RecordedBy}
}

// Situation is the situation the input describes.
func (in SituationInput) Situation() pathways.Situation {
	return pathways.Situation{Kind: pathways.SituationKind(in.Kind), Start: in.Start, End: in.End, DurationMonths: in.DurationMonths,
		ExitReason: in.ExitReason, Tenure: in.Tenure, Employer: in.Employer, Note: in.Note}
}

func (s *Server) createSituation(c *fiber.Ctx) error {
	var in SituationInput
	if err := s.decodeBody(c, &in); err != nil {
		return err
	}
	sit, err := s.svc.Beneficiaries.RecordSituation(c.UserContext(), principal(c), c.Params("id"), in.Situation())
	if err != nil {
		return err
	}
	c.Location("/api/v1/beneficiaries/" + sit.BeneficiaryID + "/situations")
	return c.Status(fiber.StatusCreated).JSON(toSituation(sit))
}

func (s *Server) listSituations(c *fiber.Ctx) error {
	list, err := s.svc.Beneficiaries.ListSituations(c.UserContext(), principal(c), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(page[Situation]{Items: convert(list, toSituation)})
}
