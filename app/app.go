// Package app builds Parcours' services once, over one store, with one set
// of settings, so every adapter (the API, the console, the workers) calls
// the same use cases with the same rules. cmd/parcours builds them at
// start-up; the adapters' tests build them the same way.
package app

import (
	"context"
	"time"

	"github.com/parcours-emploi/parcours/access"
	"github.com/parcours-emploi/parcours/announce"
	"github.com/parcours-emploi/parcours/batches"
	"github.com/parcours-emploi/parcours/candidates"
	"github.com/parcours-emploi/parcours/conventions"
	"github.com/parcours-emploi/parcours/fairness"
	"github.com/parcours-emploi/parcours/jobs"
	"github.com/parcours-emploi/parcours/matching"
	"github.com/parcours-emploi/parcours/mentoring"
	"github.com/parcours-emploi/parcours/notify"
	"github.com/parcours-emploi/parcours/pathways"
	"github.com/parcours-emploi/parcours/proposals"
	"github.com/parcours-emploi/parcours/suggestions"
)

// Store is everything the services keep; one database holds it all.
type Store interface {
	access.Store
	access.LoginStore
	notify.Outbox
	pathways.Store
	pathways.AuditLog
	pathways.AuditReader
	pathways.SituationStore
	pathways.MeasurementStore
	pathways.ProgrammeStore
	fairness.Store
	jobs.Store
	jobs.ConventionStore
	jobs.SubmissionStore
	jobs.HostStore
	conventions.Store
	pathways.FreeTextEraser
	mentoring.MentorStore
	mentoring.MentorshipStore
	mentoring.PlaceStore
	proposals.Store
	batches.Store
}

// Queue is the work queue the services put background work on.
type Queue interface {
	batches.Enqueuer
	notify.Queue
}

// Settings are the rules' parameters, one set for every adapter.
type Settings struct {
	// ProposalExpiryDays is how long a sent proposal waits for an answer
	// (0: proposals.DefaultExpiryDays).
	ProposalExpiryDays int
	// MentorshipMonths is a mentorship's planned length (0: 6).
	MentorshipMonths int
	// StaffIdle and MentorIdle are how long console sessions last unused
	// (0: 30 minutes for staff, 30 days for mentors).
	StaffIdle, MentorIdle time.Duration
	// DeclineCooldown is how long a declined pair is not proposed again, by
	// people or the engine (0: proposals.DefaultCooldown).
	DeclineCooldown time.Duration
	// Now is the clock (nil: time.Now).
	Now func() time.Time
}

// Services are the use cases, built once.
type Services struct {
	Access        access.Store
	Logins        *access.Logins
	Notify        *notify.Service
	Preferences   *notify.Preferences
	Team          *access.Team
	Beneficiaries *pathways.Service
	Opportunities *jobs.Service
	Proposals     *proposals.Service
	Mentoring     *mentoring.Service
	Suggestions   *suggestions.Service
	Batches       *batches.Service
	// Documents are the PMSMP conventions as documents: signatures,
	// validation, the placement, its assessment.
	Documents *conventions.Service
	// Engine and Loader are shared by suggestions, proposals and batches,
	// so they evaluate alike.
	Engine *matching.Engine
	Loader *candidates.Loader
	// Runner runs the batches the queue hands to the workers.
	Runner *batches.Runner
	// Announce tells people what concerns them; the services call it on
	// each change, the workers' scan on what a crash left untold.
	Announce *announce.Service
	// Fairness keeps the monitoring attributes and reports the funnel by group.
	Fairness *fairness.Service
}

// New builds the services over st; queue puts work on the work queue.
func New(st Store, queue Queue, set Settings) *Services {
	now := set.Now
	if now == nil {
		now = time.Now
	}
	cooldown := set.DeclineCooldown
	if cooldown <= 0 {
		cooldown = proposals.DefaultCooldown
	}
	engine := candidates.NewEngine()
	loader := &candidates.Loader{Beneficiaries: st, Opportunities: st, Mentors: st, Proposals: st, Conventions: st, Programmes: st, Cooldown: cooldown}
	sug := &suggestions.Service{Engine: engine, Loader: loader, Audit: st, Now: now}
	ment := &mentoring.Service{Proposals: st, Mentorships: st, Mentors: st, Places: st, Beneficiaries: st, Audit: st, Users: st,
		DurationMonths: set.MentorshipMonths, Now: now}
	var enqueuer batches.Enqueuer
	var mailQueue notify.Queue
	if queue != nil {
		enqueuer, mailQueue = queue, queue
	}
	nt := &notify.Service{Outbox: st, Queue: mailQueue, Now: now}
	s := &Services{
		Access:        st,
		Logins:        &access.Logins{Users: st, Store: st, Mailer: nt, StaffIdle: set.StaffIdle, MentorIdle: set.MentorIdle, Now: now},
		Notify:        nt,
		Preferences:   &notify.Preferences{Users: st},
		Beneficiaries: &pathways.Service{Store: st, Audit: st, AuditReader: st, Users: st, Situations: st, Measurements: st, Programmes: st, Now: now},
		Opportunities: &jobs.Service{Store: st, Submissions: st, Hosts: st, Now: now},
		Proposals: &proposals.Service{Store: st, Audit: st, Evaluator: sug, Engine: engine, Mentors: ment, Opportunities: st, Conventions: st, Situations: st,
			Beneficiaries: st, Users: st,
			ExpiryDays: set.ProposalExpiryDays, Cooldown: cooldown, Now: now},
		Mentoring:   ment,
		Suggestions: sug,
		Batches:     &batches.Service{Store: st, Queue: enqueuer, Now: now},
		Engine:      engine,
		Loader:      loader,
		Runner:      &batches.Runner{Store: st, Loader: loader, Proposals: st, Engine: engine, Now: now},
	}
	s.Fairness = &fairness.Service{Store: st, Pathways: s.Beneficiaries, Files: st, Outcomes: st, Audit: st, AuditLog: st, Proposals: st, Now: now}
	s.Team = &access.Team{Store: st, Logins: s.Logins, Mailer: nt, Now: now}
	s.Documents = &conventions.Service{Store: st, Conventions: st, Hosts: st, People: st, Situations: s.Beneficiaries, Users: st,
		Mail: nt, Audit: st, Now: now}
	// An offer that closes withdraws the proposals waiting on it.
	s.Opportunities.Closed = func(ctx context.Context, o jobs.Opportunity, by string) {
		_, _ = s.Proposals.WithdrawOn(ctx, o, by)
	}
	// Erasing a person closes what was under way for them.
	s.Beneficiaries.Erased = func(ctx context.Context, who access.Principal, id string) error {
		if _, err := s.Proposals.WithdrawAllOf(ctx, who, id, "The person's data was erased."); err != nil {
			return err
		}
		if _, err := ment.EndAllOf(ctx, who, id); err != nil {
			return err
		}
		return st.EraseFreeText(ctx, who.OrganisationID, id)
	}
	if mailQueue != nil {
		a := &announce.Service{Notify: nt, Users: st, Logins: s.Logins, Proposals: s.Proposals, Mentoring: ment,
			Beneficiaries: s.Beneficiaries, Opportunities: st, Batches: st, Fairness: s.Fairness, Now: now}
		s.Announce = a
		s.Proposals.Changed = announce.Hook(a, a.ProposalChanged)
		ment.Changed = announce.Hook(a, a.ProposalChanged)
		s.Runner.Finished = announce.Hook(a, a.BatchFinished)
	}
	return s
}
