package httpapi

import (
	"encoding/json"

	"github.com/gofiber/fiber/v2"

	"github.com/parcours-emploi/parcours/access"
	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/ids"
	"github.com/parcours-emploi/parcours/pathways"
)

// BeneficiaryInput is the body of POST /beneficiaries, and the shape a PATCH
// merge patch applies to.
type BeneficiaryInput struct {
	FirstName    string                `json:"firstName" validate:"required,max=100"`
	LastName     string                `json:"lastName" validate:"required,max=100"`
	BirthDate    civil.Date            `json:"birthDate" validate:"required,date"`
	Protection   pathways.Protection   `json:"protection" validate:"required,oneof=refugee subsidiary-protection bpi-family-member"`
	Enrolment    pathways.Enrolment    `json:"enrolment"`
	Department   string                `json:"department" validate:"required,departement"`
	Address      pathways.Address      `json:"address"`
	French       pathways.French       `json:"french"`
	Diplomas     []pathways.Diploma    `json:"diplomas" validate:"max=20,dive"`
	Skills       []pathways.Skill      `json:"skills" validate:"max=50,dive"`
	PastJobs     []pathways.PastJob    `json:"pastJobs" validate:"max=30,dive"`
	Project      pathways.Project      `json:"project"`
	Availability pathways.Availability `json:"availability"`
	Mobility     pathways.Mobility     `json:"mobility"`
	Barriers     []pathways.Barrier    `json:"barriers" validate:"max=7,unique,dive,oneof=mobility health childcare housing digital administrative language"`
	Languages    []string              `json:"languages" validate:"max=10,dive,required,max=20"`
	Interests    []string              `json:"interests" validate:"max=20,dive,required,max=100"`
	ConsentAt    civil.Date            `json:"consentDate" validate:"required,date"`
	Notes        string                `json:"notes" validate:"max=10000"`
}

func toBeneficiaryInput(b pathways.Beneficiary) BeneficiaryInput {
	return BeneficiaryInput{
		FirstName: b.FirstName, LastName: b.LastName, BirthDate: b.BirthDate, Protection: b.Protection,
		Enrolment: b.Enrolment, Department: b.Department, Address: b.Address, French: b.French,
		Diplomas: b.Diplomas, Skills: b.Skills, PastJobs: b.PastJobs, Project: b.Project,
		Availability: b.Availability, Mobility: b.Mobility, Barriers: b.Barriers, ConsentAt: b.ConsentAt, Notes: b.Notes,
		Languages: b.Languages, Interests: b.Interests,
	}
}

// applyBeneficiaryInput returns b with the input's values.
func applyBeneficiaryInput(b pathways.Beneficiary, in BeneficiaryInput) pathways.Beneficiary {
	b.FirstName, b.LastName, b.BirthDate, b.Protection = in.FirstName, in.LastName, in.BirthDate, in.Protection
	b.Enrolment, b.Department, b.Address, b.French = in.Enrolment, in.Department, in.Address, in.French
	b.Diplomas, b.Skills, b.PastJobs, b.Project = in.Diplomas, in.Skills, in.PastJobs, in.Project
	b.Availability, b.Mobility, b.Barriers, b.ConsentAt, b.Notes = in.Availability, in.Mobility, in.Barriers, in.ConsentAt, in.Notes
	b.Languages, b.Interests = in.Languages, in.Interests
	fillSlices(&b)
	return b
}

// BeneficiaryQuery filters GET /beneficiaries.
type BeneficiaryQuery struct {
	Programme  string `query:"programme"`
	Cohort     string `query:"cohort"`
	Department string `query:"department"`
	Referent   string `query:"referent"`
	Cursor     string `query:"cursor"`
	Limit      int    `query:"limit"`
}

func (s *Server) createBeneficiary(c *fiber.Ctx) error {
	var in BeneficiaryInput
	if err := s.decodeBody(c, &in); err != nil {
		return err
	}
	p := principal(c)
	if err := s.checkReferents(c, p, in.Enrolment.Referents); err != nil {
		return err
	}
	now := s.now()
	b := applyBeneficiaryInput(pathways.Beneficiary{
		ID: ids.New("ben"), OrganisationID: p.OrganisationID, CreatedAt: now, UpdatedAt: now, Version: 1,
	}, in)
	if err := s.Beneficiaries.CreateBeneficiary(c.UserContext(), b); err != nil {
		return err
	}
	if err := s.audit(c, "create", b.ID); err != nil {
		return err
	}
	s.notifyBeneficiary(c, b.ID)
	c.Location("/api/v1/beneficiaries/" + b.ID)
	return sendRecord(c, fiber.StatusCreated, b.Version, b)
}

// checkReferents answers 422 unless every referent is an adviser or a
// coordinator of the caller's organisation.
func (s *Server) checkReferents(c *fiber.Ctx, p access.Principal, referents []string) error {
	var bad []apperr.FieldError
	for i, id := range referents {
		u, err := s.Access.User(c.UserContext(), id)
		if err != nil && !apperr.Is(err, apperr.NotFound) {
			return err
		}
		if err != nil || u.OrganisationID != p.OrganisationID || (u.Role != access.Adviser && u.Role != access.Coordinator) {
			bad = append(bad, apperr.FieldError{Pointer: "/enrolment/referents/" + itoa(i),
				Detail: pick(language(c), "No adviser of your organisation has this id.", "Aucun conseiller de votre organisation n'a cet identifiant.")})
		}
	}
	if len(bad) > 0 {
		return apperr.Invalidf(bad, "Unknown referents.")
	}
	return nil
}

// loadBeneficiary returns the caller's organisation's live record, or 404.
func (s *Server) loadBeneficiary(c *fiber.Ctx) (pathways.Beneficiary, error) {
	b, err := s.Beneficiaries.Beneficiary(c.UserContext(), principal(c).OrganisationID, c.Params("id"))
	if err != nil {
		return b, err
	}
	if b.Erased != nil {
		return b, apperr.NotFoundf("beneficiary erased")
	}
	return b, nil
}

func (s *Server) getBeneficiary(c *fiber.Ctx) error {
	b, err := s.loadBeneficiary(c)
	if err != nil {
		return err
	}
	if err := s.audit(c, "read", b.ID); err != nil {
		return err
	}
	return sendRecord(c, fiber.StatusOK, b.Version, b)
}

func (s *Server) listBeneficiaries(c *fiber.Ctx) error {
	limit, err := queryLimit(c)
	if err != nil {
		return err
	}
	list, next, err := s.Beneficiaries.Beneficiaries(c.UserContext(), pathways.Filter{
		OrganisationID: principal(c).OrganisationID,
		Programme:      c.Query("programme"), Cohort: c.Query("cohort"),
		Department: c.Query("department"), Referent: c.Query("referent"),
		After: c.Query("cursor"), Limit: limit,
	})
	if err != nil {
		return err
	}
	out := page[pathways.Summary]{Items: make([]pathways.Summary, len(list)), Next: next}
	for i, b := range list {
		out.Items[i] = b.Summarise()
	}
	return c.JSON(out)
}

func (s *Server) patchBeneficiary(c *fiber.Ctx) error {
	read, err := ifMatch(c)
	if err != nil {
		return err
	}
	b, err := s.loadBeneficiary(c)
	if err != nil {
		return err
	}
	if err := checkVersion(b.Version, read); err != nil {
		return err
	}
	var in BeneficiaryInput
	if err := s.patchInto(c, toBeneficiaryInput(b), &in); err != nil {
		return err
	}
	if err := s.checkReferents(c, principal(c), in.Enrolment.Referents); err != nil {
		return err
	}
	b = applyBeneficiaryInput(b, in)
	b.Version++
	b.UpdatedAt = s.now()
	if err := s.Beneficiaries.ReplaceBeneficiary(c.UserContext(), b); err != nil {
		return err
	}
	if err := s.audit(c, "update", b.ID); err != nil {
		return err
	}
	s.notifyBeneficiary(c, b.ID)
	return sendRecord(c, fiber.StatusOK, b.Version, b)
}

// patchInto applies the request's merge patch to current (an input value)
// and decodes the result strictly into dst, validated.
func (s *Server) patchInto(c *fiber.Ctx, current, dst any) error {
	ct := c.Get(fiber.HeaderContentType)
	if ct == "" {
		return newHTTPError(fiber.StatusUnsupportedMediaType, "Send the patch as application/merge-patch+json or application/json.", "Envoyez le correctif en application/merge-patch+json ou application/json.")
	}
	doc, err := json.Marshal(current)
	if err != nil {
		return err
	}
	merged, err := mergePatch(doc, c.Body())
	if err != nil {
		return err
	}
	return s.decodeJSON(merged, dst, language(c))
}

func (s *Server) eraseBeneficiary(c *fiber.Ctx) error {
	b, err := s.loadBeneficiary(c)
	if err != nil {
		return err
	}
	erased := b.Erase(principal(c).UserID, s.now())
	if err := s.Beneficiaries.ReplaceBeneficiary(c.UserContext(), erased); err != nil {
		return err
	}
	if err := s.audit(c, "erase", b.ID); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// audit records an access to a beneficiary file.
func (s *Server) audit(c *fiber.Ctx, action, id string) error {
	p := principal(c)
	return s.Audit.Audit(c.UserContext(), pathways.AuditEntry{
		At: s.now(), UserID: p.UserID, OrganisationID: p.OrganisationID,
		Action: action, BeneficiaryID: id, RequestID: requestIDOf(c),
	})
}
