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

// Contract types of a job offer (domain.md).
var Contracts = []string{"cdi", "cdd", "interim", "alternance", "professionnalisation", "iae"}

// Opportunity is a job offer, a PMSMP placement or a training session.
type Opportunity struct {
	ID             string `json:"id"`
	OrganisationID string `json:"organisationId"`
	Kind           Kind   `json:"kind"`
	Status         Status `json:"status"`
	// ExternalRef is an agency's own reference, unique per organisation.
	ExternalRef string `json:"externalRef,omitempty"`

	Title        string     `json:"title"`
	Description  string     `json:"description"`
	Employer     string     `json:"employer,omitempty"`
	ROME         string     `json:"rome"`
	Place        geo.Place  `json:"place"`
	Start        civil.Date `json:"startDate"`
	End          civil.Date `json:"endDate,omitempty"`
	HoursPerWeek int        `json:"hoursPerWeek"`
	Days         []string   `json:"days,omitempty"`
	// Positions is the number of people wanted (job positions, PMSMP slots,
	// training seats).
	Positions int `json:"positions"`

	Contract *Contract `json:"contract,omitempty"`
	PMSMP    *PMSMP    `json:"pmsmp,omitempty"`

	French   FrenchRequirement    `json:"frenchRequired"`
	Diplomas []DiplomaRequirement `json:"diplomasRequired,omitempty"`
	Licences []string             `json:"licencesRequired,omitempty"`
	Skills   []string             `json:"skills,omitempty"`

	CreatedAt time.Time `json:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt"`
	Version   int64     `json:"version"`
}

// Contract describes a job offer's contract.
type Contract struct {
	Type string `json:"type" validate:"required,oneof=cdi cdd interim alternance professionnalisation iae"`
	// Months is the duration of a fixed-term contract; 0 for a CDI.
	Months int `json:"months,omitempty" validate:"required_if=Type cdd,required_if=Type interim,min=0,max=36"`
}

// PMSMP holds what a PMSMP placement adds: the host and the purpose.
type PMSMP struct {
	HostID    string          `json:"hostId" validate:"required,max=60"`
	Objective pmsmp.Objective `json:"objective" validate:"required,oneof=discover confirm recruit"`
	Tutor     string          `json:"tutor,omitempty" validate:"max=100"`
}

// FrenchRequirement is the minimum CEFR level per skill; an empty skill is not required.
type FrenchRequirement struct {
	OralComprehension    string `json:"oralComprehension,omitempty" validate:"omitempty,cefr"`
	WrittenComprehension string `json:"writtenComprehension,omitempty" validate:"omitempty,cefr"`
	OralProduction       string `json:"oralProduction,omitempty" validate:"omitempty,cefr"`
	WrittenProduction    string `json:"writtenProduction,omitempty" validate:"omitempty,cefr"`
}

// DiplomaRequirement is a diploma or licence an opportunity requires.
type DiplomaRequirement struct {
	Title    string `json:"title" validate:"required,max=200"`
	MinLevel int    `json:"minLevel,omitempty" validate:"omitempty,min=3,max=8"`
	Field    string `json:"field,omitempty" validate:"max=100"`
	// Recognised says whether a foreign diploma must be recognised in France.
	Recognised bool `json:"recognised,omitempty"`
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
