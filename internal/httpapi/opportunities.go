package httpapi

import (
	"encoding/json"
	"reflect"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/parcours-emploi/parcours/access"
	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/geo"
	"github.com/parcours-emploi/parcours/ids"
	"github.com/parcours-emploi/parcours/jobs"
)

func itoa(i int) string { return strconv.Itoa(i) }

// rawJSON is one member kept undecoded, to be decoded on its own.
type rawJSON = json.RawMessage

// OpportunityInput is the body of POST /opportunities and of an agency
// opening, and the shape a PATCH applies to.
type OpportunityInput struct {
	Kind         jobs.Kind                 `json:"kind" validate:"required,oneof=job pmsmp training"`
	Status       jobs.Status               `json:"status" validate:"omitempty,oneof=draft open filled closed"`
	Title        string                    `json:"title" validate:"required,max=200"`
	Description  string                    `json:"description" validate:"max=10000"`
	Employer     string                    `json:"employer" validate:"max=200"`
	ROME         string                    `json:"rome" validate:"required,rome"`
	Place        geo.Place                 `json:"place"`
	Start        civil.Date                `json:"startDate" validate:"required,date"`
	End          civil.Date                `json:"endDate" validate:"omitempty,date"`
	HoursPerWeek int                       `json:"hoursPerWeek" validate:"min=0,max=48"`
	Days         []string                  `json:"days" validate:"max=7,unique,dive,oneof=mon tue wed thu fri sat sun"`
	Positions    int                       `json:"positions" validate:"required,min=1,max=1000"`
	Contract     *jobs.Contract            `json:"contract"`
	PMSMP        *jobs.PMSMP               `json:"pmsmp"`
	French       jobs.FrenchRequirement    `json:"frenchRequired"`
	Diplomas     []jobs.DiplomaRequirement `json:"diplomasRequired" validate:"max=10,dive"`
	Licences     []string                  `json:"licencesRequired" validate:"max=10,dive,required,max=20"`
	Skills       []string                  `json:"skills" validate:"max=50,dive,required,max=100"`
}

// checkRules adds the rules that span fields: what each kind needs, and dates in order.
func (in OpportunityInput) checkRules(lang string) error {
	var bad []apperr.FieldError
	add := func(ptr, en, fr string) {
		bad = append(bad, apperr.FieldError{Pointer: ptr, Detail: pick(lang, en, fr)})
	}
	if in.End != "" && in.End.Before(in.Start) {
		add("/endDate", "endDate must not be before startDate.", "endDate ne doit pas précéder startDate.")
	}
	switch in.Kind {
	case jobs.KindJob:
		if in.Contract == nil {
			add("/contract", "A job offer needs its contract.", "Une offre d'emploi doit préciser son contrat.")
		}
		if in.PMSMP != nil {
			add("/pmsmp", "Only a PMSMP placement has a pmsmp block.", "Seule une PMSMP a un bloc pmsmp.")
		}
	case jobs.KindPMSMP:
		if in.PMSMP == nil {
			add("/pmsmp", "A PMSMP placement needs its host and objective.", "Une PMSMP doit préciser sa structure d'accueil et son objectif.")
		}
		if in.Contract != nil {
			add("/contract", "A PMSMP is not an employment contract.", "Une PMSMP n'est pas un contrat de travail.")
		}
		if in.End == "" {
			add("/endDate", "A PMSMP placement needs an end date.", "Une PMSMP doit avoir une date de fin.")
		} else if in.End.After(in.Start.AddDate(0, 1, -1)) {
			add("/endDate", "A PMSMP lasts at most one month from date to date.", "Une PMSMP dure au plus un mois de date à date.")
		}
	case jobs.KindTraining:
		if in.Contract != nil || in.PMSMP != nil {
			add("/kind", "A training session has neither contract nor pmsmp block.", "Une formation n'a ni contrat ni bloc pmsmp.")
		}
	}
	if len(bad) > 0 {
		return apperr.Invalidf(bad, "Some fields are invalid.")
	}
	return nil
}

func toOpportunityInput(o jobs.Opportunity) OpportunityInput {
	return OpportunityInput{
		Kind: o.Kind, Status: o.Status, Title: o.Title, Description: o.Description, Employer: o.Employer,
		ROME: o.ROME, Place: o.Place, Start: o.Start, End: o.End, HoursPerWeek: o.HoursPerWeek, Days: o.Days,
		Positions: o.Positions, Contract: o.Contract, PMSMP: o.PMSMP, French: o.French, Diplomas: o.Diplomas,
		Licences: o.Licences, Skills: o.Skills,
	}
}

func applyOpportunityInput(o jobs.Opportunity, in OpportunityInput) jobs.Opportunity {
	o.Kind, o.Title, o.Description, o.Employer, o.ROME = in.Kind, in.Title, in.Description, in.Employer, in.ROME
	o.Place, o.Start, o.End, o.HoursPerWeek, o.Days = in.Place, in.Start, in.End, in.HoursPerWeek, in.Days
	o.Positions, o.Contract, o.PMSMP, o.French = in.Positions, in.Contract, in.PMSMP, in.French
	o.Diplomas, o.Licences, o.Skills = in.Diplomas, in.Licences, in.Skills
	o.Status = in.Status
	if o.Status == "" {
		o.Status = jobs.StatusOpen
	}
	fillSlices(&o)
	return o
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

func (s *Server) decodeOpportunity(c *fiber.Ctx, in *OpportunityInput) error {
	if err := s.decodeBody(c, in); err != nil {
		return err
	}
	return in.checkRules(language(c))
}

func (s *Server) createOpportunity(c *fiber.Ctx) error {
	var in OpportunityInput
	if err := s.decodeOpportunity(c, &in); err != nil {
		return err
	}
	now := s.now()
	o := applyOpportunityInput(jobs.Opportunity{
		ID: ids.New("opp"), OrganisationID: principal(c).OrganisationID, CreatedAt: now, UpdatedAt: now, Version: 1,
	}, in)
	if err := s.Opportunities.CreateOpportunity(c.UserContext(), o); err != nil {
		return err
	}
	s.notifyOpportunity(c, o.ID)
	c.Location("/api/v1/opportunities/" + o.ID)
	return sendRecord(c, fiber.StatusCreated, o.Version, o)
}

// canSee reports whether the principal may read o: its own organisation's,
// or, for advisers and coordinators, any published opportunity (publishing
// is what makes an offer visible to the programmes that match to it).
func canSee(p access.Principal, o jobs.Opportunity) bool {
	if o.OrganisationID == p.OrganisationID {
		return true
	}
	return p.Is(access.Adviser, access.Coordinator) && o.Status != jobs.StatusDraft
}

// loadOpportunity returns the opportunity if the caller may read it (404
// otherwise); own says whether it must also be the caller's organisation's.
func (s *Server) loadOpportunity(c *fiber.Ctx, own bool) (jobs.Opportunity, error) {
	o, err := s.Opportunities.Opportunity(c.UserContext(), c.Params("id"))
	if err != nil {
		return o, err
	}
	p := principal(c)
	if !canSee(p, o) || (own && o.OrganisationID != p.OrganisationID) {
		return jobs.Opportunity{}, apperr.NotFoundf("opportunity not visible")
	}
	return o, nil
}

func (s *Server) getOpportunity(c *fiber.Ctx) error {
	o, err := s.loadOpportunity(c, false)
	if err != nil {
		return err
	}
	return sendRecord(c, fiber.StatusOK, o.Version, o)
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
	p := principal(c)
	if p.Is(access.Agency) {
		f.OrganisationID = p.OrganisationID
	} else {
		f.Visible = p.OrganisationID
	}
	list, next, err := s.Opportunities.Opportunities(c.UserContext(), f)
	if err != nil {
		return err
	}
	if list == nil {
		list = []jobs.Opportunity{}
	}
	return c.JSON(page[jobs.Opportunity]{Items: list, Next: next})
}

func (s *Server) patchOpportunity(c *fiber.Ctx) error {
	read, err := ifMatch(c)
	if err != nil {
		return err
	}
	o, err := s.loadOpportunity(c, true)
	if err != nil {
		return err
	}
	if err := checkVersion(o.Version, read); err != nil {
		return err
	}
	var in OpportunityInput
	if err := s.patchInto(c, toOpportunityInput(o), &in); err != nil {
		return err
	}
	if in.Kind != o.Kind {
		return apperr.Invalidf([]apperr.FieldError{{Pointer: "/kind", Detail: pick(language(c), "The kind of an opportunity cannot change; create a new one.", "Le type d'une opportunité ne change pas ; créez-en une nouvelle.")}}, "Some fields are invalid.")
	}
	if err := in.checkRules(language(c)); err != nil {
		return err
	}
	o = applyOpportunityInput(o, in)
	o.Version++
	o.UpdatedAt = s.now()
	if err := s.Opportunities.ReplaceOpportunity(c.UserContext(), o); err != nil {
		return err
	}
	s.notifyOpportunity(c, o.ID)
	return sendRecord(c, fiber.StatusOK, o.Version, o)
}

func (s *Server) closeOpportunity(c *fiber.Ctx) error {
	o, err := s.loadOpportunity(c, true)
	if err != nil {
		return err
	}
	if o.Status == jobs.StatusClosed {
		return sendRecord(c, fiber.StatusOK, o.Version, o)
	}
	o.Status = jobs.StatusClosed
	o.Version++
	o.UpdatedAt = s.now()
	if err := s.Opportunities.ReplaceOpportunity(c.UserContext(), o); err != nil {
		return err
	}
	s.notifyOpportunity(c, o.ID)
	return sendRecord(c, fiber.StatusOK, o.Version, o)
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
	ref := c.Params("externalRef")
	var in OpportunityInput
	if err := s.decodeOpportunity(c, &in); err != nil {
		return err
	}
	if len(ref) > 100 {
		return apperr.Invalidf([]apperr.FieldError{{Pointer: "externalRef", Detail: "externalRef is at most 100 characters."}}, "Bad reference.")
	}
	o, outcome, err := s.upsertOpening(c, ref, in)
	if err != nil {
		return err
	}
	status := fiber.StatusOK
	if outcome == "created" {
		status = fiber.StatusCreated
		c.Location("/api/v1/opportunities/" + o.ID)
	}
	return sendRecord(c, status, o.Version, o)
}

// upsertOpening creates or updates the organisation's opening ref. An
// unchanged opening keeps its version, so retries are harmless.
func (s *Server) upsertOpening(c *fiber.Ctx, ref string, in OpportunityInput) (jobs.Opportunity, string, error) {
	p := principal(c)
	ctx := c.UserContext()
	for attempt := 0; attempt < 3; attempt++ {
		cur, err := s.Opportunities.OpportunityByRef(ctx, p.OrganisationID, ref)
		switch {
		case apperr.Is(err, apperr.NotFound):
			now := s.now()
			o := applyOpportunityInput(jobs.Opportunity{ID: ids.New("opp"), OrganisationID: p.OrganisationID, ExternalRef: ref, CreatedAt: now, UpdatedAt: now, Version: 1}, in)
			err := s.Opportunities.CreateOpportunity(ctx, o)
			if apperr.Is(err, apperr.Conflict) {
				continue // created meanwhile by a concurrent call: update it
			}
			if err == nil {
				s.notifyOpportunity(c, o.ID)
			}
			return o, "created", err
		case err != nil:
			return jobs.Opportunity{}, "", err
		}
		next := applyOpportunityInput(cur, in)
		if reflect.DeepEqual(toOpportunityInput(next), toOpportunityInput(cur)) {
			return cur, "unchanged", nil
		}
		next.Version++
		next.UpdatedAt = s.now()
		err = s.Opportunities.ReplaceOpportunity(ctx, next)
		if apperr.Is(err, apperr.PreconditionFailed) {
			continue
		}
		if err == nil {
			s.notifyOpportunity(c, next.ID)
		}
		return next, "updated", err
	}
	return jobs.Opportunity{}, "", apperr.Conflictf("The opening %s is being changed by another request; retry.", ref)
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
		if err == nil {
			err = it.checkRules(lang)
		}
		r.ExternalRef = it.ExternalRef
		if prev, dup := seen[it.ExternalRef]; err == nil && dup {
			err = apperr.Invalidf([]apperr.FieldError{{Pointer: "/externalRef", Detail: pick(lang, "The same externalRef is at index "+itoa(prev)+".", "Le même externalRef figure à l'indice "+itoa(prev)+".")}}, "Duplicate reference.")
		}
		if err == nil {
			seen[it.ExternalRef] = i
			var o jobs.Opportunity
			o, r.Outcome, err = s.upsertOpening(c, it.ExternalRef, it.OpportunityInput)
			r.ID, r.Version = o.ID, o.Version
		}
		if err != nil {
			r.Outcome = "error"
			if ae, ok := apperr.As(err); ok && ae.Code == apperr.Invalid {
				r.Outcome, r.Errors = "invalid", s.valid.localise(ae.Fields, lang)
			} else if he, ok := err.(*httpError); ok {
				r.Outcome, r.Errors = "invalid", []apperr.FieldError{{Pointer: "/", Detail: pick(lang, he.detail[0], he.detail[1])}}
			} else if apperr.CodeOf(err) == apperr.Internal || apperr.CodeOf(err) == apperr.Unavailable {
				return err // the store failed: the client retries the whole batch, which is idempotent
			} else {
				r.Errors = []apperr.FieldError{{Pointer: "/", Detail: err.Error()}}
			}
		}
		res.Results[i] = r
		res.Counts[r.Outcome]++
	}
	return c.JSON(res)
}
