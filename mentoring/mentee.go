package mentoring

import (
	"encoding/json"
	"time"

	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/pathways"
	"github.com/parcours-emploi/parcours/proposals"
)

// MenteeView is all a mentor sees of a beneficiary: what co-training needs
// and nothing more. Protection status, birth date, address, notes, barriers,
// diplomas' countries and the last name never appear: the first name is
// enough to meet, and the last name adds identification without use (data
// minimisation, GDPR art. 5).
type MenteeView struct {
	FirstName string
	Languages []string
	Interests []string
	Skills    []string
	// Project is the professional project: target ROME codes and its text.
	Project MenteeProject
	French  MenteeFrench
	// Availability is when the mentee can meet; free-text constraints
	// (health, childcare) are left out.
	Availability MenteeAvailability
	// PastTrades are the trades practised before (the country where is
	// left out: it would tell where the person comes from).
	PastTrades []MenteeTrade
	// Commune is the town the mentee lives in, to plan meetings; never the
	// street or the postcode.
	Commune string
}

// MenteeTrade is a trade practised before, as a mentor sees it.
type MenteeTrade struct {
	ROME  string
	Title string
	Years int
}

// MenteeProject is the professional project as a mentor sees it.
type MenteeProject struct {
	TargetROME  []string
	Description string
}

// MenteeFrench is the French level per language skill.
type MenteeFrench struct {
	OralComprehension    string
	WrittenComprehension string
	OralProduction       string
	WrittenProduction    string
}

// MenteeAvailability is when a mentee is free.
type MenteeAvailability struct {
	From         civil.Date
	HoursPerWeek int
	Days         []string
}

// ToMenteeView copies the fields a mentor may see from b, one by one; a
// field added to Beneficiary stays hidden until added here on purpose.
func ToMenteeView(b pathways.Beneficiary) MenteeView {
	v := MenteeView{
		FirstName: b.FirstName,
		Languages: append([]string{}, b.Languages...),
		Interests: append([]string{}, b.Interests...),
		Skills:    []string{},
		Project:   MenteeProject{TargetROME: append([]string{}, b.Project.TargetROME...), Description: b.Project.Description},
		French: MenteeFrench{
			OralComprehension: b.French.OralComprehension, WrittenComprehension: b.French.WrittenComprehension,
			OralProduction: b.French.OralProduction, WrittenProduction: b.French.WrittenProduction,
		},
		Availability: MenteeAvailability{From: b.Availability.From, HoursPerWeek: b.Availability.HoursPerWeek, Days: append([]string{}, b.Availability.Days...)},
		PastTrades:   []MenteeTrade{},
		Commune:      b.Address.City,
	}
	for _, j := range b.PastJobs {
		v.PastTrades = append(v.PastTrades, MenteeTrade{ROME: j.ROME, Title: j.Title, Years: j.Years})
	}
	for _, s := range b.Skills {
		switch {
		case s.Label != "":
			v.Skills = append(v.Skills, s.Label)
		case s.ROME != "":
			v.Skills = append(v.Skills, s.ROME)
		}
	}
	return v
}

// MentorProposal is a proposal as its mentor sees it.
type MentorProposal struct {
	ID    string
	State proposals.State
	Score float64
	// Explanation is the engine's evaluation that produced the proposal.
	Explanation   json.RawMessage
	Mentee        MenteeView
	SentAt        *time.Time
	ExpiresAt     *time.Time
	DeclineReason string
	// AvailableFrom is the day the mentor said they are available again.
	AvailableFrom civil.Date
	// MentorshipID is set once the proposal is accepted.
	MentorshipID string
}

// ToMentorProposal builds the mentor's view of p about the beneficiary b.
func ToMentorProposal(p proposals.Proposal, b pathways.Beneficiary) MentorProposal {
	v := MentorProposal{
		ID: p.ID, State: p.State, Score: p.Score, Explanation: p.Explanation, Mentee: ToMenteeView(b),
		ExpiresAt: p.ExpiresAt, DeclineReason: p.DeclineReason, AvailableFrom: p.AvailableFrom,
	}
	if at, ok := p.SentAt(); ok {
		v.SentAt = &at
	}
	return v
}

// MentorMentorship is a mentorship as its mentor sees it.
type MentorMentorship struct {
	Mentorship
	Mentee MenteeView
}
