package httpapi

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/geo"
	"github.com/parcours-emploi/parcours/pathways"
)

// BeneficiaryInput is the body of POST /beneficiaries, and the shape a PATCH
// merge patch applies to.
type BeneficiaryInput struct {
	FirstName    string            `json:"firstName" validate:"required,max=100"`
	LastName     string            `json:"lastName" validate:"required,max=100"`
	BirthDate    civil.Date        `json:"birthDate" validate:"required,date"`
	Protection   string            `json:"protection" validate:"required,oneof=refugee subsidiary-protection bpi-family-member"`
	Enrolment    EnrolmentInput    `json:"enrolment"`
	Department   string            `json:"department" validate:"required,departement"`
	Address      AddressInput      `json:"address"`
	French       FrenchInput       `json:"french"`
	Diplomas     []DiplomaInput    `json:"diplomas" validate:"max=20,dive"`
	Skills       []SkillInput      `json:"skills" validate:"max=50,dive"`
	PastJobs     []PastJobInput    `json:"pastJobs" validate:"max=30,dive"`
	Project      ProjectInput      `json:"project"`
	Availability AvailabilityInput `json:"availability"`
	Mobility     MobilityInput     `json:"mobility"`
	Barriers     []string          `json:"barriers" validate:"max=7,unique,dive,oneof=mobility health childcare housing digital administrative language"`
	Languages    []string          `json:"languages" validate:"max=10,dive,required,max=20"`
	Interests    []string          `json:"interests" validate:"max=20,dive,required,max=100"`
	ConsentAt    civil.Date        `json:"consentDate" validate:"required,date"`
	Notes        string            `json:"notes" validate:"max=10000"`
}

// EnrolmentInput is a beneficiary's place in a programme.
type EnrolmentInput struct {
	// ProgrammeID is one of the organisation's programmes (GET /programmes).
	ProgrammeID string `json:"programmeId,omitempty" validate:"max=40"`
	// Programme names it instead, accents and case aside; when both are
	// given, the name decides.
	Programme string     `json:"programme" validate:"required_without=ProgrammeID,max=40"`
	EntryDate civil.Date `json:"entryDate" validate:"required,date"`
	Cohort    string     `json:"cohort" validate:"max=60"`
	// Referents are the user ids of the beneficiary's advisers.
	Referents []string `json:"referents" validate:"max=4,dive,required,max=40"`
	// RightsReferent (rights and housing) and EmploymentReferent
	// (employment and training) are AGIR's pair of referents.
	RightsReferent     string `json:"rightsReferent,omitempty" validate:"max=40"`
	EmploymentReferent string `json:"employmentReferent,omitempty" validate:"max=40"`
	// ContractSignedOn is the day the Contrat d'Engagement Réciproque was signed.
	ContractSignedOn civil.Date `json:"contractSignedOn,omitempty" validate:"omitempty,date"`
}

// AddressInput is where a beneficiary lives.
type AddressInput struct {
	Line     string      `json:"line" validate:"max=200"`
	Postcode string      `json:"postcode" validate:"omitempty,postcode"`
	City     string      `json:"city" validate:"max=100"`
	Location *PointInput `json:"location,omitempty"`
}

// PointInput is a WGS84 position in degrees.
type PointInput struct {
	Lat float64 `json:"lat" validate:"latitude"`
	Lon float64 `json:"lon" validate:"longitude"`
}

// FrenchInput is a French level per skill, with its source and date.
type FrenchInput struct {
	OralComprehension    string     `json:"oralComprehension" validate:"omitempty,cefr"`
	WrittenComprehension string     `json:"writtenComprehension" validate:"omitempty,cefr"`
	OralProduction       string     `json:"oralProduction" validate:"omitempty,cefr"`
	WrittenProduction    string     `json:"writtenProduction" validate:"omitempty,cefr"`
	Source               string     `json:"source" validate:"omitempty,oneof=ofii delf tcf dcl adviser"`
	AssessedOn           civil.Date `json:"assessedOn" validate:"omitempty,date"`
}

// DiplomaInput is a qualification with its French nomenclature level.
type DiplomaInput struct {
	Title       string `json:"title" validate:"required,max=200"`
	Level       int    `json:"level" validate:"omitempty,min=3,max=8"`
	Country     string `json:"country" validate:"max=60"`
	Field       string `json:"field" validate:"max=100"`
	Recognition string `json:"recognition" validate:"omitempty,oneof=recognised comparability-pending comparability-obtained not-recognised"`
}

// SkillInput is a skill as a ROME code and/or free text.
type SkillInput struct {
	ROME  string `json:"rome,omitempty" validate:"omitempty,rome"`
	Label string `json:"label" validate:"required_without=ROME,max=200"`
}

// PastJobInput is a job held before, in France or abroad.
type PastJobInput struct {
	ROME    string `json:"rome" validate:"omitempty,rome"`
	Title   string `json:"title" validate:"required,max=200"`
	Country string `json:"country,omitempty" validate:"max=60"`
	Years   int    `json:"years,omitempty" validate:"min=0,max=60"`
}

// ProjectInput is the professional project.
type ProjectInput struct {
	TargetROME  []string `json:"targetRome" validate:"max=5,dive,rome"`
	Description string   `json:"description" validate:"max=2000"`
}

// AvailabilityInput says from when and how much a beneficiary can work.
type AvailabilityInput struct {
	From         civil.Date `json:"from" validate:"omitempty,date"`
	HoursPerWeek int        `json:"hoursPerWeek" validate:"min=0,max=48"`
	Days         []string   `json:"days" validate:"max=7,unique,dive,oneof=mon tue wed thu fri sat sun"`
	Constraints  string     `json:"constraints" validate:"max=1000"`
}

// MobilityInput says how far a beneficiary can travel.
type MobilityInput struct {
	MaxKm           int          `json:"maxKm" validate:"min=0,max=300"`
	DrivingLicence  LicenceInput `json:"drivingLicence"`
	Vehicle         bool         `json:"vehicle"`
	PublicTransport bool         `json:"publicTransport"`
}

// LicenceInput is a beneficiary's driving licence: its status (none,
// french, foreign-exchangeable, exchange-in-progress,
// foreign-not-exchangeable), the categories it covers, and for an exchange
// in progress the day the French licence is expected.
type LicenceInput struct {
	Status           string     `json:"status" validate:"omitempty,oneof=none french foreign-exchangeable exchange-in-progress foreign-not-exchangeable"`
	Categories       []string   `json:"categories" validate:"max=15,unique,dive,oneof=AM A1 A2 A B1 B BE C1 C1E C CE D1 D1E D DE"`
	ExchangeExpected civil.Date `json:"exchangeExpected" validate:"omitempty,date"`
}

// Beneficiary is a beneficiary file as the API answers it.
type Beneficiary struct {
	ID             string            `json:"id"`
	OrganisationID string            `json:"organisationId"`
	FirstName      string            `json:"firstName"`
	LastName       string            `json:"lastName"`
	BirthDate      civil.Date        `json:"birthDate"`
	Protection     string            `json:"protection"`
	Enrolment      EnrolmentInput    `json:"enrolment"`
	Department     string            `json:"department"`
	Address        AddressInput      `json:"address"`
	French         FrenchInput       `json:"french"`
	Diplomas       []DiplomaInput    `json:"diplomas"`
	Skills         []SkillInput      `json:"skills"`
	PastJobs       []PastJobInput    `json:"pastJobs"`
	Project        ProjectInput      `json:"project"`
	Availability   AvailabilityInput `json:"availability"`
	Mobility       MobilityInput     `json:"mobility"`
	Barriers       []string          `json:"barriers"`
	Languages      []string          `json:"languages"`
	Interests      []string          `json:"interests"`
	ConsentAt      civil.Date        `json:"consentDate"`
	Notes          string            `json:"notes"`
	// ExitedOn and ExitReason are the programme exit, once recorded (a
	// situation of kind programme-exit).
	ExitedOn   civil.Date `json:"exitedOn,omitempty"`
	ExitReason string     `json:"exitReason,omitempty"`
	Erased     *Erasure   `json:"erased,omitempty"`
	CreatedAt  time.Time  `json:"createdAt"`
	UpdatedAt  time.Time  `json:"updatedAt"`
	Version    int64      `json:"version"`
}

// Erasure says when and by whom a file's personal data was erased.
type Erasure struct {
	At time.Time `json:"at"`
	By string    `json:"by"`
}

// BeneficiarySummary is what a list of beneficiaries shows: no sensitive field.
type BeneficiarySummary struct {
	ID         string     `json:"id"`
	FirstName  string     `json:"firstName"`
	LastName   string     `json:"lastName"`
	Programme  string     `json:"programme"`
	Cohort     string     `json:"cohort"`
	EntryDate  civil.Date `json:"entryDate"`
	Department string     `json:"department"`
	Project    []string   `json:"targetRome"`
	Version    int64      `json:"version"`
	UpdatedAt  time.Time  `json:"updatedAt"`
}

// BeneficiaryQuery filters GET /beneficiaries.
type BeneficiaryQuery struct {
	// Q finds people by the start of a name, accents and case ignored.
	Q string `query:"q"`
	// OralAtLeast keeps people whose oral production is at least this level.
	OralAtLeast string `query:"oralAtLeast"`
	// Status is active (in the programme) or exited.
	Status     string `query:"status"`
	Programme  string `query:"programme"`
	Cohort     string `query:"cohort"`
	Department string `query:"department"`
	Referent   string `query:"referent"`
	Cursor     string `query:"cursor"`
	Limit      int    `query:"limit"`
}

func toPoint(p *PointInput) *geo.Point {
	if p == nil {
		return nil
	}
	return &geo.Point{Lat: p.Lat, Lon: p.Lon}
}

func fromPoint(p *geo.Point) *PointInput {
	if p == nil {
		return nil
	}
	return &PointInput{Lat: p.Lat, Lon: p.Lon}
}

// Apply writes the input's values into b.
func (in BeneficiaryInput) Apply(b *pathways.Beneficiary) {
	b.FirstName, b.LastName, b.BirthDate, b.Protection = in.FirstName, in.LastName, in.BirthDate, pathways.Protection(in.Protection)
	e := in.Enrolment
	b.Enrolment = pathways.Enrolment{ProgrammeID: e.ProgrammeID, Programme: e.Programme, EntryDate: e.EntryDate, Cohort: e.Cohort, Referents: orEmpty(e.Referents),
		RightsReferent: e.RightsReferent, EmploymentReferent: e.EmploymentReferent, ContractSignedOn: e.ContractSignedOn}
	b.Department = in.Department
	b.Address = pathways.Address{Line: in.Address.Line, Postcode: in.Address.Postcode, City: in.Address.City, Location: toPoint(in.Address.Location)}
	f := in.French
	b.French = pathways.French{OralComprehension: f.OralComprehension, WrittenComprehension: f.WrittenComprehension,
		OralProduction: f.OralProduction, WrittenProduction: f.WrittenProduction, Source: f.Source, AssessedOn: f.AssessedOn}
	b.Diplomas = convert(in.Diplomas, func(d DiplomaInput) pathways.Diploma {
		return pathways.Diploma{Title: d.Title, Level: d.Level, Country: d.Country, Field: d.Field, Recognition: d.Recognition}
	})
	b.Skills = convert(in.Skills, func(s SkillInput) pathways.Skill { return pathways.Skill{ROME: s.ROME, Label: s.Label} })
	b.PastJobs = convert(in.PastJobs, func(j PastJobInput) pathways.PastJob {
		return pathways.PastJob{ROME: j.ROME, Title: j.Title, Country: j.Country, Years: j.Years}
	})
	b.Project = pathways.Project{TargetROME: orEmpty(in.Project.TargetROME), Description: in.Project.Description}
	a := in.Availability
	b.Availability = pathways.Availability{From: a.From, HoursPerWeek: a.HoursPerWeek, Days: orEmpty(a.Days), Constraints: a.Constraints}
	m := in.Mobility
	d := m.DrivingLicence
	b.Mobility = pathways.Mobility{MaxKm: m.MaxKm, Vehicle: m.Vehicle, PublicTransport: m.PublicTransport,
		DrivingLicence: pathways.DrivingLicence{Status: d.Status, Categories: orEmpty(d.Categories), ExchangeExpected: d.ExchangeExpected}}
	b.Barriers = convert(in.Barriers, func(s string) pathways.Barrier { return pathways.Barrier(s) })
	b.Languages, b.Interests = orEmpty(in.Languages), orEmpty(in.Interests)
	b.ConsentAt, b.Notes = in.ConsentAt, in.Notes
}

// toBeneficiaryInput is the editable part of b, the base a merge patch
// applies to. It names the programme by its id only, so that a patch of
// either the id or the name decides.
func toBeneficiaryInput(b pathways.Beneficiary) BeneficiaryInput {
	f := b.French
	e := b.Enrolment
	return BeneficiaryInput{
		FirstName: b.FirstName, LastName: b.LastName, BirthDate: b.BirthDate, Protection: string(b.Protection),
		Enrolment: EnrolmentInput{ProgrammeID: e.ProgrammeID, EntryDate: e.EntryDate, Cohort: e.Cohort, Referents: orEmpty(e.Referents),
			RightsReferent: e.RightsReferent, EmploymentReferent: e.EmploymentReferent, ContractSignedOn: e.ContractSignedOn},
		Department: b.Department,
		Address:    AddressInput{Line: b.Address.Line, Postcode: b.Address.Postcode, City: b.Address.City, Location: fromPoint(b.Address.Location)},
		French: FrenchInput{OralComprehension: f.OralComprehension, WrittenComprehension: f.WrittenComprehension,
			OralProduction: f.OralProduction, WrittenProduction: f.WrittenProduction, Source: f.Source, AssessedOn: f.AssessedOn},
		Diplomas: convert(b.Diplomas, func(d pathways.Diploma) DiplomaInput {
			return DiplomaInput{Title: d.Title, Level: d.Level, Country: d.Country, Field: d.Field, Recognition: d.Recognition}
		}),
		Skills: convert(b.Skills, func(s pathways.Skill) SkillInput { return SkillInput{ROME: s.ROME, Label: s.Label} }),
		PastJobs: convert(b.PastJobs, func(j pathways.PastJob) PastJobInput {
			return PastJobInput{ROME: j.ROME, Title: j.Title, Country: j.Country, Years: j.Years}
		}),
		Project:      ProjectInput{TargetROME: orEmpty(b.Project.TargetROME), Description: b.Project.Description},
		Availability: AvailabilityInput{From: b.Availability.From, HoursPerWeek: b.Availability.HoursPerWeek, Days: orEmpty(b.Availability.Days), Constraints: b.Availability.Constraints},
		Mobility: MobilityInput{MaxKm: b.Mobility.MaxKm, Vehicle: b.Mobility.Vehicle, PublicTransport: b.Mobility.PublicTransport,
			DrivingLicence: LicenceInput{Status: b.Mobility.DrivingLicence.Status, Categories: orEmpty(b.Mobility.DrivingLicence.Categories), ExchangeExpected: b.Mobility.DrivingLicence.ExchangeExpected}},
		Barriers:  convert(b.Barriers, func(x pathways.Barrier) string { return string(x) }),
		Languages: orEmpty(b.Languages), Interests: orEmpty(b.Interests),
		ConsentAt: b.ConsentAt, Notes: b.Notes,
	}
}

func toBeneficiary(b pathways.Beneficiary) Beneficiary {
	in := toBeneficiaryInput(b)
	out := Beneficiary{
		ID: b.ID, OrganisationID: b.OrganisationID,
		FirstName: in.FirstName, LastName: in.LastName, BirthDate: in.BirthDate, Protection: in.Protection,
		Enrolment: in.Enrolment, Department: in.Department, Address: in.Address, French: in.French,
		Diplomas: in.Diplomas, Skills: in.Skills, PastJobs: in.PastJobs, Project: in.Project,
		Availability: in.Availability, Mobility: in.Mobility, Barriers: in.Barriers, Languages: in.Languages,
		Interests: in.Interests, ConsentAt: in.ConsentAt, Notes: in.Notes,
		CreatedAt: b.CreatedAt, UpdatedAt: b.UpdatedAt, Version: b.Version,
	}
	out.Enrolment.Programme = b.Enrolment.Programme
	out.ExitedOn, out.ExitReason = b.ExitedOn, b.ExitReason
	if b.Erased != nil {
		out.Erased = &Erasure{At: b.Erased.At, By: b.Erased.By}
	}
	return out
}

func toBeneficiarySummary(b pathways.Beneficiary) BeneficiarySummary {
	return BeneficiarySummary{
		ID: b.ID, FirstName: b.FirstName, LastName: b.LastName,
		Programme: b.Enrolment.Programme, Cohort: b.Enrolment.Cohort, EntryDate: b.Enrolment.EntryDate,
		Department: b.Department, Project: orEmpty(b.Project.TargetROME), Version: b.Version, UpdatedAt: b.UpdatedAt,
	}
}

func (s *Server) createBeneficiary(c *fiber.Ctx) error {
	var in BeneficiaryInput
	if err := s.decodeBody(c, &in); err != nil {
		return err
	}
	var b pathways.Beneficiary
	in.Apply(&b)
	b, err := s.svc.Beneficiaries.Create(c.UserContext(), principal(c), b)
	if err != nil {
		return err
	}
	c.Location("/api/v1/beneficiaries/" + b.ID)
	return sendRecord(c, fiber.StatusCreated, b.Version, toBeneficiary(b))
}

func (s *Server) getBeneficiary(c *fiber.Ctx) error {
	b, err := s.svc.Beneficiaries.Get(c.UserContext(), principal(c), c.Params("id"))
	if err != nil {
		return err
	}
	return sendRecord(c, fiber.StatusOK, b.Version, toBeneficiary(b))
}

func (s *Server) listBeneficiaries(c *fiber.Ctx) error {
	limit, err := queryLimit(c)
	if err != nil {
		return err
	}
	if err := s.valid.checkQuery(language(c), map[string]queryRule{
		"q": {c.Query("q"), "max=100"}, "oralAtLeast": {c.Query("oralAtLeast"), "omitempty,cefr"},
		"status": {c.Query("status"), "omitempty,oneof=active exited"},
	}); err != nil {
		return err
	}
	list, next, err := s.svc.Beneficiaries.List(c.UserContext(), principal(c), pathways.Filter{
		Search: c.Query("q"), OralAtLeast: c.Query("oralAtLeast"), Status: c.Query("status"),
		Programme: c.Query("programme"), Cohort: c.Query("cohort"),
		Department: c.Query("department"), Referent: c.Query("referent"),
		After: c.Query("cursor"), Limit: limit,
	})
	if err != nil {
		return err
	}
	return c.JSON(page[BeneficiarySummary]{Items: convert(list, toBeneficiarySummary), Next: next})
}

func (s *Server) patchBeneficiary(c *fiber.Ctx) error {
	read, err := ifMatch(c)
	if err != nil {
		return err
	}
	if read, err = versionOr(read, func() (int64, error) {
		b, err := s.svc.Beneficiaries.Get(c.UserContext(), principal(c), c.Params("id"))
		return b.Version, err
	}); err != nil {
		return err
	}
	b, err := s.svc.Beneficiaries.Update(c.UserContext(), principal(c), c.Params("id"), read, func(b *pathways.Beneficiary) error {
		var in BeneficiaryInput
		if err := s.patchInto(c, toBeneficiaryInput(*b), &in); err != nil {
			return err
		}
		in.Apply(b)
		return nil
	})
	if err != nil {
		return err
	}
	return sendRecord(c, fiber.StatusOK, b.Version, toBeneficiary(b))
}

func (s *Server) eraseBeneficiary(c *fiber.Ctx) error {
	if err := s.svc.Beneficiaries.Erase(c.UserContext(), principal(c), c.Params("id")); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
