package httpapi

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/pathways"
)

// ProgrammeInput is the body of POST /programmes.
type ProgrammeInput struct {
	Name string `json:"name" validate:"required,max=40"`
	// RuleSet is the rule set its positive exits follow: agir, iae or kodiko.
	RuleSet string `json:"ruleSet" validate:"required,oneof=agir iae kodiko"`
	// DurationMonths is the longest support may last (AGIR: 24); 0 for no limit.
	DurationMonths int `json:"durationMonths" validate:"min=0,max=120"`
	// Horizons are the months after entry outcomes are measured at (default 6 and 12).
	Horizons []int `json:"horizons" validate:"max=6,unique,dive,min=1,max=60"`
	// ExitHorizons are the months after exit follow-up interviews fall at (AGIR: 3 and 6).
	ExitHorizons []int `json:"exitHorizons" validate:"max=6,unique,dive,min=1,max=60"`
	// TargetRate is the positive-exit rate the funder expects, in percent.
	TargetRate *float64 `json:"targetRate" validate:"omitempty,min=0,max=100"`
}

// Programme is one of the organisation's programmes.
type Programme struct {
	ID             string    `json:"id"`
	Name           string    `json:"name"`
	RuleSet        string    `json:"ruleSet"`
	RuleSetVersion string    `json:"ruleSetVersion"`
	DurationMonths int       `json:"durationMonths"`
	Horizons       []int     `json:"horizons"`
	ExitHorizons   []int     `json:"exitHorizons"`
	TargetRate     *float64  `json:"targetRate"`
	CreatedAt      time.Time `json:"createdAt"`
}

func toProgramme(p pathways.Programme) Programme {
	return Programme{ID: p.ID, Name: p.Name, RuleSet: p.RuleSet, RuleSetVersion: p.Rules().Version, DurationMonths: p.DurationMonths,
		Horizons: orEmpty(p.Horizons), ExitHorizons: orEmpty(p.ExitHorizons), TargetRate: p.TargetRate, CreatedAt: p.CreatedAt}
}

func (s *Server) createProgramme(c *fiber.Ctx) error {
	var in ProgrammeInput
	if err := s.decodeBody(c, &in); err != nil {
		return err
	}
	p, err := s.svc.Beneficiaries.CreateProgramme(c.UserContext(), principal(c), in.programme())
	if err != nil {
		return err
	}
	c.Location("/api/v1/programmes/" + p.ID)
	return c.Status(fiber.StatusCreated).JSON(toProgramme(p))
}

func (s *Server) changeProgramme(c *fiber.Ctx) error {
	var in ProgrammeInput
	if err := s.decodeBody(c, &in); err != nil {
		return err
	}
	p, err := s.svc.Beneficiaries.ChangeProgramme(c.UserContext(), principal(c), c.Params("id"), in.programme())
	if err != nil {
		return err
	}
	return c.JSON(toProgramme(p))
}

// programme is the programme the input describes.
func (in ProgrammeInput) programme() pathways.Programme {
	return pathways.Programme{Name: in.Name, RuleSet: in.RuleSet, DurationMonths: in.DurationMonths, Horizons: in.Horizons,
		ExitHorizons: in.ExitHorizons, TargetRate: in.TargetRate}
}

func (s *Server) listProgrammes(c *fiber.Ctx) error {
	list, err := s.svc.Beneficiaries.ListProgrammes(c.UserContext(), principal(c))
	if err != nil {
		return err
	}
	return c.JSON(page[Programme]{Items: convert(list, toProgramme)})
}

// ExitsQuery is what GET /reports/exits accepts.
type ExitsQuery struct {
	// Programme is the programme's id, or its name (accents and case aside).
	Programme string `query:"programme"`
	Cohort    string `query:"cohort"`
}

// ExitsReport is the exits report of a programme, per cohort.
type ExitsReport struct {
	ProgrammeID    string        `json:"programmeId"`
	Programme      string        `json:"programme"`
	RuleSet        string        `json:"ruleSet"`
	RuleSetVersion string        `json:"ruleSetVersion"`
	Cohorts        []ExitsCohort `json:"cohorts"`
	GeneratedAt    time.Time     `json:"generatedAt"`
}

// ExitsCohort is one cohort of the exits report. Excluded people (who left
// for a reason the rule set excludes) count in exited and byExitReason
// only.
type ExitsCohort struct {
	Cohort                       string         `json:"cohort"`
	Enrolled                     int            `json:"enrolled"`
	Exited                       int            `json:"exited"`
	ByExitReason                 map[string]int `json:"byExitReason"`
	Excluded                     int            `json:"excluded"`
	ExcludedByReason             map[string]int `json:"excludedByReason"`
	AccessedEmployment           int            `json:"accessedEmployment"`
	AccessedTraining             int            `json:"accessedTraining"`
	AccessedEmploymentOrTraining int            `json:"accessedEmploymentOrTraining"`
	HousingAtExit                HousingAtExit  `json:"housingAtExit"`
}

// HousingAtExit counts where the people who left lived on the day they left.
type HousingAtExit struct {
	Autonomous      int `json:"autonomous"`
	PrivateLandlord int `json:"privateLandlord"`
	SocialLandlord  int `json:"socialLandlord"`
	Supported       int `json:"supported"`
	Other           int `json:"other"`
	Unknown         int `json:"unknown"`
}

func toExitsReport(r pathways.ExitsReport) ExitsReport {
	return ExitsReport{ProgrammeID: r.ProgrammeID, Programme: r.Programme, RuleSet: r.RuleSet, RuleSetVersion: r.RuleSetVersion, GeneratedAt: r.GeneratedAt,
		Cohorts: convert(r.Cohorts, func(c pathways.ExitsCohort) ExitsCohort {
			return ExitsCohort{Cohort: c.Cohort, Enrolled: c.Enrolled, Exited: c.Exited, ByExitReason: c.ByExitReason, Excluded: c.Excluded,
				ExcludedByReason: c.ExcludedByReason, AccessedEmployment: c.AccessedEmployment, AccessedTraining: c.AccessedTraining,
				AccessedEmploymentOrTraining: c.AccessedEmploymentOrTraining, HousingAtExit: HousingAtExit(c.HousingAtExit)}
		})}
}

// exitsReport answers the exits report, JSON or CSV (Accept: text/csv).
func (s *Server) exitsReport(c *fiber.Ctx) error {
	programme, cohort := c.Query("programme"), c.Query("cohort")
	if err := s.valid.checkQuery(language(c), map[string]queryRule{
		"programme": {programme, "required,max=40"},
		"cohort":    {cohort, "max=60"},
	}); err != nil {
		return err
	}
	r, err := s.svc.Beneficiaries.Exits(c.UserContext(), principal(c), programme, cohort)
	if err != nil {
		return err
	}
	return sendReport(c, toExitsReport(r), r.WriteCSV)
}

// MeasurementRun says what an on-demand measurement run recorded.
type MeasurementRun struct {
	ProgrammeID string `json:"programmeId"`
	Programme   string `json:"programme"`
	// Inserted counts the measurements (or new versions) recorded: 0 when
	// nothing changed since the last run.
	Inserted int       `json:"inserted"`
	RanAt    time.Time `json:"ranAt"`
}

func (s *Server) runMeasurement(c *fiber.Ctx) error {
	programme := c.Query("programme")
	if err := s.valid.checkQuery(language(c), map[string]queryRule{"programme": {programme, "required,max=40"}}); err != nil {
		return err
	}
	p, n, err := s.svc.Beneficiaries.MeasureNow(c.UserContext(), principal(c), programme)
	if err != nil {
		return err
	}
	return c.JSON(MeasurementRun{ProgrammeID: p.ID, Programme: p.Name, Inserted: n, RanAt: time.Now().UTC()})
}

// MeasurementQuery is what GET /measurements accepts.
type MeasurementQuery struct {
	Programme string `query:"programme"`
	Cohort    string `query:"cohort"`
	Horizon   int    `query:"horizon"`
	// From is entry (the default) or exit.
	From string `query:"from"`
	// Beneficiary, instead, lists every version of one person's measurements.
	Beneficiary string `query:"beneficiary"`
}

// Measurement is one immutable measurement snapshot: the situations under
// way on the horizon date as they were known, and the verdict.
type Measurement struct {
	ID             string          `json:"id"`
	BeneficiaryID  string          `json:"beneficiaryId"`
	Programme      string          `json:"programme"`
	Cohort         string          `json:"cohort"`
	EntryDate      civil.Date      `json:"entryDate"`
	Horizon        int             `json:"horizon"`
	From           string          `json:"from"`
	HorizonDate    civil.Date      `json:"horizonDate"`
	Version        int             `json:"version"`
	RuleSet        string          `json:"ruleSet"`
	RuleSetVersion string          `json:"ruleSetVersion"`
	Situations     []SituationFact `json:"situations"`
	Decisive       string          `json:"decisiveSituationId,omitempty"`
	Category       string          `json:"category"`
	Positive       bool            `json:"positive"`
	MeasuredAt     time.Time       `json:"measuredAt"`
}

// SituationFact is a situation as a measurement saw it (no free text).
type SituationFact struct {
	ID             string     `json:"id"`
	Kind           string     `json:"kind"`
	Start          civil.Date `json:"startDate"`
	End            civil.Date `json:"endDate,omitempty"`
	DurationMonths int        `json:"durationMonths,omitempty"`
	Tenure         string     `json:"tenure,omitempty"`
}

func toMeasurement(m pathways.Measurement) Measurement {
	months, fromExit := pathways.HorizonMonths(m.Horizon)
	return Measurement{ID: m.ID, BeneficiaryID: m.BeneficiaryID, Programme: m.Programme, Cohort: m.Cohort, EntryDate: m.EntryDate,
		Horizon: months, From: from(fromExit), HorizonDate: m.HorizonDate, Version: m.Version, RuleSet: m.RuleSet, RuleSetVersion: m.RuleSetVersion,
		Situations: convert(m.Situations, func(s pathways.Situation) SituationFact {
			return SituationFact{ID: s.ID, Kind: string(s.Kind), Start: s.Start, End: s.EffectiveEnd(), DurationMonths: s.DurationMonths, Tenure: s.Tenure}
		}),
		Decisive: m.Decisive, Category: m.Category, Positive: m.Positive, MeasuredAt: m.MeasuredAt}
}

func (s *Server) listMeasurements(c *fiber.Ctx) error {
	programme, cohort, horizon, ben := c.Query("programme"), c.Query("cohort"), c.Query("horizon"), c.Query("beneficiary")
	if ben != "" {
		if err := s.valid.checkQuery(language(c), map[string]queryRule{"beneficiary": {ben, "max=40"}}); err != nil {
			return err
		}
		list, err := s.svc.Beneficiaries.MeasurementsOf(c.UserContext(), principal(c), ben)
		if err != nil {
			return err
		}
		return c.JSON(page[Measurement]{Items: convert(list, toMeasurement)})
	}
	if err := s.valid.checkQuery(language(c), map[string]queryRule{
		"programme": {programme, "required,max=40"},
		"cohort":    {cohort, "max=60"},
		"horizon":   {horizon, "required,number,min=1,max=60"},
		"from":      {c.Query("from"), "omitempty,oneof=entry exit"},
	}); err != nil {
		return err
	}
	h, _ := strconv.Atoi(horizon)
	if c.Query("from") == "exit" {
		h = pathways.ExitHorizon(h)
	}
	_, list, err := s.svc.Beneficiaries.LatestMeasurements(c.UserContext(), principal(c), programme, cohort, h)
	if err != nil {
		return err
	}
	return c.JSON(page[Measurement]{Items: convert(list, toMeasurement)})
}
