package proposals

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/parcours-emploi/parcours/access"
	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/ids"
	"github.com/parcours-emploi/parcours/jobs"
	"github.com/parcours-emploi/parcours/matching"
	"github.com/parcours-emploi/parcours/pathways"
)

// Defaults of the Service's settings.
const (
	// DefaultExpiryDays is how long a sent proposal waits for an answer.
	DefaultExpiryDays = 14
	// DefaultCooldown is how long a declined pair is not proposed again, by
	// people or by the engine.
	DefaultCooldown = 90 * 24 * time.Hour
	// settleGrace is how old a pending convention must be before
	// RepairConventions touches it: an acceptance under way finishes in far
	// less.
	settleGrace = 10 * time.Minute
	// reserveRetries bounds how often an acceptance reads the PMSMP history
	// again after another acceptance of the same beneficiary went first.
	reserveRetries = 20
)

// Evaluator explains a pair as the engine sees it at the instant, from the
// stored records: the beneficiary (with their declines and PMSMP history)
// and the opening. It returns apperr.NotFound for a beneficiary of another
// organisation or erased, and for an opening the organisation may not see.
// The suggestions service is one.
type Evaluator interface {
	EvaluatePair(ctx context.Context, org, beneficiaryID string, kind matching.Kind, openingID string) (matching.Evaluation, error)
}

// InputEvaluator is an Evaluator that also gives what it evaluated the
// pair from, for the proposal to keep.
type InputEvaluator interface {
	EvaluateInputs(ctx context.Context, org, beneficiaryID string, kind matching.Kind, openingID string) (matching.Evaluation, matching.Inputs, error)
}

// MentorLimits says how many proposals a mentor may have sent at once
// (waiting for an answer); the mentoring service is one.
type MentorLimits interface {
	SendLimit(ctx context.Context, org, mentorID string) (int, error)
}

// Service holds the proposal lifecycle for every kind: an adviser or a
// batch proposes, an adviser approves (human oversight) and sends, the
// other side accepts or declines, staff may withdraw. The mentor's own
// answers go through mentoring, which keeps capacity.
type Service struct {
	Store     Store
	Audit     pathways.AuditLog
	Evaluator Evaluator
	// Engine derives a proposal's score again from its inputs (nil: not derived).
	Engine        *matching.Engine
	Mentors       MentorLimits
	Opportunities jobs.Store
	// Conventions records the PMSMP convention an accepted placement makes.
	Conventions jobs.ConventionStore
	// Situations records the situation an accepted job, placement or
	// training makes in the beneficiary's pathway (nil: none).
	Situations pathways.SituationStore
	// Beneficiaries and Users name the candidates and their advisers for
	// the hosts (nil: unnamed).
	Beneficiaries pathways.Store
	Users         access.Store
	// ExpiryDays is how long a sent proposal waits for an answer (0: 14).
	ExpiryDays int
	// Cooldown is how long a declined pair is not proposed again (0: 90 days).
	Cooldown time.Duration
	// Now is the clock (nil: time.Now).
	Now func() time.Time
	// Changed, if set, hears of each proposal once a change of its state
	// is recorded (sent, answered): the people concerned are told. A
	// periodic scan tells whoever a crash left untold.
	Changed func(ctx context.Context, p Proposal)
}

// changed tells Changed of p.
func (s *Service) changed(ctx context.Context, p Proposal) {
	if s.Changed != nil {
		s.Changed(context.WithoutCancel(ctx), p)
	}
}

// now is the clock at the precision the store keeps (milliseconds).
func (s *Service) now() time.Time {
	if s.Now == nil {
		return time.Now().UTC().Truncate(time.Millisecond)
	}
	return s.Now().UTC().Truncate(time.Millisecond)
}

func (s *Service) expiry() time.Duration {
	if s.ExpiryDays <= 0 {
		return DefaultExpiryDays * 24 * time.Hour
	}
	return time.Duration(s.ExpiryDays) * 24 * time.Hour
}

// CooldownPeriod is the decline cooldown in force.
func (s *Service) CooldownPeriod() time.Duration {
	if s.Cooldown <= 0 {
		return DefaultCooldown
	}
	return s.Cooldown
}

// Declines returns the beneficiary's declines that may hold a pair back
// at now.
func (s *Service) Declines(ctx context.Context, beneficiaryID string, now time.Time) ([]Decline, error) {
	return s.Store.DeclinesOf(ctx, beneficiaryID, now.Add(-s.CooldownPeriod()), civil.InFrance(now))
}

// CheckCooldown returns apperr.Conflict (with cooldownEnds) if the
// beneficiary and the opening were declined and the cooldown is not over:
// the cooldown period after the decline, or the day the mentor (or host)
// said they are available again.
func (s *Service) CheckCooldown(ctx context.Context, beneficiaryID, openingID string, now time.Time) error {
	declines, err := s.Declines(ctx, beneficiaryID, now)
	if err != nil {
		return err
	}
	var last *Decline
	for i, d := range declines {
		if d.OpeningID == openingID && now.Before(d.Until(s.CooldownPeriod())) && (last == nil || d.Until(s.CooldownPeriod()).After(last.Until(s.CooldownPeriod()))) {
			last = &declines[i]
		}
	}
	if last == nil {
		return nil
	}
	at, ends := civil.InFrance(last.At), last.Until(s.CooldownPeriod())
	return apperr.Conflictf("This pair was declined on %s; it cannot be proposed again before %s.", at, civil.InFrance(ends)).
		FR("Cette paire a été refusée le %s ; elle ne peut pas être proposée de nouveau avant le %s.", at.French(), civil.InFrance(ends).French()).
		WithExtra("cooldownEnds", ends.Format(time.RFC3339))
}

// Propose records an adviser's proposal of a pair, after the engine has
// evaluated it again on the stored records: apperr.NotFound for a
// beneficiary or an opening the organisation does not have, apperr.Conflict
// (cooldownEnds) for a pair declined within the cooldown, apperr.Invalid
// naming each failed constraint for an ineligible pair, apperr.Conflict
// (limit) when the beneficiary has MaxOpenMentorProposals open mentor
// proposals already.
func (s *Service) Propose(ctx context.Context, who access.Principal, beneficiaryID string, kind Kind, openingID string) (Proposal, error) {
	now := s.now()
	var ev matching.Evaluation
	var inputs []byte
	var err error
	if ie, ok := s.Evaluator.(InputEvaluator); ok {
		var in matching.Inputs
		if ev, in, err = ie.EvaluateInputs(ctx, who.OrganisationID, beneficiaryID, matching.Kind(kind), openingID); err == nil {
			inputs, err = json.Marshal(in)
		}
	} else {
		ev, err = s.Evaluator.EvaluatePair(ctx, who.OrganisationID, beneficiaryID, matching.Kind(kind), openingID)
	}
	if err != nil {
		return Proposal{}, err
	}
	if err := pathways.WriteAudit(ctx, s.Audit, who, pathways.AuditPropose, beneficiaryID, now); err != nil {
		return Proposal{}, err
	}
	// A declined pair waits for the cooldown whatever the engine says.
	if err := s.CheckCooldown(ctx, beneficiaryID, openingID, now); err != nil {
		return Proposal{}, err
	}
	if !ev.Eligible {
		return Proposal{}, Ineligible(ev)
	}
	explanation, err := json.Marshal(ev)
	if err != nil {
		return Proposal{}, fmt.Errorf("encode evaluation: %w", err)
	}
	p := Proposal{
		ID: ids.NewAt(IDPrefix, now), OrganisationID: who.OrganisationID, BeneficiaryID: beneficiaryID, Kind: kind,
		OpeningID: openingID, Source: SourceAdviser, State: Proposed, Score: ev.Score, Explanation: explanation, Inputs: inputs,
		History: []Transition{}, CreatedAt: now, UpdatedAt: now, Version: 1,
	}
	if err := s.Store.CreateProposal(ctx, p); err != nil {
		return Proposal{}, err
	}
	return p, nil
}

// IDPrefix starts every proposal id, whoever proposed it.
const IDPrefix = "pro"

// Ineligible is the apperr.Invalid error of a pair that fails constraints:
// one field error on /openingId per failed constraint, with its next step,
// in English and French.
func Ineligible(ev matching.Evaluation) error {
	fields := make([]apperr.FieldError, 0, len(ev.Failures))
	for _, f := range ev.Failures {
		en, fr := f.Text.EN, f.Text.FR
		if f.NextStep != nil {
			en += " " + f.NextStep.EN
			fr += " " + f.NextStep.FR
		}
		fields = append(fields, apperr.FieldError{Pointer: "/openingId", Detail: en, DetailFR: fr, Tag: string(f.Code)})
	}
	return apperr.Invalidf(fields, "This pair fails constraints of the matching rules: it cannot be proposed.").
		FR("Cette paire ne respecte pas des contraintes des règles de mise en relation : elle ne peut pas être proposée.")
}

// Get returns a proposal of who's organisation, or apperr.NotFound.
func (s *Service) Get(ctx context.Context, who access.Principal, id string) (Proposal, error) {
	return s.Store.Proposal(ctx, who.OrganisationID, id)
}

// List returns a page of who's organisation's proposals.
func (s *Service) List(ctx context.Context, who access.Principal, f Filter) ([]Proposal, string, error) {
	f.OrganisationID = who.OrganisationID
	return s.Store.Proposals(ctx, f)
}

// Approve records an adviser's approval of a proposed pair (human
// oversight); an opportunity no longer open takes no approval.
func (s *Service) Approve(ctx context.Context, who access.Principal, id string) (Proposal, error) {
	p, err := s.Store.Proposal(ctx, who.OrganisationID, id)
	if err != nil {
		return p, err
	}
	if err := s.openingOpen(ctx, p); err != nil {
		return p, err
	}
	return s.move(ctx, who.OrganisationID, id, Approved, who.UserID, "", s.now())
}

// openingOpen answers apperr.Conflict (openingState) when the opportunity
// of p is not open: a closed, filled or expired offer takes no more
// approvals, sendings or acceptances. Mentors keep their own capacity.
func (s *Service) openingOpen(ctx context.Context, p Proposal) error {
	if p.Kind == KindMentor || s.Opportunities == nil {
		return nil
	}
	o, err := s.Opportunities.Opportunity(ctx, p.OpeningID)
	if err != nil {
		return err
	}
	if o.Status == jobs.StatusOpen {
		return nil
	}
	return apperr.Conflictf("The offer is %s: it takes no more proposals.", o.Status.English()).
		FR("L'offre est %s : elle ne prend plus de proposition.", o.Status.French()).
		WithExtra(apperr.OpeningState, string(o.Status)).WithExtra(apperr.CurrentState, string(p.State))
}

// WithdrawOn withdraws the open proposals of every organisation on the
// opportunity o, which is no longer open, saying why.
func (s *Service) WithdrawOn(ctx context.Context, o jobs.Opportunity, by string) (int, error) {
	list, err := s.Store.ProposalsOn(ctx, []string{o.ID}, OpenStates, 1000)
	if err != nil {
		return 0, err
	}
	reason := "L'offre est " + o.Status.French() + "."
	n := 0
	for _, p := range list {
		_, err := s.move(ctx, p.OrganisationID, p.ID, Withdrawn, by, reason, s.now())
		switch {
		case err == nil:
			n++
		case apperr.Is(err, apperr.Conflict), apperr.Is(err, apperr.NotFound):
		default:
			return n, err
		}
	}
	return n, nil
}

// Withdraw closes an open proposal on staff's decision.
func (s *Service) Withdraw(ctx context.Context, who access.Principal, id, reason string) (Proposal, error) {
	return s.move(ctx, who.OrganisationID, id, Withdrawn, who.UserID, reason, s.now())
}

// Send sends an approved proposal and sets when it expires. A mentor may
// have at most the limit MentorLimits gives sent at once: apperr.Conflict
// (limit) beyond.
func (s *Service) Send(ctx context.Context, who access.Principal, id string) (Proposal, error) {
	org, now := who.OrganisationID, s.now()
	p, err := s.Store.Proposal(ctx, org, id)
	if err != nil {
		return p, err
	}
	next, err := p.Advance(Sent, who.UserID, "", now)
	if err != nil {
		return p, err
	}
	if err := s.openingOpen(ctx, p); err != nil {
		return p, err
	}
	expires := now.Add(s.expiry())
	next.ExpiresAt = &expires
	maxSent := 0
	if p.Kind == KindMentor {
		if maxSent, err = s.Mentors.SendLimit(ctx, org, p.OpeningID); err != nil {
			return p, fmt.Errorf("read the send limit of mentor %s: %w", p.OpeningID, err)
		}
		// The store's slots bound concurrent sends; the count also holds
		// when the capacity was lowered after places were taken.
		sent, err := s.countSent(ctx, org, p.OpeningID)
		if err != nil {
			return p, err
		}
		if sent >= maxSent {
			return p, apperr.Conflictf("The mentor already has %d proposals waiting for an answer.", sent).
				FR("Le mentor a déjà %d propositions en attente de réponse.", sent).WithExtra("limit", maxSent)
		}
	}
	if err := s.Store.SendProposal(ctx, next, maxSent); err != nil {
		return p, err
	}
	s.changed(ctx, next)
	return next, nil
}

func (s *Service) countSent(ctx context.Context, org, mentorID string) (int, error) {
	n, after := 0, ""
	for {
		list, next, err := s.Store.Proposals(ctx, Filter{OrganisationID: org, Kind: KindMentor,
			OpeningID: mentorID, States: []State{Sent}, After: after, Limit: 200})
		if err != nil {
			return 0, err
		}
		n += len(list)
		if next == "" {
			return n, nil
		}
		after = next
	}
}

// Answer records the answer, given outside Parcours by the beneficiary or
// the host, to a proposal of an opportunity (job, PMSMP, training). A
// mentor proposal is answered by its mentor only (apperr.Forbidden).
// Accepting a PMSMP placement records its convention and holds the PMSMP
// rules: apperr.Conflict naming each rule it would break.
func (s *Service) Answer(ctx context.Context, who access.Principal, id string, accepted bool, reason string) (Proposal, error) {
	p, err := s.Store.Proposal(ctx, who.OrganisationID, id)
	if err != nil {
		return p, err
	}
	return s.answer(ctx, who, p, accepted, reason)
}

// WithdrawAllOf withdraws every open proposal of a beneficiary (erased, or
// gone): none waits any longer for an answer about them.
func (s *Service) WithdrawAllOf(ctx context.Context, who access.Principal, beneficiaryID, reason string) (int, error) {
	list, _, err := s.Store.Proposals(ctx, Filter{OrganisationID: who.OrganisationID, BeneficiaryID: beneficiaryID, States: OpenStates, Limit: 500})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, p := range list {
		_, err := s.move(ctx, p.OrganisationID, p.ID, Withdrawn, who.UserID, reason, s.now())
		switch {
		case err == nil:
			n++
		case apperr.Is(err, apperr.Conflict), apperr.Is(err, apperr.NotFound):
		default:
			return n, err
		}
	}
	return n, nil
}

// HostStates are the states a host sees of the proposals on its openings:
// from the moment they are sent.
var HostStates = []State{Sent, Accepted, Declined, Expired, Withdrawn}

// OnOwnOpenings returns the proposals sent on who's organisation's
// opportunities (an agency's, or a programme's own offers), newest first.
func (s *Service) OnOwnOpenings(ctx context.Context, who access.Principal, limit int) ([]Proposal, error) {
	list, _, err := s.onOwnOpenings(ctx, who, limit)
	return list, err
}

// onOwnOpenings is OnOwnOpenings, with the titles of who's openings by id.
func (s *Service) onOwnOpenings(ctx context.Context, who access.Principal, limit int) ([]Proposal, map[string]string, error) {
	titles := map[string]string{}
	var ids []string
	after := ""
	for {
		list, next, err := s.Opportunities.Opportunities(ctx, jobs.Filter{OrganisationID: who.OrganisationID, After: after, Limit: 500})
		if err != nil {
			return nil, nil, err
		}
		for _, o := range list {
			ids = append(ids, o.ID)
			titles[o.ID] = o.Title
		}
		if next == "" {
			break
		}
		after = next
	}
	props, err := s.Store.ProposalsOn(ctx, ids, HostStates, limit)
	return props, titles, err
}

// AnswerAsHost records the answer of the host that published the opening
// (an agency, from its page or its API) to a proposal sent on it: the
// proposal of another organisation is found by id, and any proposal not on
// who's opportunities is apperr.NotFound.
func (s *Service) AnswerAsHost(ctx context.Context, who access.Principal, id string, accepted bool, reason string) (Proposal, error) {
	notFound := apperr.NotFoundf("No such proposal on your openings.").FR("Aucune proposition de ce type sur vos offres.")
	p, err := s.Store.ProposalByID(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		return p, notFound
	}
	if err != nil {
		return p, err
	}
	if p.Kind == KindMentor {
		return Proposal{}, notFound
	}
	o, err := s.Opportunities.Opportunity(ctx, p.OpeningID)
	if err != nil || o.OrganisationID != who.OrganisationID {
		return Proposal{}, notFound
	}
	if _, sent := p.SentAt(); !sent {
		return Proposal{}, notFound
	}
	return s.answer(ctx, who, p, accepted, reason)
}

func (s *Service) answer(ctx context.Context, who access.Principal, p Proposal, accepted bool, reason string) (Proposal, error) {
	if p.Kind == KindMentor {
		return p, apperr.New(apperr.Forbidden, "Only the mentor answers a mentor proposal.").
			FR("Seul le mentor répond à une proposition de mentorat.")
	}
	now := s.now()
	if accepted {
		if err := s.openingOpen(ctx, p); err != nil {
			return p, err
		}
	}
	var next Proposal
	var err error
	switch {
	case !accepted:
		return s.move(ctx, p.OrganisationID, p.ID, Declined, who.UserID, reason, now)
	case p.Kind == KindPMSMP && s.Conventions != nil:
		next, err = s.acceptPlacement(ctx, p, who.UserID, now)
	default:
		next, err = s.move(ctx, p.OrganisationID, p.ID, Accepted, who.UserID, "", now)
	}
	if err != nil || next.State != Accepted {
		return next, err
	}
	return next, s.recordSituation(ctx, next, who.UserID, now)
}

// Decline records the answer no to a sent proposal, with its reason. The
// pair enters the cooldown; the beneficiary can be proposed elsewhere at once.
func (s *Service) Decline(ctx context.Context, org, id, by, reason string) (Proposal, error) {
	return s.move(ctx, org, id, Declined, by, reason, s.now())
}

// move applies one guarded transition.
func (s *Service) move(ctx context.Context, org, id string, to State, by, reason string, now time.Time) (Proposal, error) {
	p, err := s.Store.Proposal(ctx, org, id)
	if err != nil {
		return p, err
	}
	next, err := p.Advance(to, by, reason, now)
	if err != nil {
		return p, err
	}
	if err := s.Store.TransitionProposal(ctx, p.State, next); err != nil {
		return p, err
	}
	s.changed(ctx, next)
	return next, nil
}

// ExpireDue expires every sent proposal whose answer is overdue at now and
// returns how many it expired. It is safe to run concurrently and again (a
// proposal answered meanwhile is left alone).
func (s *Service) ExpireDue(ctx context.Context, now time.Time) (int, error) {
	n := 0
	for {
		due, err := s.Store.DueProposals(ctx, now, 100)
		if err != nil {
			return n, err
		}
		moved := 0
		for _, p := range due {
			next, err := p.Advance(Expired, SystemActor, "No answer before the deadline.", now)
			if err != nil {
				continue
			}
			err = s.Store.TransitionProposal(ctx, Sent, next)
			switch {
			case err == nil:
				n++
				moved++
			case apperr.Is(err, apperr.Conflict), apperr.Is(err, apperr.NotFound):
			default:
				return n, err
			}
		}
		if len(due) < 100 || moved == 0 {
			return n, nil
		}
	}
}

// ReminderWindow is how far ahead Expiring looks.
const ReminderWindow = 3 * 24 * time.Hour

// Expiring returns, across organisations, the sent proposals expiring
// within ReminderWindow after now (not yet expired).
func (s *Service) Expiring(ctx context.Context, now time.Time) ([]Proposal, error) {
	due, err := s.Store.DueProposals(ctx, now.Add(ReminderWindow), 1000)
	if err != nil {
		return nil, err
	}
	out := []Proposal{}
	for _, p := range due {
		if p.ExpiresAt != nil && !p.ExpiresAt.Before(now) {
			out = append(out, p)
		}
	}
	return out, nil
}

// HostProposal is a proposal as the host of the opening (an agency) sees
// it: who to expect and how to reach their adviser, nothing of their file.
type HostProposal struct {
	Proposal
	// Candidate is the person's first name and the initial of their last.
	Candidate    string
	Programme    string
	OpeningTitle string
	Adviser      access.User
}

// HostProposals returns the proposals sent on who's organisation's
// opportunities as the host sees them, newest first.
func (s *Service) HostProposals(ctx context.Context, who access.Principal, limit int) ([]HostProposal, error) {
	list, titles, err := s.onOwnOpenings(ctx, who, limit)
	if err != nil {
		return nil, err
	}
	// Programmes and advisers recur from one proposal to the next: each is
	// read once.
	programmes, advisers := map[string]string{}, map[string]access.User{}
	out := make([]HostProposal, 0, len(list))
	for _, p := range list {
		h := HostProposal{Proposal: p, OpeningTitle: titles[p.OpeningID]}
		if s.Beneficiaries != nil {
			b, err := s.Beneficiaries.Beneficiary(ctx, p.OrganisationID, p.BeneficiaryID)
			if err != nil && !apperr.Is(err, apperr.NotFound) {
				return nil, err
			}
			if err == nil && b.Erased == nil {
				h.Candidate = b.FirstName
				if r := []rune(b.LastName); len(r) > 0 {
					h.Candidate += " " + string(r[0]) + "."
				}
				if len(b.Enrolment.Referents) > 0 && s.Users != nil {
					id := b.Enrolment.Referents[0]
					if _, read := advisers[id]; !read {
						if u, err := s.Users.User(ctx, id); err == nil && u.Active() {
							advisers[id] = access.User{Name: u.Name, Email: u.Email, Phone: u.Phone}
						} else {
							advisers[id] = access.User{}
						}
					}
					h.Adviser = advisers[id]
				}
			}
		}
		if s.Users != nil {
			name, read := programmes[p.OrganisationID]
			if !read {
				if org, err := s.Users.Organisation(ctx, p.OrganisationID); err == nil {
					name = org.Name
				}
				programmes[p.OrganisationID] = name
			}
			h.Programme = name
		}
		h.Explanation = nil
		out = append(out, h)
	}
	return out, nil
}
