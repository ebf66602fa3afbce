package httpapi

import (
	"encoding/json"
	"time"

	"github.com/gofiber/fiber/v2"

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
	// Comment says more, if one wants: read by the staff.
	Comment string `json:"comment" validate:"max=500"`
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

// Mentorship is a mentor following a beneficiary, as the API answers it.
type Mentorship struct {
	ID             string     `json:"id"`
	OrganisationID string     `json:"organisationId"`
	ProposalID     string     `json:"proposalId"`
	MentorID       string     `json:"mentorId"`
	BeneficiaryID  string     `json:"beneficiaryId"`
	State          string     `json:"state"`
	StartedOn      civil.Date `json:"startedOn"`
	EndsOn         civil.Date `json:"endsOn"`
	CheckIns       []CheckIn  `json:"checkIns"`
	EndedOn        civil.Date `json:"endedOn,omitempty"`
	EndReason      string     `json:"endReason,omitempty"`
	EndComment     string     `json:"endComment,omitempty"`
	EndedBy        string     `json:"endedBy,omitempty"`
	// FollowUp is "alert" when the pair met too little lately.
	FollowUp  string    `json:"followUp,omitempty"`
	CreatedAt time.Time `json:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt"`
	Version   int64     `json:"version"`
}

// CheckIn is one meeting of a pair.
type CheckIn struct {
	ID       string     `json:"id"`
	Date     civil.Date `json:"date"`
	Minutes  int        `json:"minutes"`
	Topics   []string   `json:"topics"`
	NextStep string     `json:"nextStep"`
	By       string     `json:"by"`
	At       time.Time  `json:"at"`
}

// MenteeView is all a mentor sees of a beneficiary.
type MenteeView struct {
	FirstName    string             `json:"firstName"`
	Languages    []string           `json:"languages"`
	Interests    []string           `json:"interests"`
	Skills       []string           `json:"skills"`
	Project      MenteeProject      `json:"project"`
	French       MenteeFrench       `json:"french"`
	Availability MenteeAvailability `json:"availability"`
	PastTrades   []MenteeTrade      `json:"pastTrades"`
	// Commune is the town the mentee lives in (never the street).
	Commune string `json:"commune,omitempty"`
}

// MenteeTrade is a trade the mentee practised before.
type MenteeTrade struct {
	ROME  string `json:"rome,omitempty"`
	Title string `json:"title,omitempty"`
	Years int    `json:"years,omitempty"`
}

// MenteeProject is the professional project as a mentor sees it.
type MenteeProject struct {
	TargetROME  []string `json:"targetRome"`
	Description string   `json:"description"`
}

// MenteeFrench is the French level per language skill.
type MenteeFrench struct {
	OralComprehension    string `json:"oralComprehension"`
	WrittenComprehension string `json:"writtenComprehension"`
	OralProduction       string `json:"oralProduction"`
	WrittenProduction    string `json:"writtenProduction"`
}

// MenteeAvailability is when a mentee is free.
type MenteeAvailability struct {
	From         civil.Date `json:"from"`
	HoursPerWeek int        `json:"hoursPerWeek"`
	Days         []string   `json:"days"`
}

// MentorProposal is a proposal as its mentor sees it.
type MentorProposal struct {
	ID            string          `json:"id"`
	State         string          `json:"state"`
	Score         float64         `json:"score"`
	Explanation   json.RawMessage `json:"explanation,omitempty"`
	Mentee        MenteeView      `json:"mentee"`
	SentAt        *time.Time      `json:"sentAt,omitempty"`
	ExpiresAt     *time.Time      `json:"expiresAt,omitempty"`
	DeclineReason string          `json:"declineReason,omitempty"`
	// AvailableFrom is the day the mentor said they are available again.
	AvailableFrom civil.Date `json:"availableFrom,omitempty"`
	MentorshipID  string     `json:"mentorshipId,omitempty"`
}

// MentorMentorship is a mentorship as its mentor sees it.
type MentorMentorship struct {
	Mentorship
	Mentee MenteeView `json:"mentee"`
}

// Acceptance answers a mentor's acceptance: the proposal as the mentor sees
// it and the mentorship that begins.
type Acceptance struct {
	Proposal   MentorProposal `json:"proposal"`
	Mentorship Mentorship     `json:"mentorship"`
}

func toMentorship(m mentoring.Mentorship) Mentorship {
	return Mentorship{
		ID: m.ID, OrganisationID: m.OrganisationID, ProposalID: m.ProposalID, MentorID: m.MentorID, BeneficiaryID: m.BeneficiaryID,
		State: string(m.State), StartedOn: m.StartedOn, EndsOn: m.EndsOn,
		CheckIns: convert(m.CheckIns, func(c mentoring.CheckIn) CheckIn {
			return CheckIn{ID: c.ID, Date: c.Date, Minutes: c.Minutes, Topics: orEmpty(c.Topics), NextStep: c.NextStep, By: c.By, At: c.At}
		}),
		EndedOn: m.EndedOn, EndReason: string(m.EndReason), EndComment: m.EndComment, EndedBy: m.EndedBy, FollowUp: string(m.FollowUp),
		CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt, Version: m.Version,
	}
}

func toMenteeView(v mentoring.MenteeView) MenteeView {
	return MenteeView{
		FirstName: v.FirstName, Languages: orEmpty(v.Languages), Interests: orEmpty(v.Interests), Skills: orEmpty(v.Skills),
		Project: MenteeProject{TargetROME: orEmpty(v.Project.TargetROME), Description: v.Project.Description},
		French: MenteeFrench{OralComprehension: v.French.OralComprehension, WrittenComprehension: v.French.WrittenComprehension,
			OralProduction: v.French.OralProduction, WrittenProduction: v.French.WrittenProduction},
		Availability: MenteeAvailability{From: v.Availability.From, HoursPerWeek: v.Availability.HoursPerWeek, Days: orEmpty(v.Availability.Days)},
		PastTrades: convert(v.PastTrades, func(t mentoring.MenteeTrade) MenteeTrade {
			return MenteeTrade{ROME: t.ROME, Title: t.Title, Years: t.Years}
		}),
		Commune: v.Commune,
	}
}

func toMentorProposal(p mentoring.MentorProposal) MentorProposal {
	return MentorProposal{ID: p.ID, State: string(p.State), Score: p.Score, Explanation: p.Explanation, Mentee: toMenteeView(p.Mentee),
		SentAt: p.SentAt, ExpiresAt: p.ExpiresAt, DeclineReason: p.DeclineReason, AvailableFrom: p.AvailableFrom, MentorshipID: p.MentorshipID}
}

func (s *Server) getMentorship(c *fiber.Ctx) error {
	ms, err := s.svc.Mentoring.VisibleMentorship(c.UserContext(), principal(c), c.Params("id"))
	if err != nil {
		return err
	}
	return sendRecord(c, fiber.StatusOK, ms.Version, toMentorship(ms))
}

// mentorshipStates reads the state filter of a mentorship list.
func (s *Server) mentorshipStates(c *fiber.Ctx) ([]mentoring.MentorshipState, error) {
	state := c.Query("state")
	if err := s.valid.checkQuery(language(c), map[string]queryRule{"state": {state, "omitempty,oneof=active ended"}}); err != nil {
		return nil, err
	}
	if state == "" {
		return nil, nil
	}
	return []mentoring.MentorshipState{mentoring.MentorshipState(state)}, nil
}

func (s *Server) listMentorships(c *fiber.Ctx) error {
	limit, err := queryLimit(c)
	if err != nil {
		return err
	}
	f := mentoring.MentorshipFilter{MentorID: c.Query("mentorId"), BeneficiaryID: c.Query("beneficiaryId"), After: c.Query("cursor"), Limit: limit}
	if err := s.valid.checkQuery(language(c), map[string]queryRule{"mentorId": {f.MentorID, "max=64"}, "beneficiaryId": {f.BeneficiaryID, "max=64"}}); err != nil {
		return err
	}
	if f.States, err = s.mentorshipStates(c); err != nil {
		return err
	}
	list, next, err := s.svc.Mentoring.ListMentorships(c.UserContext(), principal(c), f)
	if err != nil {
		return err
	}
	return c.JSON(page[Mentorship]{Items: convert(list, toMentorship), Next: next})
}

func (s *Server) listMyMentorships(c *fiber.Ctx) error {
	limit, err := queryLimit(c)
	if err != nil {
		return err
	}
	states, err := s.mentorshipStates(c)
	if err != nil {
		return err
	}
	list, next, err := s.svc.Mentoring.OwnMentorships(c.UserContext(), principal(c), states, c.Query("cursor"), limit)
	if err != nil {
		return err
	}
	return c.JSON(page[MentorMentorship]{Items: convert(list, func(m mentoring.MentorMentorship) MentorMentorship {
		return MentorMentorship{Mentorship: toMentorship(m.Mentorship), Mentee: toMenteeView(m.Mentee)}
	}), Next: next})
}

func (s *Server) addCheckIn(c *fiber.Ctx) error {
	var in CheckInInput
	if err := s.decodeBody(c, &in); err != nil {
		return err
	}
	ms, err := s.svc.Mentoring.LogCheckIn(c.UserContext(), principal(c), c.Params("id"), mentoring.CheckIn{
		Date: in.Date, Minutes: in.Minutes, Topics: orEmpty(in.Topics), NextStep: in.NextStep,
	})
	if err != nil {
		return err
	}
	return sendRecord(c, fiber.StatusCreated, ms.Version, toMentorship(ms))
}

func (s *Server) endMentorship(c *fiber.Ctx) error {
	var in EndInput
	if err := s.decodeBody(c, &in); err != nil {
		return err
	}
	ms, err := s.svc.Mentoring.EndMentorship(c.UserContext(), principal(c), c.Params("id"), mentoring.EndReason(in.Reason), in.Comment)
	if err != nil {
		return err
	}
	return sendRecord(c, fiber.StatusOK, ms.Version, toMentorship(ms))
}
