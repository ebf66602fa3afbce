package httpapi

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/pathways"
)

// SituationInput is the body of POST /beneficiaries/{id}/situations.
type SituationInput struct {
	Kind           string     `json:"kind" validate:"required,oneof=cdi cdd interim subsidised-contract business-creation public-sector insertion-hire qualifying-training pre-qualifying-training fle-training internship alternance pmsmp job-search programme-exit housing"`
	Start          civil.Date `json:"startDate" validate:"required,date"`
	End            civil.Date `json:"endDate" validate:"omitempty,date"`
	DurationMonths int        `json:"durationMonths" validate:"min=0,max=120"`
	ExitReason     string     `json:"exitReason" validate:"omitempty,oneof=success re-orientation drop-out exclusion moved deceased end-of-programme other"`
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
	// EndReason says why an adviser ended the situation.
	EndReason string `json:"endReason,omitempty"`
	// Voided is set when the situation was recorded by mistake: nothing counts it.
	Voided *Stamp `json:"voided,omitempty"`
	// History lists the changes made since it was recorded, each with the values it replaced.
	History []Revision `json:"history"`
}

// Stamp says who did something, when and why.
type Stamp struct {
	At     time.Time `json:"at"`
	By     string    `json:"by"`
	Reason string    `json:"reason"`
}

// Revision is one change made to a situation, with the values it had before.
type Revision struct {
	Action   string          `json:"action"`
	At       time.Time       `json:"at"`
	By       string          `json:"by"`
	Reason   string          `json:"reason"`
	Previous SituationValues `json:"previous"`
}

// SituationValues are the values of a situation a revision replaced.
type SituationValues struct {
	Kind           string     `json:"kind"`
	Start          civil.Date `json:"startDate"`
	End            civil.Date `json:"endDate,omitempty"`
	DurationMonths int        `json:"durationMonths,omitempty"`
	ExitReason     string     `json:"exitReason,omitempty"`
	Tenure         string     `json:"tenure,omitempty"`
	Employer       string     `json:"employer,omitempty"`
	Note           string     `json:"note,omitempty"`
	EndReason      string     `json:"endReason,omitempty"`
}

// EndSituationInput ends a situation early.
type EndSituationInput struct {
	End    civil.Date `json:"endDate" validate:"required,date"`
	Reason string     `json:"reason" validate:"required,max=500"`
}

// CorrectionInput replaces the values of a situation, with the reason.
type CorrectionInput struct {
	SituationInput
	Reason string `json:"reason" validate:"required,max=500"`
}

// VoidInput says why a situation was recorded by mistake.
type VoidInput struct {
	Reason string `json:"reason" validate:"required,max=500"`
}

func toSituation(s pathways.Situation) Situation {
	out := Situation{ID: s.ID, OrganisationID: s.OrganisationID, BeneficiaryID: s.BeneficiaryID, Kind: string(s.Kind),
		Start: s.Start, End: s.End, DurationMonths: s.DurationMonths, ExitReason: s.ExitReason, Tenure: s.Tenure, Employer: s.Employer,
		Note: s.Note, RecordedAt: s.RecordedAt, RecordedBy: s.RecordedBy, EndReason: s.EndReason,
		History: convert(s.History, func(r pathways.Revision) Revision {
			v := r.Previous
			return Revision{Action: r.Action, At: r.At, By: r.By, Reason: r.Reason, Previous: SituationValues{Kind: string(v.Kind), Start: v.Start,
				End: v.End, DurationMonths: v.DurationMonths, ExitReason: v.ExitReason, Tenure: v.Tenure, Employer: v.Employer, Note: v.Note, EndReason: v.EndReason}}
		})}
	if v := s.Voided; v != nil {
		out.Voided = &Stamp{At: v.At, By: v.By, Reason: v.Reason}
	}
	return out
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

func (s *Server) endSituation(c *fiber.Ctx) error {
	var in EndSituationInput
	if err := s.decodeBody(c, &in); err != nil {
		return err
	}
	sit, err := s.svc.Beneficiaries.EndSituation(c.UserContext(), principal(c), c.Params("id"), c.Params("situationId"), in.End, in.Reason)
	if err != nil {
		return err
	}
	return c.JSON(toSituation(sit))
}

func (s *Server) correctSituation(c *fiber.Ctx) error {
	var in CorrectionInput
	if err := s.decodeBody(c, &in); err != nil {
		return err
	}
	sit, err := s.svc.Beneficiaries.CorrectSituation(c.UserContext(), principal(c), c.Params("id"), c.Params("situationId"), in.Situation().Values(), in.Reason)
	if err != nil {
		return err
	}
	return c.JSON(toSituation(sit))
}

func (s *Server) voidSituation(c *fiber.Ctx) error {
	var in VoidInput
	if err := s.decodeBody(c, &in); err != nil {
		return err
	}
	sit, err := s.svc.Beneficiaries.VoidSituation(c.UserContext(), principal(c), c.Params("id"), c.Params("situationId"), in.Reason)
	if err != nil {
		return err
	}
	return c.JSON(toSituation(sit))
}
