package httpapi

import (
	"github.com/gofiber/fiber/v2"

	"github.com/parcours-emploi/parcours/access"
	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/geo"
	"github.com/parcours-emploi/parcours/ids"
	"github.com/parcours-emploi/parcours/mentoring"
)

// MentorInput is the body of POST /mentors and the shape a PATCH applies to.
type MentorInput struct {
	UserID       string                       `json:"userId" validate:"max=40"`
	FirstName    string                       `json:"firstName" validate:"required,max=100"`
	LastName     string                       `json:"lastName" validate:"required,max=100"`
	Company      string                       `json:"company" validate:"required,max=200"`
	Sector       string                       `json:"sector" validate:"omitempty,max=3"`
	ROME         []string                     `json:"rome" validate:"max=10,dive,rome"`
	Skills       []string                     `json:"skills" validate:"max=50,dive,required,max=100"`
	Interests    []string                     `json:"interests" validate:"max=30,dive,required,max=100"`
	Languages    []string                     `json:"languages" validate:"max=20,dive,required,max=40"`
	Capacity     int                          `json:"capacity" validate:"omitempty,min=1,max=10"`
	Availability mentoring.MentorAvailability `json:"availability"`
	Place        geo.Place                    `json:"place"`
	TrainedAt    *civil.Date                  `json:"trainedAt" validate:"omitempty,date"`
	Status       mentoring.MentorStatus       `json:"status" validate:"omitempty,oneof=active paused inactive"`
}

// MentorSelfInput is what a mentor may change of their own profile.
type MentorSelfInput struct {
	Skills       []string                     `json:"skills" validate:"max=50,dive,required,max=100"`
	Interests    []string                     `json:"interests" validate:"max=30,dive,required,max=100"`
	Languages    []string                     `json:"languages" validate:"max=20,dive,required,max=40"`
	Capacity     int                          `json:"capacity" validate:"omitempty,min=1,max=10"`
	Availability mentoring.MentorAvailability `json:"availability"`
	Status       mentoring.MentorStatus       `json:"status" validate:"omitempty,oneof=active paused"`
}

func toMentorInput(m mentoring.Mentor) MentorInput {
	return MentorInput{
		UserID: m.UserID, FirstName: m.FirstName, LastName: m.LastName, Company: m.Company, Sector: m.Sector,
		ROME: m.ROME, Skills: m.Skills, Interests: m.Interests, Languages: m.Languages, Capacity: m.Capacity,
		Availability: m.Availability, Place: m.Place, TrainedAt: m.TrainedAt, Status: m.Status,
	}
}

func applyMentorInput(m mentoring.Mentor, in MentorInput) mentoring.Mentor {
	m.UserID, m.FirstName, m.LastName, m.Company, m.Sector = in.UserID, in.FirstName, in.LastName, in.Company, in.Sector
	m.ROME, m.Skills, m.Interests, m.Languages = in.ROME, in.Skills, in.Interests, in.Languages
	m.Capacity, m.Availability, m.Place, m.TrainedAt, m.Status = in.Capacity, in.Availability, in.Place, in.TrainedAt, in.Status
	if m.Capacity == 0 {
		m.Capacity = 1
	}
	if m.Status == "" {
		m.Status = mentoring.MentorActive
	}
	if m.TrainedAt != nil && m.TrainedAt.IsZero() {
		m.TrainedAt = nil
	}
	fillSlices(&m)
	return m
}

// checkMentorUser answers 422 unless the linked user is a mentor of the organisation.
func (s *Server) checkMentorUser(c *fiber.Ctx, org, userID string) error {
	if userID == "" {
		return nil
	}
	u, err := s.Access.User(c.UserContext(), userID)
	if err != nil && !apperr.Is(err, apperr.NotFound) {
		return err
	}
	if err != nil || u.OrganisationID != org || u.Role != access.Mentor {
		return apperr.Invalidf([]apperr.FieldError{{Pointer: "/userId", Detail: pick(language(c),
			"No user with the mentor role in your organisation has this id.",
			"Aucun utilisateur de votre organisation avec le rôle mentor n'a cet identifiant.")}}, "Unknown user.")
	}
	return nil
}

func (s *Server) createMentor(c *fiber.Ctx) error {
	var in MentorInput
	if err := s.decodeBody(c, &in); err != nil {
		return err
	}
	p := principal(c)
	if err := s.checkMentorUser(c, p.OrganisationID, in.UserID); err != nil {
		return err
	}
	now := s.now()
	m := applyMentorInput(mentoring.Mentor{ID: ids.New("men"), OrganisationID: p.OrganisationID, CreatedAt: now, UpdatedAt: now, Version: 1}, in)
	if err := s.Mentors.CreateMentor(c.UserContext(), m); err != nil {
		if apperr.Is(err, apperr.Conflict) {
			return apperr.Conflictf("This user already has a mentor profile.")
		}
		return err
	}
	c.Location("/api/v1/mentors/" + m.ID)
	return sendRecord(c, fiber.StatusCreated, m.Version, m)
}

func (s *Server) getMentor(c *fiber.Ctx) error {
	m, err := s.Mentors.Mentor(c.UserContext(), principal(c).OrganisationID, c.Params("id"))
	if err != nil {
		return err
	}
	return sendRecord(c, fiber.StatusOK, m.Version, m)
}

func (s *Server) listMentors(c *fiber.Ctx) error {
	limit, err := queryLimit(c)
	if err != nil {
		return err
	}
	f := mentoring.MentorFilter{OrganisationID: principal(c).OrganisationID, Status: mentoring.MentorStatus(c.Query("status")),
		Department: c.Query("department"), After: c.Query("cursor"), Limit: limit}
	if err := s.valid.checkQuery(language(c), map[string]queryRule{
		"status": {string(f.Status), "omitempty,oneof=active paused inactive"}, "department": {f.Department, "omitempty,departement"},
	}); err != nil {
		return err
	}
	list, next, err := s.Mentors.Mentors(c.UserContext(), f)
	if err != nil {
		return err
	}
	if list == nil {
		list = []mentoring.Mentor{}
	}
	return c.JSON(page[mentoring.Mentor]{Items: list, Next: next})
}

func (s *Server) patchMentor(c *fiber.Ctx) error {
	read, err := ifMatch(c)
	if err != nil {
		return err
	}
	p := principal(c)
	m, err := s.Mentors.Mentor(c.UserContext(), p.OrganisationID, c.Params("id"))
	if err != nil {
		return err
	}
	if err := checkVersion(m.Version, read); err != nil {
		return err
	}
	var in MentorInput
	if err := s.patchInto(c, toMentorInput(m), &in); err != nil {
		return err
	}
	if in.UserID != m.UserID {
		if err := s.checkMentorUser(c, p.OrganisationID, in.UserID); err != nil {
			return err
		}
	}
	return s.saveMentor(c, applyMentorInput(m, in))
}

func (s *Server) saveMentor(c *fiber.Ctx, m mentoring.Mentor) error {
	m.Version++
	m.UpdatedAt = s.now()
	if err := s.Mentors.ReplaceMentor(c.UserContext(), m); err != nil {
		return err
	}
	return sendRecord(c, fiber.StatusOK, m.Version, m)
}

// myMentor returns the calling mentor's own profile.
func (s *Server) myMentor(c *fiber.Ctx) (mentoring.Mentor, error) {
	p := principal(c)
	m, err := s.Mentors.MentorByUser(c.UserContext(), p.UserID)
	if err != nil {
		return m, err
	}
	if m.OrganisationID != p.OrganisationID {
		return mentoring.Mentor{}, apperr.NotFoundf("mentor profile")
	}
	return m, nil
}

func (s *Server) getMyMentor(c *fiber.Ctx) error {
	m, err := s.myMentor(c)
	if err != nil {
		return err
	}
	return sendRecord(c, fiber.StatusOK, m.Version, m)
}

func (s *Server) patchMyMentor(c *fiber.Ctx) error {
	read, err := ifMatch(c)
	if err != nil {
		return err
	}
	m, err := s.myMentor(c)
	if err != nil {
		return err
	}
	if err := checkVersion(m.Version, read); err != nil {
		return err
	}
	cur := MentorSelfInput{Skills: m.Skills, Interests: m.Interests, Languages: m.Languages, Capacity: m.Capacity, Availability: m.Availability, Status: m.Status}
	if cur.Status == mentoring.MentorInactive {
		cur.Status = ""
	}
	var in MentorSelfInput
	if err := s.patchInto(c, cur, &in); err != nil {
		return err
	}
	m.Skills, m.Interests, m.Languages, m.Capacity, m.Availability = in.Skills, in.Interests, in.Languages, in.Capacity, in.Availability
	if in.Status != "" {
		m.Status = in.Status
	}
	return s.saveMentor(c, m)
}
