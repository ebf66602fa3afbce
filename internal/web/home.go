package web

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/parcours-emploi/parcours/access"
	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/mentoring"
	"github.com/parcours-emploi/parcours/pathways"
	"github.com/parcours-emploi/parcours/proposals"
)

// proposalRow is a proposal as lists show it.
type proposalRow struct {
	P       proposals.Proposal
	Name    string
	Opening opening
}

type mentorshipRow struct {
	M      mentoring.Mentorship
	Name   string
	Mentor string
}

type homeView struct {
	All          bool
	Pending      []proposalRow
	PendingCount int
	Expiring     []proposalRow
	Alerts       []mentorshipRow
	Horizons     []pathways.DueHorizon
	// FollowUps are the follow-up interviews after exit and the support
	// limits coming near.
	FollowUps []pathways.FollowUp
	// HorizonsTotal counts the horizons due; the page shows the first
	// shownHorizons unless asked for all, with a link to the rest.
	HorizonsTotal int
	AllHorizons   string
}

// shownHorizons is how many horizons due "À traiter" lists at first.
const shownHorizons = 10

// homePage is "À traiter": what waits for the adviser today, each item one
// click from its action. An adviser sees their case-load; "tous" shows the
// organisation's.
func (c *Console) homePage(ctx *fiber.Ctx) error {
	uctx, w := ctx.UserContext(), who(ctx)
	all := ctx.Query("tous") == "1" || w.Role == access.Coordinator
	mine := func(referents []string) bool { return all || contains(referents, w.UserID) }
	now := c.now()
	hv := homeView{All: all}

	open, _, err := c.svc.Proposals.List(uctx, w, proposals.Filter{States: []proposals.State{proposals.Proposed, proposals.Sent}, Limit: 200})
	if err != nil {
		return err
	}
	msh, _, err := c.svc.Mentoring.ListMentorships(uctx, w, mentoring.MentorshipFilter{States: []mentoring.MentorshipState{mentoring.MentorshipActive}, Limit: 200})
	if err != nil {
		return err
	}
	ids := []string{}
	for _, p := range open {
		ids = append(ids, p.BeneficiaryID)
	}
	for _, m := range msh {
		ids = append(ids, m.BeneficiaryID)
	}
	ppl, err := c.people(uctx, w, ids)
	if err != nil {
		return err
	}
	var shown []proposals.Proposal
	for _, p := range open {
		if !mine(ppl[p.BeneficiaryID].Referents) {
			continue
		}
		switch {
		case p.State == proposals.Proposed:
			hv.PendingCount++
			if len(hv.Pending) < 8 {
				hv.Pending = append(hv.Pending, proposalRow{P: p, Name: ppl[p.BeneficiaryID].Name})
				shown = append(shown, p)
			}
		case p.Kind == proposals.KindMentor && p.ExpiresAt != nil && p.ExpiresAt.Sub(now) < proposals.ReminderWindow:
			hv.Expiring = append(hv.Expiring, proposalRow{P: p, Name: ppl[p.BeneficiaryID].Name})
			shown = append(shown, p)
		}
	}
	ops, err := c.openings(uctx, w, shown)
	if err != nil {
		return err
	}
	for i := range hv.Pending {
		hv.Pending[i].Opening = ops[hv.Pending[i].P.OpeningID]
	}
	for i := range hv.Expiring {
		hv.Expiring[i].Opening = ops[hv.Expiring[i].P.OpeningID]
	}
	mentors := map[string]string{}
	if ms, _, err := c.svc.Mentoring.ListMentors(uctx, w, mentoring.MentorFilter{Limit: 500}); err == nil {
		for _, m := range ms {
			mentors[m.ID] = m.FirstName + " " + m.LastName
		}
	}
	for _, m := range msh {
		if m.FollowUp == mentoring.FollowUpAlert && mine(ppl[m.BeneficiaryID].Referents) {
			hv.Alerts = append(hv.Alerts, mentorshipRow{M: m, Name: ppl[m.BeneficiaryID].Name, Mentor: mentors[m.MentorID]})
		}
	}
	referent := w.UserID
	if all {
		referent = ""
	}
	if hv.Horizons, err = c.svc.Beneficiaries.DueHorizons(uctx, w, referent, civil.Of(now.In(paris))); err != nil {
		return err
	}
	hv.HorizonsTotal = len(hv.Horizons)
	if hv.FollowUps, err = c.svc.Beneficiaries.FollowUps(uctx, w, referent, civil.Of(now.In(paris))); err != nil {
		return err
	}
	if ctx.Query("echeances") != "toutes" && len(hv.Horizons) > shownHorizons {
		hv.Horizons = hv.Horizons[:shownHorizons]
		hv.AllHorizons = "/accueil?echeances=toutes"
		if ctx.Query("tous") == "1" {
			hv.AllHorizons += "&tous=1"
		}
	}
	return c.render(ctx, fiber.StatusOK, "home", c.page(ctx, "home.title", "home", hv))
}

// Until writes how long remains before an instant, in days or hours.
func (v *view) Until(t *time.Time) string {
	if t == nil {
		return ""
	}
	d := time.Until(*t)
	if d < 0 {
		return v.T("time.past")
	}
	if d < 24*time.Hour {
		return v.T("time.hours", "Count", int(d.Hours())+1)
	}
	return v.T("time.days", "Count", int(d.Hours()/24)+1)
}
