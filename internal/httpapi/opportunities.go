package httpapi

import (
	"encoding/json"
	"net/url"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/geo"
	"github.com/parcours-emploi/parcours/jobs"
	"github.com/parcours-emploi/parcours/pmsmp"
)

func itoa(i int) string { return strconv.Itoa(i) }

// rawJSON is one member kept undecoded, to be decoded on its own.
type rawJSON = json.RawMessage

// OpportunityInput is the body of POST /opportunities and of an agency
// opening, and the shape a PATCH applies to.
type OpportunityInput struct {
	Kind         string               `json:"kind" validate:"required,oneof=job pmsmp training"`
	Status       string               `json:"status" validate:"omitempty,oneof=draft open filled closed"`
	Title        string               `json:"title" validate:"required,max=200"`
	Description  string               `json:"description" validate:"max=10000"`
	Employer     string               `json:"employer" validate:"max=200"`
	ROME         string               `json:"rome" validate:"required,rome"`
	Place        PlaceInput           `json:"place"`
	Start        civil.Date           `json:"startDate" validate:"required,date"`
	End          civil.Date           `json:"endDate" validate:"omitempty,date"`
	HoursPerWeek int                  `json:"hoursPerWeek" validate:"min=0,max=48"`
	Days         []string             `json:"days" validate:"max=7,unique,dive,oneof=mon tue wed thu fri sat sun"`
	Positions    int                  `json:"positions" validate:"min=1,max=1000"`
	Contract     *ContractInput       `json:"contract"`
	PMSMP        *PMSMPInput          `json:"pmsmp"`
	French       FrenchRequirement    `json:"frenchRequired"`
	Diplomas     []DiplomaRequirement `json:"diplomasRequired" validate:"max=10,dive"`
	Licences     []string             `json:"licencesRequired" validate:"max=10,dive,required,max=20"`
	Skills       []string             `json:"skills" validate:"max=50,dive,required,max=100"`
}

// PlaceInput is where an opportunity happens or a mentor meets.
type PlaceInput struct {
	Department string      `json:"department" validate:"required,departement"`
	Postcode   string      `json:"postcode" validate:"omitempty,postcode"`
	City       string      `json:"city,omitempty" validate:"max=100"`
	Location   *PointInput `json:"location,omitempty"`
}

// ContractInput describes a job offer's contract.
type ContractInput struct {
	Type string `json:"type" validate:"required,oneof=cdi cdd interim alternance professionnalisation iae"`
	// Months is the duration of a fixed-term contract; 0 for a CDI.
	Months int `json:"months,omitempty" validate:"required_if=Type cdd,required_if=Type interim,min=0,max=36"`
}

// PMSMPInput holds what a PMSMP placement adds: the host, named by its
// SIRET (spaces allowed; the PMSMP rules count per SIRET), and the purpose.
type PMSMPInput struct {
	SIRET     string `json:"siret" validate:"required,siret"`
	Objective string `json:"objective" validate:"required,oneof=discover confirm recruit"`
	Tutor     string `json:"tutor,omitempty" validate:"max=100"`
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
	Title      string `json:"title" validate:"required,max=200"`
	MinLevel   int    `json:"minLevel,omitempty" validate:"omitempty,min=3,max=8"`
	Field      string `json:"field,omitempty" validate:"max=100"`
	Recognised bool   `json:"recognised,omitempty"`
}

// Opportunity is a job offer, a PMSMP placement or a training session as
// the API answers it.
type Opportunity struct {
	ID             string               `json:"id"`
	OrganisationID string               `json:"organisationId"`
	Kind           string               `json:"kind"`
	Status         string               `json:"status"`
	ExternalRef    string               `json:"externalRef,omitempty"`
	Title          string               `json:"title"`
	Description    string               `json:"description"`
	Employer       string               `json:"employer,omitempty"`
	ROME           string               `json:"rome"`
	Place          PlaceInput           `json:"place"`
	Start          civil.Date           `json:"startDate"`
	End            civil.Date           `json:"endDate,omitempty"`
	HoursPerWeek   int                  `json:"hoursPerWeek"`
	Days           []string             `json:"days,omitempty"`
	Positions      int                  `json:"positions"`
	Contract       *ContractInput       `json:"contract,omitempty"`
	PMSMP          *PMSMPInput          `json:"pmsmp,omitempty"`
	French         FrenchRequirement    `json:"frenchRequired"`
	Diplomas       []DiplomaRequirement `json:"diplomasRequired,omitempty"`
	Licences       []string             `json:"licencesRequired,omitempty"`
	Skills         []string             `json:"skills,omitempty"`
	CreatedAt      time.Time            `json:"createdAt"`
	UpdatedAt      time.Time            `json:"updatedAt"`
	Version        int64                `json:"version"`
}

func toPlace(p PlaceInput) geo.Place {
	return geo.Place{Department: p.Department, Postcode: p.Postcode, City: p.City, Location: toPoint(p.Location)}
}

func fromPlace(p geo.Place) PlaceInput {
	return PlaceInput{Department: p.Department, Postcode: p.Postcode, City: p.City, Location: fromPoint(p.Location)}
}

// Apply writes the input's values into o.
func (in OpportunityInput) Apply(o *jobs.Opportunity) {
	o.Kind, o.Status, o.Title, o.Description, o.Employer, o.ROME = jobs.Kind(in.Kind), jobs.Status(in.Status), in.Title, in.Description, in.Employer, in.ROME
	o.Place, o.Start, o.End, o.HoursPerWeek, o.Days, o.Positions = toPlace(in.Place), in.Start, in.End, in.HoursPerWeek, orEmpty(in.Days), in.Positions
	o.Contract, o.PMSMP = nil, nil
	if in.Contract != nil {
		o.Contract = &jobs.Contract{Type: in.Contract.Type, Months: in.Contract.Months}
	}
	if in.PMSMP != nil {
		siret, _ := jobs.NormaliseSIRET(in.PMSMP.SIRET)
		o.PMSMP = &jobs.PMSMP{HostID: siret, Objective: pmsmp.Objective(in.PMSMP.Objective), Tutor: in.PMSMP.Tutor}
	}
	f := in.French
	o.French = jobs.FrenchRequirement{OralComprehension: f.OralComprehension, WrittenComprehension: f.WrittenComprehension,
		OralProduction: f.OralProduction, WrittenProduction: f.WrittenProduction}
	o.Diplomas = convert(in.Diplomas, func(d DiplomaRequirement) jobs.DiplomaRequirement {
		return jobs.DiplomaRequirement{Title: d.Title, MinLevel: d.MinLevel, Field: d.Field, Recognised: d.Recognised}
	})
	o.Licences, o.Skills = orEmpty(in.Licences), orEmpty(in.Skills)
}

// toOpportunityInput is the editable part of o, the base a merge patch applies to.
func toOpportunityInput(o jobs.Opportunity) OpportunityInput {
	in := OpportunityInput{
		Kind: string(o.Kind), Status: string(o.Status), Title: o.Title, Description: o.Description, Employer: o.Employer,
		ROME: o.ROME, Place: fromPlace(o.Place), Start: o.Start, End: o.End, HoursPerWeek: o.HoursPerWeek, Days: orEmpty(o.Days),
		Positions: o.Positions,
		French: FrenchRequirement{OralComprehension: o.French.OralComprehension, WrittenComprehension: o.French.WrittenComprehension,
			OralProduction: o.French.OralProduction, WrittenProduction: o.French.WrittenProduction},
		Diplomas: convert(o.Diplomas, func(d jobs.DiplomaRequirement) DiplomaRequirement {
			return DiplomaRequirement{Title: d.Title, MinLevel: d.MinLevel, Field: d.Field, Recognised: d.Recognised}
		}),
		Licences: orEmpty(o.Licences), Skills: orEmpty(o.Skills),
	}
	if o.Contract != nil {
		in.Contract = &ContractInput{Type: o.Contract.Type, Months: o.Contract.Months}
	}
	if o.PMSMP != nil {
		in.PMSMP = &PMSMPInput{SIRET: o.PMSMP.HostID, Objective: string(o.PMSMP.Objective), Tutor: o.PMSMP.Tutor}
	}
	return in
}

func toOpportunity(o jobs.Opportunity) Opportunity {
	in := toOpportunityInput(o)
	return Opportunity{
		ID: o.ID, OrganisationID: o.OrganisationID, Kind: in.Kind, Status: in.Status, ExternalRef: o.ExternalRef,
		Title: in.Title, Description: in.Description, Employer: in.Employer, ROME: in.ROME, Place: in.Place,
		Start: in.Start, End: in.End, HoursPerWeek: in.HoursPerWeek, Days: in.Days, Positions: in.Positions,
		Contract: in.Contract, PMSMP: in.PMSMP, French: in.French, Diplomas: in.Diplomas, Licences: in.Licences,
		Skills: in.Skills, CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt, Version: o.Version,
	}
}

// OpportunityQuery filters GET /opportunities.
type OpportunityQuery struct {
	Kind       string `query:"kind"`
	ROME       string `query:"rome"`
	Department string `query:"department"`
	Status     string `query:"status"`
	Cursor     string `query:"cursor"`
	Limit      int    `query:"limit"`
}

func (s *Server) createOpportunity(c *fiber.Ctx) error {
	var in OpportunityInput
	if err := s.decodeBody(c, &in); err != nil {
		return err
	}
	var o jobs.Opportunity
	in.Apply(&o)
	o, err := s.svc.Opportunities.Create(c.UserContext(), principal(c), o)
	if err != nil {
		return err
	}
	c.Location("/api/v1/opportunities/" + o.ID)
	return sendRecord(c, fiber.StatusCreated, o.Version, toOpportunity(o))
}

func (s *Server) getOpportunity(c *fiber.Ctx) error {
	o, err := s.svc.Opportunities.Get(c.UserContext(), principal(c), c.Params("id"))
	if err != nil {
		return err
	}
	return sendRecord(c, fiber.StatusOK, o.Version, toOpportunity(o))
}

func (s *Server) listOpportunities(c *fiber.Ctx) error {
	limit, err := queryLimit(c)
	if err != nil {
		return err
	}
	f := jobs.Filter{
		Kind: jobs.Kind(c.Query("kind")), ROME: c.Query("rome"), Department: c.Query("department"),
		Status: jobs.Status(c.Query("status")), After: c.Query("cursor"), Limit: limit,
	}
	if err := s.valid.checkQuery(language(c), map[string]queryRule{
		"kind": {string(f.Kind), "omitempty,oneof=job pmsmp training"}, "rome": {f.ROME, "omitempty,rome"},
		"department": {f.Department, "omitempty,departement"}, "status": {string(f.Status), "omitempty,oneof=draft open filled closed expired"},
	}); err != nil {
		return err
	}
	list, next, err := s.svc.Opportunities.List(c.UserContext(), principal(c), f)
	if err != nil {
		return err
	}
	return c.JSON(page[Opportunity]{Items: convert(list, toOpportunity), Next: next})
}

func (s *Server) patchOpportunity(c *fiber.Ctx) error {
	read, err := ifMatch(c)
	if err != nil {
		return err
	}
	if read, err = versionOr(read, func() (int64, error) {
		o, err := s.svc.Opportunities.Get(c.UserContext(), principal(c), c.Params("id"))
		return o.Version, err
	}); err != nil {
		return err
	}
	o, err := s.svc.Opportunities.Update(c.UserContext(), principal(c), c.Params("id"), read, func(o *jobs.Opportunity) error {
		var in OpportunityInput
		if err := s.patchInto(c, toOpportunityInput(*o), &in); err != nil {
			return err
		}
		in.Apply(o)
		return nil
	})
	if err != nil {
		return err
	}
	return sendRecord(c, fiber.StatusOK, o.Version, toOpportunity(o))
}

func (s *Server) closeOpportunity(c *fiber.Ctx) error {
	o, err := s.svc.Opportunities.Close(c.UserContext(), principal(c), c.Params("id"))
	if err != nil {
		return err
	}
	return sendRecord(c, fiber.StatusOK, o.Version, toOpportunity(o))
}

// AgencyOpening is one item of a bulk submission: an opening and the
// agency's reference for it.
type AgencyOpening struct {
	ExternalRef string `json:"externalRef" validate:"required,max=100,printascii"`
	OpportunityInput
}

// AgencyBatch is the body of POST /agency/openings:batch.
type AgencyBatch struct {
	Items []AgencyOpening `json:"items" validate:"required,min=1,max=500"`
}

// rawAgencyBatch is AgencyBatch with its items left undecoded, so each is
// decoded and answered on its own.
type rawAgencyBatch struct {
	Items []rawJSON `json:"items" validate:"required,min=1,max=500"`
}

// AgencyResult is the outcome of one item.
type AgencyResult struct {
	Index       int                 `json:"index"`
	ExternalRef string              `json:"externalRef"`
	Outcome     string              `json:"outcome"` // created, updated, unchanged, invalid, error
	ID          string              `json:"id,omitempty"`
	Version     int64               `json:"version,omitempty"`
	Errors      []apperr.FieldError `json:"errors,omitempty"`
}

// AgencyBatchResult answers a bulk submission, one result per item, in order.
type AgencyBatchResult struct {
	Results []AgencyResult `json:"results"`
	Counts  map[string]int `json:"counts"`
}

func (s *Server) putAgencyOpening(c *fiber.Ctx) error {
	// The reference is the path's, decoded: "A%20B%2FC" names what a batch
	// item names "A B/C".
	ref, err := url.PathUnescape(c.Params("externalRef"))
	if err != nil || ref == "" || len(ref) > 100 || !printable(ref, true) {
		return apperr.Invalidf([]apperr.FieldError{{Pointer: "externalRef", Tag: "printascii",
			Detail:   "externalRef is at most 100 printable ASCII characters.",
			DetailFR: "externalRef compte au plus 100 caractères ASCII imprimables."}}, "Bad reference.").FR("Référence incorrecte.")
	}
	// The body may name the reference, as a batch item does, if it is the
	// path's.
	var in AgencyOpening
	if err := s.decodeBody(c, &in); err != nil {
		ae, ok := apperr.As(err)
		if !ok || in.ExternalRef != "" || !onlyRequiredRef(ae.Fields) {
			return err
		}
	}
	if in.ExternalRef != "" && in.ExternalRef != ref {
		return apperr.Invalidf([]apperr.FieldError{{Pointer: "/externalRef", Tag: "eqfield",
			Detail:   "The body's externalRef must be the path's (" + ref + ").",
			DetailFR: "L'externalRef du corps doit être celui du chemin (" + ref + ")."}}, "Two references.").FR("Deux références.")
	}
	var o jobs.Opportunity
	in.OpportunityInput.Apply(&o)
	o, outcome, err := s.svc.Opportunities.Upsert(c.UserContext(), principal(c), ref, o)
	if err != nil {
		return err
	}
	status := fiber.StatusOK
	if outcome == jobs.Created {
		status = fiber.StatusCreated
		c.Location("/api/v1/opportunities/" + o.ID)
	}
	return sendRecord(c, status, o.Version, toOpportunity(o))
}

func (s *Server) batchAgencyOpenings(c *fiber.Ctx) error {
	// Items are checked one by one so one bad item does not reject the rest:
	// the outer shape is decoded strictly, each item on its own.
	var raw rawAgencyBatch
	if err := s.decodeBody(c, &raw); err != nil {
		return err
	}
	lang := language(c)
	res := AgencyBatchResult{Results: make([]AgencyResult, len(raw.Items)), Counts: map[string]int{}}
	seen := map[string]int{}
	for i, item := range raw.Items {
		r := AgencyResult{Index: i}
		var it AgencyOpening
		var ref struct {
			ExternalRef string `json:"externalRef"`
		}
		_ = json.Unmarshal(item, &ref) // named in the result even when the item is invalid
		err := s.decodeJSON(item, &it, lang)
		if it.ExternalRef == "" {
			it.ExternalRef = ref.ExternalRef
		}
		r.ExternalRef = it.ExternalRef
		if prev, dup := seen[it.ExternalRef]; err == nil && dup {
			err = apperr.Invalidf([]apperr.FieldError{{Pointer: "/externalRef", Detail: "The same externalRef is at index " + itoa(prev) + ".",
				DetailFR: "Le même externalRef figure à l'indice " + itoa(prev) + "."}}, "Duplicate reference.").FR("Référence en double.")
		}
		if err == nil {
			seen[it.ExternalRef] = i
			var o jobs.Opportunity
			it.Apply(&o)
			var outcome jobs.Outcome
			o, outcome, err = s.svc.Opportunities.Upsert(c.UserContext(), principal(c), it.ExternalRef, o)
			r.Outcome, r.ID, r.Version = string(outcome), o.ID, o.Version
		}
		if err != nil {
			r.Outcome, r.ID, r.Version = "error", "", 0
			if ae, ok := apperr.As(err); ok && ae.Code == apperr.Invalid {
				r.Outcome, r.Errors = "invalid", s.valid.localise(ae.Fields, lang)
			} else if he, ok := err.(*httpError); ok {
				r.Outcome, r.Errors = "invalid", []apperr.FieldError{{Pointer: "/", Detail: pick(lang, he.detail[0], he.detail[1])}}
			} else if ae, ok := apperr.As(err); ok && ae.Code != apperr.Internal && ae.Code != apperr.Unavailable {
				r.Errors = []apperr.FieldError{{Pointer: "/", Detail: ae.In(lang)}}
			} else {
				return err // the store failed: the client retries the whole batch, which is idempotent
			}
		}
		res.Results[i] = r
		res.Counts[r.Outcome]++
	}
	// The agency's page shows what this submission refused.
	sub := jobs.Submission{Items: len(res.Results), Counts: res.Counts}
	for _, r := range res.Results {
		if len(r.Errors) > 0 {
			item := jobs.RefusedItem{Index: r.Index, ExternalRef: r.ExternalRef}
			for _, e := range r.Errors {
				item.Errors = append(item.Errors, jobs.ItemError{Pointer: e.Pointer, Detail: e.Detail})
			}
			sub.Refused = append(sub.Refused, item)
		}
	}
	if err := s.svc.Opportunities.RecordSubmission(c.UserContext(), principal(c), sub); err != nil {
		s.Logger.Warn("record the agency's submission", "error", err.Error())
	}
	return c.JSON(res)
}

// onlyRequiredRef reports whether the only failure is the body's missing
// externalRef, which a PUT takes from its path.
func onlyRequiredRef(fields []apperr.FieldError) bool {
	return len(fields) == 1 && fields[0].Pointer == "/externalRef" && fields[0].Tag == "required"
}
