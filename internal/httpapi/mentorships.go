package httpapi

import (
	"github.com/gofiber/fiber/v2"

	"github.com/parcours-emploi/parcours/access"
	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/mentoring"
)

// CheckInInput is the body of POST /mentorships/{id}/checkins.
type CheckInInput struct {
	Date     civil.Date `json:"date" validate:"required,date"`
	Minutes  int        `json:"minutes" validate:"required,min=5,max=600"`
	Topics   []string   `json:"topics" validate:"max=10,dive,required,max=200"`
	NextStep string     `json:"nextStep" validate:"max=1000"`
}

// EndInput is the body of POST /mentorships/{id}/end.
type EndInput struct {
	Reason string `json:"reason" validate:"required,oneof=completed job-found dropped-out rematch"`
}

// MentorshipQuery filters GET /mentorships.
type MentorshipQuery struct {
	MentorID      string `query:"mentorId"`
	BeneficiaryID string `query:"beneficiaryId"`
	State         string `query:"state"`
	Cursor        string `query:"cursor"`
	Limit         int    `query:"limit"`
}

// MyMentorshipQuery filters GET /mentors/me/mentorships.
type MyMentorshipQuery struct {
	State  string `query:"state"`
	Cursor string `query:"cursor"`
	Limit  int    `query:"limit"`
}

const mentorshipStates = "active ended"

// mentorship returns a mentorship the caller may act on: any of the
// organisation's for staff, their own for a mentor; otherwise NotFound.
// Pending and cancelled ones are steps of an acceptance, never shown.
func (s *Server) mentorship(c *fiber.Ctx) (mentoring.Mentorship, error) {
	p := principal(c)
	ms, err := s.Mentorships.Mentorship(c.UserContext(), p.OrganisationID, c.Params("id"))
	if err != nil {
		return ms, err
	}
	if ms.State != mentoring.MentorshipActive && ms.State != mentoring.MentorshipEnded {
		return mentoring.Mentorship{}, apperr.NotFoundf("mentorship %s", ms.ID)
	}
	if p.Role == access.Mentor {
		m, err := s.myMentor(c)
		if err != nil {
			return mentoring.Mentorship{}, err
		}
		if ms.MentorID != m.ID {
			return mentoring.Mentorship{}, apperr.NotFoundf("mentorship %s", ms.ID)
		}
	}
	return ms, nil
}

func (s *Server) getMentorship(c *fiber.Ctx) error {
	ms, err := s.mentorship(c)
	if err != nil {
		return err
	}
	return sendRecord(c, fiber.StatusOK, ms.Version, ms.WithFollowUp(s.now()))
}

func (s *Server) listMentorships(c *fiber.Ctx) error {
	limit, err := queryLimit(c)
	if err != nil {
		return err
	}
	f := mentoring.MentorshipFilter{OrganisationID: principal(c).OrganisationID, MentorID: c.Query("mentorId"),
		BeneficiaryID: c.Query("beneficiaryId"), After: c.Query("cursor"), Limit: limit}
	state := c.Query("state")
	if err := s.valid.checkQuery(language(c), map[string]queryRule{"state": {state, "omitempty,oneof=" + mentorshipStates},
		"mentorId": {f.MentorID, "max=64"}, "beneficiaryId": {f.BeneficiaryID, "max=64"}}); err != nil {
		return err
	}
	f.States = shownStates(state)
	list, next, err := s.Mentorships.Mentorships(c.UserContext(), f)
	if err != nil {
		return err
	}
	now := s.now()
	out := page[mentoring.Mentorship]{Items: make([]mentoring.Mentorship, len(list)), Next: next}
	for i, ms := range list {
		out.Items[i] = ms.WithFollowUp(now)
	}
	return c.JSON(out)
}

func shownStates(state string) []mentoring.MentorshipState {
	if state != "" {
		return []mentoring.MentorshipState{mentoring.MentorshipState(state)}
	}
	return []mentoring.MentorshipState{mentoring.MentorshipActive, mentoring.MentorshipEnded}
}

func (s *Server) listMyMentorships(c *fiber.Ctx) error {
	limit, err := queryLimit(c)
	if err != nil {
		return err
	}
	state := c.Query("state")
	if err := s.valid.checkQuery(language(c), map[string]queryRule{"state": {state, "omitempty,oneof=" + mentorshipStates}}); err != nil {
		return err
	}
	m, err := s.myMentor(c)
	if err != nil {
		return err
	}
	list, next, err := s.Mentorships.Mentorships(c.UserContext(), mentoring.MentorshipFilter{OrganisationID: m.OrganisationID,
		MentorID: m.ID, States: shownStates(state), After: c.Query("cursor"), Limit: limit})
	if err != nil {
		return err
	}
	now := s.now()
	out := page[mentoring.MentorMentorship]{Items: make([]mentoring.MentorMentorship, 0, len(list)), Next: next}
	for _, ms := range list {
		b, err := s.Beneficiaries.Beneficiary(c.UserContext(), ms.OrganisationID, ms.BeneficiaryID)
		if err != nil {
			return err
		}
		if err := s.audit(c, "mentee-view", b.ID); err != nil {
			return err
		}
		out.Items = append(out.Items, mentoring.MentorMentorship{Mentorship: ms.WithFollowUp(now), Mentee: mentoring.ToMenteeView(b)})
	}
	return c.JSON(out)
}

func (s *Server) addCheckIn(c *fiber.Ctx) error {
	var in CheckInInput
	if err := s.decodeBody(c, &in); err != nil {
		return err
	}
	ms, err := s.mentorship(c)
	if err != nil {
		return err
	}
	now := s.now()
	if in.Date > civil.Of(now) {
		return apperr.Invalidf([]apperr.FieldError{{Pointer: "/date", Detail: pick(language(c),
			"A check-in is logged after it happened: the date cannot be in the future.",
			"Un point de suivi s'enregistre une fois passé : la date ne peut pas être future.")}}, "Bad date.")
	}
	if in.Topics == nil {
		in.Topics = []string{}
	}
	next, err := s.mentoringService().CheckIn(c.UserContext(), ms.OrganisationID, ms.ID, mentoring.CheckIn{
		Date: in.Date, Minutes: in.Minutes, Topics: in.Topics, NextStep: in.NextStep, By: principal(c).UserID,
	}, now)
	if err != nil {
		return err
	}
	return sendRecord(c, fiber.StatusCreated, next.Version, next)
}

func (s *Server) endMentorship(c *fiber.Ctx) error {
	var in EndInput
	if err := s.decodeBody(c, &in); err != nil {
		return err
	}
	ms, err := s.mentorship(c)
	if err != nil {
		return err
	}
	next, err := s.mentoringService().End(c.UserContext(), ms.OrganisationID, ms.ID, mentoring.EndReason(in.Reason), principal(c).UserID, s.now())
	if err != nil {
		return err
	}
	return sendRecord(c, fiber.StatusOK, next.Version, next)
}
