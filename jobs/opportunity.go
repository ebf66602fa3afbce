package jobs

import (
	"context"
	"time"

	"github.com/parcours-emploi/parcours/access"
	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/geo"
	"github.com/parcours-emploi/parcours/pmsmp"
)

// Kind is what an opportunity offers.
type Kind string

// Kinds of opportunity.
const (
	KindJob      Kind = "job"
	KindPMSMP    Kind = "pmsmp"
	KindTraining Kind = "training"
)

// Kinds lists the accepted kinds.
var Kinds = []Kind{KindJob, KindPMSMP, KindTraining}

// Status is where an opportunity is in its life.
type Status string

// Statuses. Only open opportunities are matched.
const (
	StatusDraft   Status = "draft"
	StatusOpen    Status = "open"
	StatusFilled  Status = "filled"
	StatusClosed  Status = "closed"
	StatusExpired Status = "expired"
)

// Statuses lists the accepted statuses.
var Statuses = []Status{StatusDraft, StatusOpen, StatusFilled, StatusClosed, StatusExpired}

var statusFR = map[Status]string{StatusDraft: "en brouillon", StatusOpen: "ouverte", StatusFilled: "pourvue", StatusClosed: "fermée", StatusExpired: "expirée"}

// French says the status in a French sentence: "fermée".
func (s Status) French() string {
	if f, ok := statusFR[s]; ok {
		return f
	}
	return string(s)
}

// English says the status in an English sentence: "closed".
func (s Status) English() string { return string(s) }

// Contract types of a job offer (domain.md).
var Contracts = []string{"cdi", "cdd", "interim", "alternance", "professionnalisation", "iae"}

// Opportunity is a job offer, a PMSMP placement or a training session.
type Opportunity struct {
	ID             string
	OrganisationID string
	Kind           Kind
	Status         Status
	// ExternalRef is an agency's own reference, unique per organisation.
	ExternalRef string

	Title        string
	Description  string
	Employer     string
	ROME         string
	Place        geo.Place
	Start        civil.Date
	End          civil.Date
	HoursPerWeek int
	Days         []string
	// Positions is the number of people wanted (job positions, PMSMP slots,
	// training seats).
	Positions int

	Contract *Contract
	PMSMP    *PMSMP

	French   FrenchRequirement
	Diplomas []DiplomaRequirement
	Licences []string
	Skills   []string

	CreatedAt time.Time
	UpdatedAt time.Time
	Version   int64
}

// Contract describes a job offer's contract.
type Contract struct {
	Type string
	// Months is the duration of a fixed-term contract; 0 for a CDI.
	Months int
}

// PMSMP holds what a PMSMP placement adds: the host and the purpose.
type PMSMP struct {
	// HostID is the host's SIRET (a name for placements recorded before
	// hosts had one).
	HostID    string
	Objective pmsmp.Objective
	Tutor     string
}

// FrenchRequirement is the minimum CEFR level per skill; an empty skill is not required.
type FrenchRequirement struct {
	OralComprehension    string
	WrittenComprehension string
	OralProduction       string
	WrittenProduction    string
}

// DiplomaRequirement is a diploma or licence an opportunity requires.
type DiplomaRequirement struct {
	Title    string
	MinLevel int
	Field    string
	// Recognised says whether a foreign diploma must be recognised in France.
	Recognised bool
}

// VisibleToStaffOf reports whether the advisers and coordinators of org may
// see o: their own organisation's, or any published one (not a draft).
// Publishing is what makes an offer available to the programmes that match
// to it.
func (o Opportunity) VisibleToStaffOf(org string) bool {
	return o.OrganisationID == org || o.Status != StatusDraft
}

// VisibleTo reports whether who may read o: staff as VisibleToStaffOf
// says; anyone else (an agency) its own organisation's only.
func (o Opportunity) VisibleTo(who access.Principal) bool {
	if who.Is(access.Adviser, access.Coordinator) {
		return o.VisibleToStaffOf(who.OrganisationID)
	}
	return o.OrganisationID == who.OrganisationID
}

// Filter selects opportunities in a list. Empty fields do not filter.
type Filter struct {
	// OrganisationID limits the list to one publisher; empty lists every
	// publisher's published opportunities (Published must then be true).
	OrganisationID string
	// Visible, when set, also admits drafts of that organisation.
	Visible    string
	Kind       Kind
	ROME       string
	Department string
	Status     Status
	After      string
	Limit      int
}

// Store keeps opportunities.
type Store interface {
	// CreateOpportunity inserts o. It returns apperr.Conflict if the
	// organisation already has an opportunity with o.ExternalRef.
	CreateOpportunity(ctx context.Context, o Opportunity) error
	// Opportunity returns apperr.NotFound if there is none with that id.
	Opportunity(ctx context.Context, id string) (Opportunity, error)
	// OpportunityByRef returns apperr.NotFound if org has none with that reference.
	OpportunityByRef(ctx context.Context, org, ref string) (Opportunity, error)
	// Opportunities returns a page and the position of the next one ("" at the end).
	Opportunities(ctx context.Context, f Filter) ([]Opportunity, string, error)
	// ReplaceOpportunity stores o if the stored version is still o.Version-1:
	// apperr.NotFound if gone, apperr.PreconditionFailed if changed meanwhile.
	ReplaceOpportunity(ctx context.Context, o Opportunity) error
}
