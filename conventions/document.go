// Package conventions makes a PMSMP convention a document: its parties and
// content, its signatures by single-use links sent by e-mail, its
// validation by the prescriber, the placement itself, and the tutor's
// assessment, a hire becoming a situation of the beneficiary. Every step
// records who and when; a step the lifecycle forbids is apperr.Conflict.
package conventions

import (
	"context"
	"time"

	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/civil"
)

// State is where a convention document is.
type State string

// The states of a convention document.
const (
	Draft           State = "draft"
	Sent            State = "sent"             // sent for signature, none yet
	PartiallySigned State = "partially-signed" // signed by some parties
	Signed          State = "signed"           // signed by every party
	Validated       State = "validated"        // validated by the prescriber
	InProgress      State = "in-progress"
	Ended           State = "ended"
	Assessed        State = "assessed"
	Cancelled       State = "cancelled"
	Rejected        State = "rejected" // by the prescriber, with a reason
)

var next = map[State][]State{
	Draft:           {Sent, Cancelled},
	Sent:            {PartiallySigned, Signed, Cancelled, Rejected},
	PartiallySigned: {Signed, Cancelled, Rejected},
	Signed:          {Validated, Rejected, Cancelled},
	Validated:       {InProgress, Cancelled},
	InProgress:      {Ended, Cancelled},
	Ended:           {Assessed},
}

var stateFR = map[State]string{Draft: "brouillon", Sent: "envoyée pour signature", PartiallySigned: "signée en partie", Signed: "signée",
	Validated: "validée", InProgress: "en cours", Ended: "terminée", Assessed: "évaluée", Cancelled: "annulée", Rejected: "refusée"}

// French says the state in a French sentence.
func (s State) French() string { return stateFR[s] }

// Party is one who signs.
type Party string

// The signatories: the beneficiary, the host (its tutor), and the
// accompanying structure (the beneficiary's adviser).
const (
	Beneficiary Party = "beneficiary"
	Host        Party = "host"
	Structure   Party = "structure"
)

// Parties lists the signatories in the order they are shown.
var Parties = []Party{Beneficiary, Host, Structure}

// Prescriber kinds: who may prescribe a PMSMP (Code du travail L5135-2).
var PrescriberKinds = []string{"france-travail", "mission-locale", "cap-emploi", "siae", "structure-conventionnee"}

// Signatory is a party's person and their signature link.
type Signatory struct {
	Party Party
	Name  string
	Email string
	// TokenHash is the SHA-256 of the link's secret; Expires when it ends.
	TokenHash string
	Expires   time.Time
	// Signature, once signed.
	Signed *Signature
}

// Signature is what a signature records.
type Signature struct {
	Name      string
	At        time.Time
	IP        string
	UserAgent string
}

// Transition is one step of the document, with who and when.
type Transition struct {
	From, To State
	At       time.Time
	By       string
	Reason   string
}

// Assessment is the tutor's account of the placement.
type Assessment struct {
	// Outcome: completed, partially-completed or did-not-show.
	Outcome string
	Skills  string
	Hired   bool
	// Contract of the hire: a situation kind (cdi, cdd, interim, …).
	Contract string
	// Months of a fixed-term hire.
	Months int
	By     string
	At     time.Time
}

// Outcomes of a placement.
var Outcomes = []string{"completed", "partially-completed", "did-not-show"}

// Document is a PMSMP convention as a document.
type Document struct {
	ID             string
	OrganisationID string
	// ConventionID is the PMSMP convention (pmsmp rules) it documents.
	ConventionID  string
	BeneficiaryID string
	// BeneficiaryName is shown on the document.
	BeneficiaryName string
	HostSIRET       string
	HostName        string
	HostAddress     string
	Tutor           TutorOf
	// Prescriber: its kind and name.
	PrescriberKind string
	PrescriberName string
	// Structure is the accompanying organisation; Adviser follows the person.
	Structure    string
	AdviserID    string
	Start, End   civil.Date
	Schedule     string
	HoursPerWeek int
	Place        string
	Objective    string
	Objectives   string
	Tasks        string
	Risks        string
	Equipment    string
	Signatories  []Signatory
	State        State
	History      []Transition
	Assessment   *Assessment
	// AssessmentTokenHash is the SHA-256 of the tutor's assessment link's
	// secret, sent when the placement ends; AssessmentExpires when it ends.
	AssessmentTokenHash string
	AssessmentExpires   time.Time
	CreatedAt           time.Time
	UpdatedAt           time.Time
	Version             int64
}

// TutorOf is the host's tutor on the document.
type TutorOf struct {
	Name, Role, Email, Phone string
}

// Advance returns d moved to state to by who at the instant: apperr.Conflict
// (currentState) when the lifecycle forbids it.
func (d Document) Advance(to State, by, reason string, at time.Time) (Document, error) {
	ok := false
	for _, s := range next[d.State] {
		ok = ok || s == to
	}
	if !ok {
		return d, apperr.Conflictf("A convention %s cannot become %s.", d.State, to).
			FR("Une convention %s ne peut pas devenir %s.", d.State.French(), to.French()).WithExtra(apperr.CurrentState, string(d.State))
	}
	n := d
	n.History = append(append([]Transition{}, d.History...), Transition{From: d.State, To: to, At: at, By: by, Reason: reason})
	n.State, n.UpdatedAt, n.Version = to, at, d.Version+1
	return n, nil
}

// Signatory returns the party's signatory.
func (d Document) Signatory(p Party) (Signatory, int) {
	for i, s := range d.Signatories {
		if s.Party == p {
			return s, i
		}
	}
	return Signatory{}, -1
}

// Store keeps convention documents.
type Store interface {
	CreateDocument(ctx context.Context, d Document) error
	// Document returns org's document id.
	Document(ctx context.Context, org, id string) (Document, error)
	// DocumentByID returns a document of any organisation (a signature
	// link names it).
	DocumentByID(ctx context.Context, id string) (Document, error)
	// ReplaceDocument stores d if the stored one is at d.Version-1:
	// apperr.PreconditionFailed otherwise.
	ReplaceDocument(ctx context.Context, d Document) error
	// DocumentsInState returns up to limit documents of every organisation
	// in one of the states, by start date.
	DocumentsInState(ctx context.Context, states []State, limit int) ([]Document, error)
}
