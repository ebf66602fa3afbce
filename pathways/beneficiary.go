package pathways

import (
	"context"
	"time"

	"github.com/parcours-emploi/parcours/access"
	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/geo"
)

// Protection is a beneficiary's protection status. It is sensitive: it is never
// an input to matching and never shown to mentors.
type Protection string

// Protection statuses (domain.md, "BPI").
const (
	ProtectionRefugee    Protection = "refugee"
	ProtectionSubsidiary Protection = "subsidiary-protection"
	ProtectionFamily     Protection = "bpi-family-member"
)

// Protections lists the accepted statuses.
var Protections = []Protection{ProtectionRefugee, ProtectionSubsidiary, ProtectionFamily}

// Beneficiary is one person followed on an employment pathway.
type Beneficiary struct {
	ID             string
	OrganisationID string

	FirstName  string
	LastName   string
	BirthDate  civil.Date
	Protection Protection

	Enrolment  Enrolment
	Department string
	Address    Address

	French       French
	Diplomas     []Diploma
	Skills       []Skill
	PastJobs     []PastJob
	Project      Project
	Availability Availability
	Mobility     Mobility
	Barriers     []Barrier
	// Languages spoken (ISO 639 codes) and interests, used to match mentors.
	Languages []string
	Interests []string
	ConsentAt civil.Date
	Notes     string
	// ExitedOn is the day the beneficiary left the programme, when they did.
	ExitedOn civil.Date
	// ExitReason is the reason of that exit (ExitReasons).
	ExitReason string
	Erased     *ErasureStamp

	CreatedAt time.Time
	UpdatedAt time.Time
	// Version counts changes; it is the record's ETag and the guard of every update.
	Version int64
}

// ErasureStamp records that the personal data of a record was erased (GDPR).
type ErasureStamp struct {
	At time.Time
	By string
}

// Enrolment is a beneficiary's place in a programme.
type Enrolment struct {
	// ProgrammeID is the programme's record; Programme its name.
	ProgrammeID string
	Programme   string
	EntryDate   civil.Date
	Cohort      string
	// Referents are the user ids of the beneficiary's advisers.
	Referents []string
	// RightsReferent (rights and housing) and EmploymentReferent
	// (employment and training) are AGIR's pair of referents, user ids.
	RightsReferent     string
	EmploymentReferent string
	// ContractSignedOn is the day the Contrat d'Engagement Réciproque was
	// signed, at the first diagnostic interview.
	ContractSignedOn civil.Date
}

// referents lists every user the enrolment names as a referent: the
// pair is among the referents, so lists and news find them.
func (e Enrolment) referents() []string {
	out := append([]string(nil), e.Referents...)
	for _, r := range []string{e.RightsReferent, e.EmploymentReferent} {
		if r != "" && !contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

// Address is where a beneficiary lives.
type Address struct {
	Line     string
	Postcode string
	City     string
	Location *geo.Point
}

// CEFR levels, per skill. "below-a1" exists at entry.
const (
	LevelBelowA1 = "below-a1"
	LevelA1      = "a1"
	LevelA2      = "a2"
	LevelB1      = "b1"
	LevelB2      = "b2"
	LevelC1      = "c1"
	LevelC2      = "c2"
)

// Levels lists the CEFR levels in order.
var Levels = []string{LevelBelowA1, LevelA1, LevelA2, LevelB1, LevelB2, LevelC1, LevelC2}

// French is a French level assessed per skill, with its source and date.
type French struct {
	OralComprehension    string
	WrittenComprehension string
	OralProduction       string
	WrittenProduction    string
	Source               string
	AssessedOn           civil.Date
}

// Recognition of a foreign diploma (ENIC-NARIC).
const (
	RecognitionRecognised    = "recognised"
	RecognitionPending       = "comparability-pending"
	RecognitionComparability = "comparability-obtained"
	RecognitionNone          = "not-recognised"
)

// Diploma is a qualification with its French nomenclature level (3–8).
type Diploma struct {
	Title       string
	Level       int
	Country     string
	Field       string
	Recognition string
}

// Skill is a skill, as a ROME code and/or free text.
type Skill struct {
	ROME  string
	Label string
}

// PastJob is a job held before, in France or abroad.
type PastJob struct {
	ROME    string
	Title   string
	Country string
	Years   int
}

// Project is the professional project: the trades aimed at.
type Project struct {
	TargetROME  []string
	Description string
}

// Availability says from when and how much a beneficiary can work or train.
type Availability struct {
	From         civil.Date
	HoursPerWeek int
	Days         []string
	Constraints  string
}

// Mobility says how far a beneficiary can travel.
type Mobility struct {
	MaxKm           int
	DrivingLicence  DrivingLicence
	Vehicle         bool
	PublicTransport bool
}

// Barrier is an obstacle to employment (frein).
type Barrier string

// Barriers (domain.md).
var Barriers = []Barrier{"mobility", "health", "childcare", "housing", "digital", "administrative", "language"}

// Weekdays lists the accepted day names.
var Weekdays = []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}

// Erase removes the personal data of b and keeps what anonymous statistics
// need: organisation, programme enrolment (programme, entry date, cohort),
// département, French levels, diploma levels, ROME codes of skills, past jobs
// and project. Names, birth date, address, notes and every free text go.
func (b Beneficiary) Erase(by string, at time.Time) Beneficiary {
	e := Beneficiary{
		ID:             b.ID,
		OrganisationID: b.OrganisationID,
		Enrolment:      Enrolment{ProgrammeID: b.Enrolment.ProgrammeID, Programme: b.Enrolment.Programme, EntryDate: b.Enrolment.EntryDate, Cohort: b.Enrolment.Cohort, ContractSignedOn: b.Enrolment.ContractSignedOn},
		Department:     b.Department,
		French:         French{OralComprehension: b.French.OralComprehension, WrittenComprehension: b.French.WrittenComprehension, OralProduction: b.French.OralProduction, WrittenProduction: b.French.WrittenProduction, Source: b.French.Source, AssessedOn: b.French.AssessedOn},
		Project:        Project{TargetROME: b.Project.TargetROME},
		Barriers:       b.Barriers,
		ExitedOn:       b.ExitedOn,
		ExitReason:     b.ExitReason,
		Erased:         &ErasureStamp{At: at, By: by},
		CreatedAt:      b.CreatedAt,
		UpdatedAt:      at,
		Version:        b.Version + 1,
	}
	for _, d := range b.Diplomas {
		e.Diplomas = append(e.Diplomas, Diploma{Level: d.Level, Field: d.Field, Recognition: d.Recognition})
	}
	for _, s := range b.Skills {
		if s.ROME != "" {
			e.Skills = append(e.Skills, Skill{ROME: s.ROME})
		}
	}
	for _, j := range b.PastJobs {
		e.PastJobs = append(e.PastJobs, PastJob{ROME: j.ROME, Years: j.Years})
	}
	return e
}

// Status of a beneficiary in the programme, as lists filter it.
const (
	StatusActive = "active"
	StatusExited = "exited"
)

// EnrolmentValues are the values an organisation's beneficiaries hold:
// the choices of the console's filters, and its forms' defaults.
type EnrolmentValues struct {
	Programmes, Cohorts, Departments []string
	// People counts the beneficiaries by département.
	People map[string]int
}

// MainDepartment is the département most of the beneficiaries live in,
// "" when there are none.
func (v EnrolmentValues) MainDepartment() string {
	best := ""
	for _, d := range v.Departments {
		if best == "" || v.People[d] > v.People[best] {
			best = d
		}
	}
	return best
}

// Filter selects beneficiaries of one organisation in a list. Empty fields do
// not filter.
type Filter struct {
	OrganisationID string
	Programme      string
	Cohort         string
	Department     string
	Referent       string
	// Search finds names from their start, without case or accents
	// ("ami", "haid", "amina h").
	Search string
	// OralAtLeast keeps those whose French in oral production is at least
	// this CEFR level.
	OralAtLeast string
	// Status is "active" (in the programme) or "exited" (left it).
	Status string
	// After is the opaque position of the last item of the previous page.
	After string
	Limit int
}

// Store keeps beneficiaries. Every method is scoped to an organisation: a
// record of another organisation is apperr.NotFound, as one that does not exist.
type Store interface {
	// CreateBeneficiary inserts b (ID, Version and times set by the caller).
	CreateBeneficiary(ctx context.Context, b Beneficiary) error
	// Beneficiary returns apperr.NotFound if no such record exists in org.
	Beneficiary(ctx context.Context, org, id string) (Beneficiary, error)
	// Beneficiaries returns a page of org's records in a stable order and the
	// position to pass as After for the next page ("" when none is left).
	Beneficiaries(ctx context.Context, f Filter) ([]Beneficiary, string, error)
	// BeneficiariesByID returns org's beneficiaries among ids, erased ones
	// included, in no particular order.
	BeneficiariesByID(ctx context.Context, org string, ids []string) ([]Beneficiary, error)
	// EnrolmentValues lists the programmes, cohorts and départements of
	// org's beneficiaries, each sorted, with how many people each
	// département has.
	EnrolmentValues(ctx context.Context, org string) (EnrolmentValues, error)
	// ReplaceBeneficiary stores b if the stored version is still b.Version-1.
	// It returns apperr.NotFound if the record is gone and
	// apperr.PreconditionFailed if it changed meanwhile.
	ReplaceBeneficiary(ctx context.Context, b Beneficiary) error
}

// Live reads org's beneficiary id. An erased beneficiary is
// apperr.NotFound, as one that does not exist or belongs to another
// organisation: only anonymous statistics remain of it.
func Live(ctx context.Context, st Store, org, id string) (Beneficiary, error) {
	b, err := st.Beneficiary(ctx, org, id)
	if err != nil {
		return b, err
	}
	if b.Erased != nil {
		return Beneficiary{}, apperr.NotFoundf("No such beneficiary.").FR("Cette personne n'existe pas.")
	}
	return b, nil
}

// AuditEntry records one access to a beneficiary file (GDPR, AI Act logging).
type AuditEntry struct {
	At             time.Time
	UserID         string
	OrganisationID string
	Action         string // read, create, update, erase, suggestions
	BeneficiaryID  string
	RequestID      string
}

// AuditLog keeps audit entries; it only appends.
type AuditLog interface {
	Audit(ctx context.Context, e AuditEntry) error
}

// AuditFilter selects audit entries of an organisation: by user, by files
// (any of BeneficiaryIDs), between two days in France (inclusive). Before
// is the opaque position of the last entry of the previous page: entries
// come newest first.
type AuditFilter struct {
	OrganisationID string
	UserID         string
	BeneficiaryIDs []string
	From, To       civil.Date
	Before         string
	Limit          int
}

// AuditReader reads the audit log.
type AuditReader interface {
	// AuditEntries returns a page of entries, newest first, and the
	// position to pass as Before for the next ("" when none is left).
	AuditEntries(ctx context.Context, f AuditFilter) ([]AuditEntry, string, error)
}

// Audit actions.
const (
	AuditRead        = "read"
	AuditCreate      = "create"
	AuditUpdate      = "update"
	AuditErase       = "erase"
	AuditSuggestions = "suggestions"
	AuditEvaluation  = "evaluation"
	AuditPropose     = "propose"
	AuditMenteeView  = "mentee-view"
)

// WriteAudit records that who did action on the beneficiary's file at the
// instant, with the request id ctx carries.
func WriteAudit(ctx context.Context, log AuditLog, who access.Principal, action, beneficiaryID string, at time.Time) error {
	return log.Audit(ctx, AuditEntry{
		At: at, UserID: who.UserID, OrganisationID: who.OrganisationID,
		Action: action, BeneficiaryID: beneficiaryID, RequestID: access.RequestID(ctx),
	})
}
