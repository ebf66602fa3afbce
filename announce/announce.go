// Package announce tells people what happened that concerns them, by
// e-mail and as they chose (at once, in a daily summary, or not at all):
// a mentor, the proposals to answer, a reminder before one expires, and
// that the pair met too little; an adviser, the answers to proposals, a
// mentorship in alert, a T+6 or T+12 horizon without a situation, and a
// finished batch; an agency, the candidates proposed on its openings.
//
// Each piece of news is a notify.Message whose id is the event and its
// recipient, so telling twice sends one e-mail. The services call the
// announcer as soon as a change is recorded; Scan derives the same news
// from the records, so a crash between a change and its announcement
// loses nothing.
package announce

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"strconv"
	"time"

	"github.com/parcours-emploi/parcours/access"
	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/batches"
	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/fairness"
	"github.com/parcours-emploi/parcours/jobs"
	"github.com/parcours-emploi/parcours/mentoring"
	"github.com/parcours-emploi/parcours/notify"
	"github.com/parcours-emploi/parcours/pathways"
	"github.com/parcours-emploi/parcours/proposals"
)

// Window is how far back Scan looks for changes, and for horizons reached.
const Window = 3 * 24 * time.Hour

// HorizonWindow is how long after a horizon an adviser is still told of it:
// older ones are on "À traiter", not news.
const HorizonWindow = 7 * 24 * time.Hour

// Service announces.
type Service struct {
	Notify        *notify.Service
	Users         access.Store
	Logins        *access.Logins
	Proposals     *proposals.Service
	Mentoring     *mentoring.Service
	Beneficiaries *pathways.Service
	Opportunities jobs.Store
	Batches       batches.Store
	// Fairness reports the funnels whose alerts FairnessAlerts raises.
	Fairness *fairness.Service
	Logger   *slog.Logger
	// Now is the clock (nil: time.Now).
	Now func() time.Time
}

func (s *Service) now() time.Time {
	if s.Now == nil {
		return time.Now().UTC()
	}
	return s.Now().UTC()
}

func (s *Service) log() *slog.Logger {
	if s.Logger == nil {
		return slog.Default()
	}
	return s.Logger
}

// Hook adapts an announcement to the services' Changed and Finished
// hooks: a failure is logged, and the next Scan tells it.
func Hook[T any](s *Service, announce func(context.Context, T) error) func(context.Context, T) {
	return func(ctx context.Context, v T) {
		if err := announce(ctx, v); err != nil {
			s.log().Warn("announcement failed; the next scan retries it", "error", err.Error())
		}
	}
}

// tell records m for u, unless u has no address or is deactivated.
func (s *Service) tell(ctx context.Context, u access.User, m notify.Message) error {
	if u.Email == "" || !u.Active() {
		return nil
	}
	u, err := s.withToken(ctx, u)
	if err != nil {
		return err
	}
	m.ID = string(m.Kind) + ":" + m.ID + ":" + u.ID
	return s.Notify.Announce(ctx, u, m)
}

// told reports whether the event id (as tell names it) was recorded for u.
func (s *Service) told(ctx context.Context, kind notify.Kind, id, userID string) (bool, error) {
	_, err := s.Notify.Outbox.Message(ctx, string(kind)+":"+id+":"+userID)
	if apperr.Is(err, apperr.NotFound) {
		return false, nil
	}
	return err == nil, err
}

// withToken gives u the secret of its unsubscribe links if it has none
// (the store gives one to every user it creates; this is for a user
// written otherwise).
func (s *Service) withToken(ctx context.Context, u access.User) (access.User, error) {
	if u.MailToken != "" {
		return u, nil
	}
	u.MailToken = access.NewMailToken()
	return u, s.Users.ReplaceUser(ctx, u)
}

// ProposalChanged tells the people a proposal's new state concerns: its
// mentor when it is sent to them, the agency that published the opening
// when a candidate is sent on it, the advisers who follow the person when
// it is accepted or declined (except who recorded the answer).
func (s *Service) ProposalChanged(ctx context.Context, p proposals.Proposal) error {
	switch {
	case p.State == proposals.Sent && p.Kind == proposals.KindMentor:
		return s.mentorProposal(ctx, p, notify.ProposalSent)
	case p.State == proposals.Sent:
		return s.agencyProposal(ctx, p)
	case p.State == proposals.Accepted || p.State == proposals.Declined:
		return s.answered(ctx, p)
	}
	return nil
}

// mentorProposal asks the mentor to answer p, with a login link that opens
// it and lasts until the answer is due.
func (s *Service) mentorProposal(ctx context.Context, p proposals.Proposal, kind notify.Kind) error {
	m, err := s.Mentoring.Mentors.Mentor(ctx, p.OrganisationID, p.OpeningID)
	if err != nil || m.UserID == "" {
		return err
	}
	u, err := s.Users.User(ctx, m.UserID)
	if err != nil {
		return err
	}
	if done, err := s.told(ctx, kind, p.ID, u.ID); done || err != nil {
		return err
	}
	b, err := s.Beneficiaries.Store.Beneficiary(ctx, p.OrganisationID, p.BeneficiaryID)
	if err != nil {
		return err
	}
	next := "/mentor/propositions/" + p.ID
	data := map[string]string{"proposal": p.ID, "mentee": b.FirstName, "next": next}
	lifetime := 14 * 24 * time.Hour
	if p.ExpiresAt != nil {
		data["expires"] = string(civil.InFrance(*p.ExpiresAt))
		if until := p.ExpiresAt.Sub(s.now()) + 24*time.Hour; until > time.Hour && until < lifetime {
			lifetime = until
		}
	}
	if u.Active() && u.Email != "" {
		secret, err := s.Logins.NewLink(ctx, u, next, lifetime)
		if err != nil {
			return err
		}
		data["secret"] = secret
	}
	return s.tell(ctx, u, notify.Message{ID: p.ID, Kind: kind, Data: data})
}

// agencyProposal tells the agency that published the opening of p that a
// candidate was proposed on it.
func (s *Service) agencyProposal(ctx context.Context, p proposals.Proposal) error {
	o, err := s.Opportunities.Opportunity(ctx, p.OpeningID)
	if apperr.Is(err, apperr.NotFound) {
		return nil
	}
	if err != nil || o.OrganisationID == p.OrganisationID {
		return err
	}
	users, err := s.Users.Users(ctx, o.OrganisationID)
	if err != nil {
		return err
	}
	for _, u := range users {
		if u.Role != access.Agency {
			continue
		}
		data := map[string]string{"proposal": p.ID, "opening": o.ID, "title": o.Title, "kind": string(p.Kind)}
		if err := s.tell(ctx, u, notify.Message{ID: p.ID, Kind: notify.AgencyProposal, Data: data}); err != nil {
			return err
		}
	}
	return nil
}

// answered tells the person's advisers of the answer to p.
func (s *Service) answered(ctx context.Context, p proposals.Proposal) error {
	b, err := s.Beneficiaries.Store.Beneficiary(ctx, p.OrganisationID, p.BeneficiaryID)
	if err != nil || b.Erased != nil {
		return err
	}
	by := ""
	if t, ok := p.LastTransition(); ok {
		by = t.By
	}
	title, err := s.openingTitle(ctx, p)
	if err != nil {
		return err
	}
	data := map[string]string{"proposal": p.ID, "beneficiary": b.ID, "name": b.FirstName + " " + b.LastName,
		"kind": string(p.Kind), "opening": title, "answer": string(p.State), "reason": p.DeclineReason}
	if p.AvailableFrom != "" {
		data["availableFrom"] = string(p.AvailableFrom)
	}
	return s.toReferents(ctx, b, by, notify.Message{ID: p.ID, Kind: notify.ProposalAnswered, Data: data})
}

// openingTitle names the opening of p: the mentor's name and company, or
// the opportunity's title.
func (s *Service) openingTitle(ctx context.Context, p proposals.Proposal) (string, error) {
	if p.Kind == proposals.KindMentor {
		m, err := s.Mentoring.Mentors.Mentor(ctx, p.OrganisationID, p.OpeningID)
		if apperr.Is(err, apperr.NotFound) {
			return "", nil
		}
		if err != nil {
			return "", err
		}
		if m.Company != "" {
			return m.FirstName + " " + m.LastName + " (" + m.Company + ")", nil
		}
		return m.FirstName + " " + m.LastName, nil
	}
	o, err := s.Opportunities.Opportunity(ctx, p.OpeningID)
	if apperr.Is(err, apperr.NotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	if o.Employer != "" {
		return o.Title + " — " + o.Employer, nil
	}
	return o.Title, nil
}

// toReferents tells m to each adviser who follows b, but the one whose
// action it tells of.
func (s *Service) toReferents(ctx context.Context, b pathways.Beneficiary, except string, m notify.Message) error {
	for _, id := range b.Enrolment.Referents {
		if id == except {
			continue
		}
		u, err := s.Users.User(ctx, id)
		if apperr.Is(err, apperr.NotFound) {
			continue
		}
		if err != nil {
			return err
		}
		if u.OrganisationID != b.OrganisationID {
			continue
		}
		msg := m
		msg.Data = maps.Clone(m.Data)
		if err := s.tell(ctx, u, msg); err != nil {
			return err
		}
	}
	return nil
}

// BatchFinished tells who launched b that it is done (or failed).
func (s *Service) BatchFinished(ctx context.Context, b batches.Batch) error {
	if b.CreatedBy == "" || (b.Status != batches.Done && b.Status != batches.Failed) {
		return nil
	}
	u, err := s.Users.User(ctx, b.CreatedBy)
	if apperr.Is(err, apperr.NotFound) {
		return nil
	}
	if err != nil || u.OrganisationID != b.OrganisationID {
		return err
	}
	data := map[string]string{"batch": b.ID, "kind": string(b.Kind), "status": string(b.Status),
		"assigned": strconv.Itoa(b.Counts.Assigned), "seekers": strconv.Itoa(b.Counts.Seekers)}
	return s.tell(ctx, u, notify.Message{ID: b.ID, Kind: notify.BatchDone, Data: data})
}

// Scan tells what the records say happened and nobody was told yet:
// proposals sent or answered within Window, proposals about to expire,
// mentorships in alert, horizons reached within HorizonWindow without a
// situation, batches finished within Window. It returns how many events
// it went through (told already or not).
func (s *Service) Scan(ctx context.Context) (int, error) {
	now := s.now()
	orgs, err := s.Users.Organisations(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, org := range orgs {
		c, err := s.scanOrganisation(ctx, org, now)
		n += c
		if err != nil {
			return n, fmt.Errorf("announce for %s: %w", org.ID, err)
		}
	}
	expiring, err := s.Proposals.Expiring(ctx, now)
	if err != nil {
		return n, err
	}
	for _, p := range expiring {
		if p.Kind == proposals.KindMentor {
			if err := s.mentorProposal(ctx, p, notify.ProposalExpiring); err != nil {
				return n, err
			}
			n++
		}
	}
	alerts, err := s.Mentoring.Alerts(ctx, now)
	if err != nil {
		return n, err
	}
	for _, ms := range alerts {
		if err := s.alert(ctx, ms); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

func (s *Service) scanOrganisation(ctx context.Context, org access.Organisation, now time.Time) (int, error) {
	n, after := 0, ""
	for {
		list, next, err := s.Proposals.Store.Proposals(ctx, proposals.Filter{OrganisationID: org.ID, UpdatedSince: now.Add(-Window),
			States: []proposals.State{proposals.Sent, proposals.Accepted, proposals.Declined}, After: after, Limit: 200})
		if err != nil {
			return n, err
		}
		for _, p := range list {
			if err := s.ProposalChanged(ctx, p); err != nil {
				return n, err
			}
			n++
		}
		if next == "" {
			break
		}
		after = next
	}
	bs, err := s.Batches.Batches(ctx, org.ID, 50)
	if err != nil {
		return n, err
	}
	for _, b := range bs {
		if b.FinishedAt != nil && b.FinishedAt.After(now.Add(-Window)) {
			if err := s.BatchFinished(ctx, b); err != nil {
				return n, err
			}
			n++
		}
	}
	today := civil.InFrance(now)
	follow, err := s.Beneficiaries.FollowUps(ctx, access.Principal{OrganisationID: org.ID, Role: access.Coordinator}, "", today)
	if err != nil {
		return n, err
	}
	for _, f := range follow {
		b, err := s.Beneficiaries.Store.Beneficiary(ctx, org.ID, f.BeneficiaryID)
		if err != nil {
			return n, err
		}
		months := strconv.Itoa(f.Months)
		data := map[string]string{"beneficiary": b.ID, "name": f.Name, "followUp": f.Kind, "months": months, "date": string(f.Date)}
		if err := s.toReferents(ctx, b, "", notify.Message{ID: b.ID + ":" + f.Kind + ":" + months, Kind: notify.FollowUpDue, Data: data}); err != nil {
			return n, err
		}
		n++
	}
	due, err := s.Beneficiaries.DueHorizons(ctx, access.Principal{OrganisationID: org.ID, Role: access.Coordinator}, "", today)
	if err != nil {
		return n, err
	}
	since := civil.InFrance(now.Add(-HorizonWindow))
	for _, h := range due {
		if h.Date.Before(since) {
			continue
		}
		b, err := s.Beneficiaries.Store.Beneficiary(ctx, org.ID, h.BeneficiaryID)
		if err != nil {
			return n, err
		}
		data := map[string]string{"beneficiary": b.ID, "name": h.Name, "horizon": strconv.Itoa(h.Horizon), "date": string(h.Date)}
		if err := s.toReferents(ctx, b, "", notify.Message{ID: b.ID + ":" + strconv.Itoa(h.Horizon), Kind: notify.HorizonDue, Data: data}); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// alert tells a mentorship in alert to its mentor and to the person's
// advisers, once per episode: the episode is named by the last meeting
// before it (or the start), so a pair that meets again and falls behind
// later is told again.
func (s *Service) alert(ctx context.Context, ms mentoring.Mentorship) error {
	episode := string(ms.StartedOn)
	for _, c := range ms.CheckIns {
		if string(c.Date) > episode {
			episode = string(c.Date)
		}
	}
	id := ms.ID + ":" + episode
	b, err := s.Beneficiaries.Store.Beneficiary(ctx, ms.OrganisationID, ms.BeneficiaryID)
	if err != nil || b.Erased != nil {
		return err
	}
	m, err := s.Mentoring.Mentors.Mentor(ctx, ms.OrganisationID, ms.MentorID)
	if err != nil {
		return err
	}
	if m.UserID != "" {
		u, err := s.Users.User(ctx, m.UserID)
		if err != nil && !apperr.Is(err, apperr.NotFound) {
			return err
		}
		if err == nil {
			data := map[string]string{"mentorship": ms.ID, "mentee": b.FirstName, "next": "/mentor/mentorats/" + ms.ID}
			if err := s.tell(ctx, u, notify.Message{ID: id, Kind: notify.CheckInsMissing, Data: data}); err != nil {
				return err
			}
		}
	}
	data := map[string]string{"mentorship": ms.ID, "beneficiary": b.ID, "name": b.FirstName + " " + b.LastName, "mentor": m.FirstName + " " + m.LastName}
	return s.toReferents(ctx, b, "", notify.Message{ID: id, Kind: notify.MentorshipAlert, Data: data})
}
