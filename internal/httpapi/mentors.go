package httpapi

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/mentoring"
)

// MentorInput is the body of POST /mentors and the shape a PATCH applies to.
type MentorInput struct {
	UserID       string                  `json:"userId" validate:"max=40"`
	FirstName    string                  `json:"firstName" validate:"required,max=100"`
	LastName     string                  `json:"lastName" validate:"required,max=100"`
	Company      string                  `json:"company" validate:"required,max=200"`
	Sector       string                  `json:"sector" validate:"omitempty,max=3"`
	ROME         []string                `json:"rome" validate:"max=10,dive,rome"`
	Skills       []string                `json:"skills" validate:"max=50,dive,required,max=100"`
	Interests    []string                `json:"interests" validate:"max=30,dive,required,max=100"`
	Languages    []string                `json:"languages" validate:"max=20,dive,required,max=40"`
	Capacity     int                     `json:"capacity" validate:"omitempty,min=1,max=10"`
	Availability MentorAvailabilityInput `json:"availability"`
	Place        PlaceInput              `json:"place"`
	TrainedAt    *civil.Date             `json:"trainedAt" validate:"omitempty,date"`
	Status       string                  `json:"status" validate:"omitempty,oneof=active paused inactive"`
}

// MentorAvailabilityInput says when a mentor can meet.
type MentorAvailabilityInput struct {
	HoursPerMonth int      `json:"hoursPerMonth" validate:"min=0,max=100"`
	Days          []string `json:"days" validate:"max=7,unique,dive,oneof=mon tue wed thu fri sat sun"`
	Remote        bool     `json:"remote"`
}

// MentorSelfInput is what a mentor may change of their own profile.
type MentorSelfInput struct {
	Skills       []string                `json:"skills" validate:"max=50,dive,required,max=100"`
	Interests    []string                `json:"interests" validate:"max=30,dive,required,max=100"`
	Languages    []string                `json:"languages" validate:"max=20,dive,required,max=40"`
	Capacity     int                     `json:"capacity" validate:"omitempty,min=1,max=10"`
	Availability MentorAvailabilityInput `json:"availability"`
	Status       string                  `json:"status" validate:"omitempty,oneof=active paused"`
}

// Mentor is a mentor's profile as the API answers it.
type Mentor struct {
	ID             string                  `json:"id"`
	OrganisationID string                  `json:"organisationId"`
	UserID         string                  `json:"userId,omitempty"`
	FirstName      string                  `json:"firstName"`
	LastName       string                  `json:"lastName"`
	Company        string                  `json:"company"`
	Sector         string                  `json:"sector"`
	ROME           []string                `json:"rome"`
	Skills         []string                `json:"skills"`
	Interests      []string                `json:"interests"`
	Languages      []string                `json:"languages"`
	Capacity       int                     `json:"capacity"`
	Active         int                     `json:"activeMentees"`
	Availability   MentorAvailabilityInput `json:"availability"`
	Place          PlaceInput              `json:"place"`
	TrainedAt      *civil.Date             `json:"trainedAt,omitempty"`
	Status         string                  `json:"status"`
	CreatedAt      time.Time               `json:"createdAt"`
	UpdatedAt      time.Time               `json:"updatedAt"`
	Version        int64                   `json:"version"`
}

// MentorQuery filters GET /mentors.
type MentorQuery struct {
	Status     string `query:"status"`
	Department string `query:"department"`
	Cursor     string `query:"cursor"`
	Limit      int    `query:"limit"`
}

func toAvailability(a MentorAvailabilityInput) mentoring.MentorAvailability {
	return mentoring.MentorAvailability{HoursPerMonth: a.HoursPerMonth, Days: orEmpty(a.Days), Remote: a.Remote}
}

func fromAvailability(a mentoring.MentorAvailability) MentorAvailabilityInput {
	return MentorAvailabilityInput{HoursPerMonth: a.HoursPerMonth, Days: orEmpty(a.Days), Remote: a.Remote}
}

// Apply writes the input's values into m.
func (in MentorInput) Apply(m *mentoring.Mentor) {
	m.UserID, m.FirstName, m.LastName, m.Company, m.Sector = in.UserID, in.FirstName, in.LastName, in.Company, in.Sector
	m.ROME, m.Skills, m.Interests, m.Languages = orEmpty(in.ROME), orEmpty(in.Skills), orEmpty(in.Interests), orEmpty(in.Languages)
	m.Capacity, m.Availability, m.Place = in.Capacity, toAvailability(in.Availability), toPlace(in.Place)
	m.TrainedAt, m.Status = in.TrainedAt, mentoring.MentorStatus(in.Status)
}

func toMentorInput(m mentoring.Mentor) MentorInput {
	return MentorInput{
		UserID: m.UserID, FirstName: m.FirstName, LastName: m.LastName, Company: m.Company, Sector: m.Sector,
		ROME: orEmpty(m.ROME), Skills: orEmpty(m.Skills), Interests: orEmpty(m.Interests), Languages: orEmpty(m.Languages),
		Capacity: m.Capacity, Availability: fromAvailability(m.Availability), Place: fromPlace(m.Place),
		TrainedAt: m.TrainedAt, Status: string(m.Status),
	}
}

func toMentor(m mentoring.Mentor) Mentor {
	in := toMentorInput(m)
	return Mentor{
		ID: m.ID, OrganisationID: m.OrganisationID, UserID: m.UserID, FirstName: m.FirstName, LastName: m.LastName,
		Company: m.Company, Sector: m.Sector, ROME: in.ROME, Skills: in.Skills, Interests: in.Interests, Languages: in.Languages,
		Capacity: m.Capacity, Active: m.Active, Availability: in.Availability, Place: in.Place, TrainedAt: m.TrainedAt,
		Status: string(m.Status), CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt, Version: m.Version,
	}
}

func (s *Server) createMentor(c *fiber.Ctx) error {
	var in MentorInput
	if err := s.decodeBody(c, &in); err != nil {
		return err
	}
	var m mentoring.Mentor
	in.Apply(&m)
	m, err := s.svc.Mentoring.CreateMentor(c.UserContext(), principal(c), m)
	if err != nil {
		return err
	}
	c.Location("/api/v1/mentors/" + m.ID)
	return sendRecord(c, fiber.StatusCreated, m.Version, toMentor(m))
}

func (s *Server) getMentor(c *fiber.Ctx) error {
	m, err := s.svc.Mentoring.Mentor(c.UserContext(), principal(c), c.Params("id"))
	if err != nil {
		return err
	}
	return sendRecord(c, fiber.StatusOK, m.Version, toMentor(m))
}

func (s *Server) listMentors(c *fiber.Ctx) error {
	limit, err := queryLimit(c)
	if err != nil {
		return err
	}
	f := mentoring.MentorFilter{Status: mentoring.MentorStatus(c.Query("status")), Department: c.Query("department"),
		After: c.Query("cursor"), Limit: limit}
	if err := s.valid.checkQuery(language(c), map[string]queryRule{
		"status": {string(f.Status), "omitempty,oneof=active paused inactive"}, "department": {f.Department, "omitempty,departement"},
	}); err != nil {
		return err
	}
	list, next, err := s.svc.Mentoring.ListMentors(c.UserContext(), principal(c), f)
	if err != nil {
		return err
	}
	return c.JSON(page[Mentor]{Items: convert(list, toMentor), Next: next})
}

func (s *Server) patchMentor(c *fiber.Ctx) error {
	read, err := ifMatch(c)
	if err != nil {
		return err
	}
	if read, err = versionOr(read, func() (int64, error) {
		m, err := s.svc.Mentoring.Mentor(c.UserContext(), principal(c), c.Params("id"))
		return m.Version, err
	}); err != nil {
		return err
	}
	m, err := s.svc.Mentoring.UpdateMentor(c.UserContext(), principal(c), c.Params("id"), read, func(m *mentoring.Mentor) error {
		var in MentorInput
		if err := s.patchInto(c, toMentorInput(*m), &in); err != nil {
			return err
		}
		in.Apply(m)
		return nil
	})
	if err != nil {
		return err
	}
	return sendRecord(c, fiber.StatusOK, m.Version, toMentor(m))
}

func (s *Server) getMyMentor(c *fiber.Ctx) error {
	m, err := s.svc.Mentoring.Own(c.UserContext(), principal(c))
	if err != nil {
		return err
	}
	return sendRecord(c, fiber.StatusOK, m.Version, toMentor(m))
}

func (s *Server) patchMyMentor(c *fiber.Ctx) error {
	read, err := ifMatch(c)
	if err != nil {
		return err
	}
	ctx, who := c.UserContext(), principal(c)
	m, err := s.svc.Mentoring.Own(ctx, who)
	if err != nil {
		return err
	}
	if read == anyVersion {
		read = m.Version
	}
	if m.Version != read {
		return apperr.Stale()
	}
	cur := MentorSelfInput{Skills: orEmpty(m.Skills), Interests: orEmpty(m.Interests), Languages: orEmpty(m.Languages),
		Capacity: m.Capacity, Availability: fromAvailability(m.Availability), Status: string(m.Status)}
	if m.Status == mentoring.MentorInactive {
		cur.Status = ""
	}
	var in MentorSelfInput
	if err := s.patchInto(c, cur, &in); err != nil {
		return err
	}
	m, err = s.svc.Mentoring.UpdateOwn(ctx, who, read, mentoring.OwnChange{
		Skills: orEmpty(in.Skills), Interests: orEmpty(in.Interests), Languages: orEmpty(in.Languages), Capacity: in.Capacity,
		Availability: toAvailability(in.Availability), Status: mentoring.MentorStatus(in.Status),
	})
	if err != nil {
		return err
	}
	return sendRecord(c, fiber.StatusOK, m.Version, toMentor(m))
}
