package web

import (
	"encoding/json"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/matching"
	"github.com/parcours-emploi/parcours/mentoring"
	"github.com/parcours-emploi/parcours/proposals"
)

// Mentors work from a phone, between two meetings: a few pages, one column,
// the actions at the thumb. They see the mentee view only (mentoring's
// ToMenteeView): never a status, a birth date, an address or notes.

type mentorHomeView struct {
	Mentor    mentoring.Mentor
	Waiting   []mentoring.MentorProposal
	Answered  []mentoring.MentorProposal
	Mentorats []mentoring.MentorMentorship
}

// mentorHome lists what waits for the mentor's answer, their mentorships,
// and the proposals answered lately.
func (c *Console) mentorHome(ctx *fiber.Ctx) error {
	uctx, w := ctx.UserContext(), who(ctx)
	m, err := c.svc.Mentoring.Own(uctx, w)
	if err != nil {
		return err
	}
	hv := mentorHomeView{Mentor: m}
	if hv.Waiting, _, err = c.svc.Mentoring.SentProposals(uctx, w, []proposals.State{proposals.Sent}, "", 20); err != nil {
		return err
	}
	if hv.Mentorats, _, err = c.svc.Mentoring.OwnMentorships(uctx, w, []mentoring.MentorshipState{mentoring.MentorshipActive}, "", 20); err != nil {
		return err
	}
	if hv.Answered, _, err = c.svc.Mentoring.SentProposals(uctx, w,
		[]proposals.State{proposals.Accepted, proposals.Declined, proposals.Expired, proposals.Withdrawn}, "", 10); err != nil {
		return err
	}
	return c.render(ctx, fiber.StatusOK, "mentor-home", c.page(ctx, "mentor.home.title", "mentor", hv))
}

type mentorProposalView struct {
	P  mentoring.MentorProposal
	Ev matching.Evaluation
	// Today and Latest bound the "available again" day.
	Today, Latest civil.Date
	Reasons       []string
}

// declineReasons are the reasons a mentor picks from, in the order shown.
var declineReasons = []string{"unavailable", "trade", "time", "other"}

func (c *Console) mentorProposalPage(ctx *fiber.Ctx) error {
	return c.renderMentorProposal(ctx, fiber.StatusOK, newForm(url.Values{"reason": {"unavailable"}}))
}

func (c *Console) renderMentorProposal(ctx *fiber.Ctx, status int, f *form) error {
	p, err := c.svc.Mentoring.SentProposal(ctx.UserContext(), who(ctx), ctx.Params("id"))
	if err != nil {
		return err
	}
	now := c.now()
	pv := mentorProposalView{P: p, Today: civil.InFrance(now), Latest: civil.InFrance(now.Add(proposals.MaxAvailableFrom)), Reasons: declineReasons}
	_ = json.Unmarshal(p.Explanation, &pv.Ev)
	v := c.page(ctx, "mentor.proposal.title", "mentor", pv)
	v.Title = c.i18n.T(v.Lang, "mentor.proposal.heading", "Name", p.Mentee.FirstName)
	v.Form = f
	return c.render(ctx, status, "mentor-proposal", v)
}

// mentorAccept is the mentor's yes: the mentorship begins, and its page
// gives the adviser's contact.
func (c *Console) mentorAccept(ctx *fiber.Ctx) error {
	_, ms, err := c.svc.Mentoring.AcceptSent(ctx.UserContext(), who(ctx), ctx.Params("id"))
	if err != nil {
		return c.actionFailed(ctx, err, "/mentor/propositions/"+ctx.Params("id"))
	}
	return ctx.Redirect("/mentor/mentorats/"+ms.ID+"?note=accepted", fiber.StatusSeeOther)
}

// mentorDecline is the mentor's no, with one of the reasons offered; "not
// available before" a day holds the pair back until that day.
func (c *Console) mentorDecline(ctx *fiber.Ctx) error {
	f := newForm(formValues(ctx))
	lang := c.lang(ctx)
	reason, details := f.Get("reason"), strings.TrimSpace(f.Get("details"))
	var available civil.Date
	switch reason {
	case "unavailable":
		available = civil.Date(f.Get("availableFrom"))
		if available == "" {
			f.Errors["availableFrom"] = c.i18n.T(lang, "mentor.decline.date.missing")
			f.Order = append(f.Order, "availableFrom")
		}
	case "trade", "time":
	case "other":
		if details == "" {
			f.Errors["details"] = c.i18n.T(lang, "mentor.decline.details.missing")
			f.Order = append(f.Order, "details")
		}
	default:
		f.Errors["reason"] = c.i18n.T(lang, "mentor.decline.reason.missing")
		f.Order = append(f.Order, "reason")
	}
	if len([]rune(details)) > 400 {
		f.Errors["details"] = c.i18n.T(lang, "rule.max.text", "Param", 400)
		f.Order = append(f.Order, "details")
	}
	if f.Invalid() {
		return c.renderMentorProposal(ctx, fiber.StatusUnprocessableEntity, f)
	}
	// The reason is written for the adviser who reads it, in the mentor's
	// words when they gave some.
	text := c.i18n.T(lang, "mentor.decline.reason."+reason)
	if available != "" && available.Valid() {
		text = c.i18n.T(lang, "mentor.decline.until", "Date", available.In(string(lang)))
	}
	if details != "" {
		text += " — " + details
	}
	_, err := c.svc.Mentoring.DeclineSent(ctx.UserContext(), who(ctx), ctx.Params("id"), reason, text, available)
	if c.addErrors(f, err, string(lang)) {
		return c.renderMentorProposal(ctx, fiber.StatusUnprocessableEntity, f)
	}
	if err != nil {
		return c.actionFailed(ctx, err, "/mentor/propositions/"+ctx.Params("id"))
	}
	return ctx.Redirect("/mentor?note=declined", fiber.StatusSeeOther)
}

type mentorshipView struct {
	M        mentoring.MentorMentorship
	Contacts []mentoring.Contact
	Minutes  []int
	// Meetings are the check-ins, the latest first.
	Meetings []mentoring.CheckIn
	Today    civil.Date
}

// meetingMinutes are the durations a meeting is logged with.
var meetingMinutes = []int{30, 45, 60, 90, 120}

func (c *Console) mentorshipPage(ctx *fiber.Ctx) error {
	return c.renderMentorship(ctx, fiber.StatusOK, nil)
}

func (c *Console) renderMentorship(ctx *fiber.Ctx, status int, f *form) error {
	uctx, w := ctx.UserContext(), who(ctx)
	m, err := c.svc.Mentoring.OwnMentorship(uctx, w, ctx.Params("id"))
	if err != nil {
		return err
	}
	contacts, err := c.svc.Mentoring.AdviserContacts(uctx, w, m.ID)
	if err != nil {
		return err
	}
	mv := mentorshipView{M: m, Contacts: contacts, Minutes: meetingMinutes, Today: civil.InFrance(c.now())}
	for i := len(m.CheckIns) - 1; i >= 0; i-- {
		mv.Meetings = append(mv.Meetings, m.CheckIns[i])
	}
	v := c.page(ctx, "mentor.mentorship.title", "mentor", mv)
	v.Title = c.i18n.T(v.Lang, "mentor.mentorship.heading", "Name", m.Mentee.FirstName)
	if f == nil {
		f = newForm(url.Values{"date": {string(civil.InFrance(c.now()))}, "minutes": {"60"}})
	}
	v.Form = f
	return c.render(ctx, status, "mentor-mentorship", v)
}

// logMeeting records a meeting: the date (today unless changed), its
// length, and what was talked about if the mentor says.
func (c *Console) logMeeting(ctx *fiber.Ctx) error {
	f := newForm(formValues(ctx))
	lang := c.lang(ctx)
	minutes, err := strconv.Atoi(f.Get("minutes"))
	if err != nil || minutes < 5 || minutes > 600 {
		f.Errors["minutes"] = c.i18n.T(lang, "mentor.meeting.minutes.bad")
		f.Order = append(f.Order, "minutes")
	}
	date := civil.Date(f.Get("date"))
	if !date.Valid() {
		f.Errors["date"] = c.i18n.T(lang, "rule.date")
		f.Order = append(f.Order, "date")
	}
	note := strings.TrimSpace(f.Get("note"))
	if len([]rune(note)) > 200 {
		f.Errors["note"] = c.i18n.T(lang, "rule.max.text", "Param", 200)
		f.Order = append(f.Order, "note")
	}
	if f.Invalid() {
		return c.renderMentorship(ctx, fiber.StatusUnprocessableEntity, f)
	}
	in := mentoring.CheckIn{Date: date, Minutes: minutes}
	if note != "" {
		in.Topics = []string{note}
	}
	_, err = c.svc.Mentoring.LogCheckIn(ctx.UserContext(), who(ctx), ctx.Params("id"), in)
	if c.addErrors(f, err, string(lang)) {
		return c.renderMentorship(ctx, fiber.StatusUnprocessableEntity, f)
	}
	if err != nil {
		if apperr.Is(err, apperr.Conflict) {
			return c.actionFailed(ctx, err, "/mentor/mentorats/"+ctx.Params("id"))
		}
		return err
	}
	return ctx.Redirect("/mentor/mentorats/"+ctx.Params("id")+"?note=meeting#rencontres", fiber.StatusSeeOther)
}
