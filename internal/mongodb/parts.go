package mongodb

import (
	"time"

	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/geo"
	"github.com/parcours-emploi/parcours/jobs"
	"github.com/parcours-emploi/parcours/mentoring"
	"github.com/parcours-emploi/parcours/pathways"
	"github.com/parcours-emploi/parcours/pmsmp"
	"github.com/parcours-emploi/parcours/proposals"
)

// This file holds the values stored inside documents, each with its
// converters. Their keys are the stored shape: they change only with a
// migration, whatever the domain or the API call them.

type pointPart struct {
	Lat float64 `bson:"lat"`
	Lon float64 `bson:"lon"`
}

func toPointPart(p *geo.Point) *pointPart {
	if p == nil {
		return nil
	}
	return &pointPart{Lat: p.Lat, Lon: p.Lon}
}

func (p *pointPart) point() *geo.Point {
	if p == nil {
		return nil
	}
	return &geo.Point{Lat: p.Lat, Lon: p.Lon}
}

type placePart struct {
	Department string     `bson:"department"`
	Postcode   string     `bson:"postcode"`
	City       string     `bson:"city,omitempty"`
	Location   *pointPart `bson:"location,omitempty"`
}

func toPlacePart(p geo.Place) placePart {
	return placePart{Department: p.Department, Postcode: p.Postcode, City: p.City, Location: toPointPart(p.Location)}
}

func (p placePart) place() geo.Place {
	return geo.Place{Department: p.Department, Postcode: p.Postcode, City: p.City, Location: p.Location.point()}
}

// Beneficiaries.

type enrolmentPart struct {
	ProgrammeID        string     `bson:"programmeId,omitempty"`
	Programme          string     `bson:"programme"`
	EntryDate          civil.Date `bson:"entryDate"`
	Cohort             string     `bson:"cohort"`
	Referents          []string   `bson:"referents"`
	RightsReferent     string     `bson:"rightsReferent,omitempty"`
	EmploymentReferent string     `bson:"employmentReferent,omitempty"`
	ContractSignedOn   civil.Date `bson:"contractSignedOn,omitempty"`
}

type addressPart struct {
	Line     string     `bson:"line"`
	Postcode string     `bson:"postcode"`
	City     string     `bson:"city"`
	Location *pointPart `bson:"location,omitempty"`
}

type frenchPart struct {
	OralComprehension    string     `bson:"oralComprehension"`
	WrittenComprehension string     `bson:"writtenComprehension"`
	OralProduction       string     `bson:"oralProduction"`
	WrittenProduction    string     `bson:"writtenProduction"`
	Source               string     `bson:"source"`
	AssessedOn           civil.Date `bson:"assessedOn"`
}

type diplomaPart struct {
	Title       string `bson:"title"`
	Level       int    `bson:"level"`
	Country     string `bson:"country"`
	Field       string `bson:"field"`
	Recognition string `bson:"recognition"`
}

type skillPart struct {
	ROME  string `bson:"rome,omitempty"`
	Label string `bson:"label"`
}

type pastJobPart struct {
	ROME    string `bson:"rome"`
	Title   string `bson:"title"`
	Country string `bson:"country,omitempty"`
	Years   int    `bson:"years,omitempty"`
}

type projectPart struct {
	TargetROME  []string `bson:"targetRome"`
	Description string   `bson:"description"`
}

type availabilityPart struct {
	From         civil.Date `bson:"from"`
	HoursPerWeek int        `bson:"hoursPerWeek"`
	Days         []string   `bson:"days"`
	Constraints  string     `bson:"constraints"`
}

type mobilityPart struct {
	MaxKm int `bson:"maxKm"`
	// DrivingLicence is the yes/no of files written before the licence
	// had a status: yes reads as a French licence B.
	DrivingLicence  bool         `bson:"drivingLicence,omitempty"`
	Licence         *licencePart `bson:"licence,omitempty"`
	Vehicle         bool         `bson:"vehicle"`
	PublicTransport bool         `bson:"publicTransport"`
}

type licencePart struct {
	Status           string     `bson:"status"`
	Categories       []string   `bson:"categories"`
	ExchangeExpected civil.Date `bson:"exchangeExpected,omitempty"`
}

func toMobilityPart(m pathways.Mobility) mobilityPart {
	p := mobilityPart{MaxKm: m.MaxKm, Vehicle: m.Vehicle, PublicTransport: m.PublicTransport}
	if d := m.DrivingLicence; d.Status != "" {
		p.Licence = &licencePart{Status: d.Status, Categories: emptyIfNil(d.Categories), ExchangeExpected: d.ExchangeExpected}
	}
	return p
}

func (p mobilityPart) mobility() pathways.Mobility {
	m := pathways.Mobility{MaxKm: p.MaxKm, Vehicle: p.Vehicle, PublicTransport: p.PublicTransport,
		DrivingLicence: pathways.DrivingLicence{Categories: []string{}}}
	switch {
	case p.Licence != nil:
		m.DrivingLicence = pathways.DrivingLicence{Status: p.Licence.Status, Categories: emptyIfNil(p.Licence.Categories), ExchangeExpected: p.Licence.ExchangeExpected}
	case p.DrivingLicence:
		m.DrivingLicence = pathways.DrivingLicence{Status: pathways.LicenceFrench, Categories: []string{"B"}}
	}
	return m
}

type erasurePart struct {
	At time.Time `bson:"at"`
	By string    `bson:"by"`
}

func toEnrolmentPart(e pathways.Enrolment) enrolmentPart {
	return enrolmentPart{ProgrammeID: e.ProgrammeID, Programme: e.Programme, EntryDate: e.EntryDate, Cohort: e.Cohort, Referents: e.Referents,
		RightsReferent: e.RightsReferent, EmploymentReferent: e.EmploymentReferent, ContractSignedOn: e.ContractSignedOn}
}

func (e enrolmentPart) enrolment() pathways.Enrolment {
	return pathways.Enrolment{ProgrammeID: e.ProgrammeID, Programme: e.Programme, EntryDate: e.EntryDate, Cohort: e.Cohort, Referents: emptyIfNil(e.Referents),
		RightsReferent: e.RightsReferent, EmploymentReferent: e.EmploymentReferent, ContractSignedOn: e.ContractSignedOn}
}

func toFrenchPart(f pathways.French) frenchPart {
	return frenchPart{OralComprehension: f.OralComprehension, WrittenComprehension: f.WrittenComprehension,
		OralProduction: f.OralProduction, WrittenProduction: f.WrittenProduction, Source: f.Source, AssessedOn: f.AssessedOn}
}

func (f frenchPart) french() pathways.French {
	return pathways.French{OralComprehension: f.OralComprehension, WrittenComprehension: f.WrittenComprehension,
		OralProduction: f.OralProduction, WrittenProduction: f.WrittenProduction, Source: f.Source, AssessedOn: f.AssessedOn}
}

func toErasurePart(e *pathways.ErasureStamp) *erasurePart {
	if e == nil {
		return nil
	}
	return &erasurePart{At: e.At, By: e.By}
}

func (e *erasurePart) stamp() *pathways.ErasureStamp {
	if e == nil {
		return nil
	}
	return &pathways.ErasureStamp{At: e.At.UTC(), By: e.By}
}

// Opportunities.

type contractPart struct {
	Type   string `bson:"type"`
	Months int    `bson:"months,omitempty"`
}

type pmsmpPart struct {
	HostID    string `bson:"hostId"`
	Objective string `bson:"objective"`
	Tutor     string `bson:"tutor,omitempty"`
}

type frenchRequirementPart struct {
	OralComprehension    string `bson:"oralComprehension,omitempty"`
	WrittenComprehension string `bson:"writtenComprehension,omitempty"`
	OralProduction       string `bson:"oralProduction,omitempty"`
	WrittenProduction    string `bson:"writtenProduction,omitempty"`
}

type diplomaRequirementPart struct {
	Title      string `bson:"title"`
	MinLevel   int    `bson:"minLevel,omitempty"`
	Field      string `bson:"field,omitempty"`
	Recognised bool   `bson:"recognised,omitempty"`
}

func toContractPart(c *jobs.Contract) *contractPart {
	if c == nil {
		return nil
	}
	return &contractPart{Type: c.Type, Months: c.Months}
}

func (c *contractPart) contract() *jobs.Contract {
	if c == nil {
		return nil
	}
	return &jobs.Contract{Type: c.Type, Months: c.Months}
}

func toPMSMPPart(p *jobs.PMSMP) *pmsmpPart {
	if p == nil {
		return nil
	}
	return &pmsmpPart{HostID: p.HostID, Objective: string(p.Objective), Tutor: p.Tutor}
}

func (p *pmsmpPart) pmsmp() *jobs.PMSMP {
	if p == nil {
		return nil
	}
	return &jobs.PMSMP{HostID: p.HostID, Objective: pmsmp.Objective(p.Objective), Tutor: p.Tutor}
}

// Mentoring.

type mentorAvailabilityPart struct {
	HoursPerMonth int      `bson:"hoursPerMonth"`
	Days          []string `bson:"days"`
	Remote        bool     `bson:"remote"`
}

type checkInPart struct {
	ID       string     `bson:"id"`
	Date     civil.Date `bson:"date"`
	Minutes  int        `bson:"minutes"`
	Topics   []string   `bson:"topics"`
	NextStep string     `bson:"nextStep"`
	By       string     `bson:"by"`
	At       time.Time  `bson:"at"`
}

func toCheckInPart(c mentoring.CheckIn) checkInPart {
	return checkInPart{ID: c.ID, Date: c.Date, Minutes: c.Minutes, Topics: c.Topics, NextStep: c.NextStep, By: c.By, At: c.At}
}

func (c checkInPart) checkIn() mentoring.CheckIn {
	return mentoring.CheckIn{ID: c.ID, Date: c.Date, Minutes: c.Minutes, Topics: emptyIfNil(c.Topics), NextStep: c.NextStep, By: c.By, At: c.At.UTC()}
}

// Proposals.

type transitionPart struct {
	From   string    `bson:"from"`
	To     string    `bson:"to"`
	At     time.Time `bson:"at"`
	By     string    `bson:"by"`
	Reason string    `bson:"reason,omitempty"`
}

func toTransitionPart(t proposals.Transition) transitionPart {
	return transitionPart{From: string(t.From), To: string(t.To), At: t.At, By: t.By, Reason: t.Reason}
}

func (t transitionPart) transition() proposals.Transition {
	return proposals.Transition{From: proposals.State(t.From), To: proposals.State(t.To), At: t.At.UTC(), By: t.By, Reason: t.Reason}
}

// Batches.

type scopePart struct {
	Department string `bson:"department,omitempty"`
	Programme  string `bson:"programme,omitempty"`
}

type progressPart struct {
	Phase   string `bson:"phase"`
	Written int    `bson:"written"`
	Total   int    `bson:"total"`
}

type countsPart struct {
	Seekers    int `bson:"seekers"`
	Openings   int `bson:"openings"`
	Candidates int `bson:"candidatePairs"`
	Assigned   int `bson:"assigned"`
	Created    int `bson:"proposalsCreated"`
	Existing   int `bson:"proposalsExisting"`
	Skipped    int `bson:"proposalsSkipped"`
}

type durationsPart struct {
	LoadMs  int64 `bson:"loadMs"`
	BuildMs int64 `bson:"buildMs"`
	SolveMs int64 `bson:"solveMs"`
	WriteMs int64 `bson:"writeMs"`
	TotalMs int64 `bson:"totalMs"`
}

// Measurements keep the situations they read, as they were.

type situationPart struct {
	ID             string     `bson:"id"`
	OrganisationID string     `bson:"organisationId"`
	BeneficiaryID  string     `bson:"beneficiaryId"`
	Kind           string     `bson:"kind"`
	Start          civil.Date `bson:"startDate"`
	End            civil.Date `bson:"endDate,omitempty"`
	DurationMonths int        `bson:"durationMonths,omitempty"`
	ExitReason     string     `bson:"exitReason,omitempty"`
	Tenure         string     `bson:"tenure,omitempty"`
	Employer       string     `bson:"employer,omitempty"`
	Note           string     `bson:"note,omitempty"`
	EndReason      string     `bson:"endReason,omitempty"`
	RecordedAt     time.Time  `bson:"recordedAt"`
	RecordedBy     string     `bson:"recordedBy"`
}

func toSituationPart(s pathways.Situation) situationPart {
	return situationPart{ID: s.ID, OrganisationID: s.OrganisationID, BeneficiaryID: s.BeneficiaryID, Kind: string(s.Kind),
		Start: s.Start, End: s.End, DurationMonths: s.DurationMonths, ExitReason: s.ExitReason, Tenure: s.Tenure, Employer: s.Employer,
		Note: s.Note, EndReason: s.EndReason, RecordedAt: s.RecordedAt, RecordedBy: s.RecordedBy}
}

func (s situationPart) situation() pathways.Situation {
	return pathways.Situation{ID: s.ID, OrganisationID: s.OrganisationID, BeneficiaryID: s.BeneficiaryID, Kind: pathways.SituationKind(s.Kind),
		Start: s.Start, End: s.End, DurationMonths: s.DurationMonths, ExitReason: s.ExitReason, Tenure: s.Tenure, Employer: s.Employer,
		Note: s.Note, EndReason: s.EndReason, RecordedAt: s.RecordedAt.UTC(), RecordedBy: s.RecordedBy}
}

// parts converts a list with f; nil stays an empty list.
func parts[T, U any](list []T, f func(T) U) []U {
	out := make([]U, len(list))
	for i, x := range list {
		out[i] = f(x)
	}
	return out
}

func emptyIfNil[T any](list []T) []T {
	if list == nil {
		return []T{}
	}
	return list
}
