package web

import (
	"net/url"
	"sort"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/parcours-emploi/parcours/access"
	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/candidates"
	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/internal/httpapi"
	"github.com/parcours-emploi/parcours/jobs"
	"github.com/parcours-emploi/parcours/matching"
	"github.com/parcours-emploi/parcours/mentoring"
	"github.com/parcours-emploi/parcours/pathways"
	"github.com/parcours-emploi/parcours/proposals"
)

// The beneficiary's file has four tabs, in the URL (?onglet=): the
// profile, the pathway (a timeline of what happened, with who and when),
// the suggestions of each kind, and "pourquoi pas ?", which explains any
// opening the engine left out.

var tabs = []string{"profil", "parcours", "suggestions", "pourquoi-pas"}

var suggestionKinds = []proposals.Kind{proposals.KindJob, proposals.KindPMSMP, proposals.KindTraining, proposals.KindMentor}

type fileView struct {
	B         pathways.Beneficiary
	Tab       string
	Referents []string
	// Parcours.
	Timeline []event
	// Suggestions and "pourquoi pas ?".
	Kind        proposals.Kind
	Kinds       []proposals.Kind
	Suggestions suggestionsView
	Choices     []opening
	ChoiceIDs   []string
	Opening     string
	Explained   *explained
}

type suggestionsView struct {
	Items      []suggestionItem
	Candidates int
	Weights    string
}

type suggestionItem struct {
	Rank    int
	Score   float64
	Opening candidates.Summary
	Ev      matching.Evaluation
}

type explained struct {
	Opening candidates.Summary
	Ev      matching.Evaluation
}

// event is one line of the pathway's timeline.
type event struct {
	At     time.Time
	Day    civil.Date
	Kind   string // situation, proposal, convention, mentorship
	Title  string
	Detail string
	By     string
	Badge  string
	// Link, when set, is what can be done next on the event (LinkText).
	Link, LinkText string
}

func (c *Console) beneficiaryPage(ctx *fiber.Ctx) error {
	return c.renderFile(ctx, fiber.StatusOK, nil)
}

// renderFile renders the file at the tab the URL names; f, when given, is
// the situation form coming back with its errors.
func (c *Console) renderFile(ctx *fiber.Ctx, status int, f *form) error {
	uctx, w := ctx.UserContext(), who(ctx)
	b, err := c.svc.Beneficiaries.Get(uctx, w, ctx.Params("id"))
	if err != nil {
		return err
	}
	fv := fileView{B: b, Tab: ctx.Query("onglet", "profil"), Kinds: suggestionKinds, Kind: proposals.Kind(ctx.Query("type", "job"))}
	if !contains(tabs, fv.Tab) {
		fv.Tab = "profil"
	}
	if !fv.Kind.Valid() {
		fv.Kind = proposals.KindJob
	}
	staff, err := c.staffNames(uctx, w)
	if err != nil {
		return err
	}
	for _, r := range b.Enrolment.Referents {
		fv.Referents = append(fv.Referents, staff[r].Name)
	}
	v := c.page(ctx, "file.title", "beneficiaries", &fv)
	v.Title = b.FirstName + " " + b.LastName
	v.Form = f
	if v.Form == nil {
		v.Form = newForm(url.Values{"startDate": {string(civil.Of(c.now().In(paris)))}})
	}
	switch fv.Tab {
	case "parcours":
		if fv.Timeline, err = c.timeline(ctx, b, staff); err != nil {
			return err
		}
	case "suggestions":
		res, err := c.svc.Suggestions.For(uctx, w, b.ID, fv.Kind, 10)
		if err != nil {
			return err
		}
		fv.Suggestions = suggestionsView{Candidates: res.Candidates, Weights: res.WeightsVersion}
		for _, it := range res.Items {
			fv.Suggestions.Items = append(fv.Suggestions.Items, suggestionItem{Rank: it.Rank, Score: it.Score, Opening: it.Opening, Ev: it.Explanation})
		}
	case "pourquoi-pas":
		if err := c.whyNot(ctx, &fv); err != nil {
			return err
		}
	}
	if ctx.Get("HX-Request") == "true" && ctx.Get("HX-Target") == "panel" {
		return c.render(ctx, status, "file", v)
	}
	return c.render(ctx, status, "file", v)
}

// whyNot lists the openings of the kind to pick from, and explains the one
// picked: the constraints it fails and the next step, or why it fits.
func (c *Console) whyNot(ctx *fiber.Ctx, fv *fileView) error {
	uctx, w := ctx.UserContext(), who(ctx)
	if fv.Kind == proposals.KindMentor {
		ms, _, err := c.svc.Mentoring.ListMentors(uctx, w, mentoring.MentorFilter{Limit: 200})
		if err != nil {
			return err
		}
		for _, m := range ms {
			fv.Choices = append(fv.Choices, opening{Title: m.FirstName + " " + m.LastName + " — " + m.Company, Place: m.Place.City})
			fv.ChoiceIDs = append(fv.ChoiceIDs, m.ID)
		}
	} else {
		os, _, err := c.svc.Opportunities.List(uctx, w, jobs.Filter{Kind: jobs.Kind(fv.Kind), Status: jobs.StatusOpen, Limit: 200})
		if err != nil {
			return err
		}
		for _, o := range os {
			fv.Choices = append(fv.Choices, openingOf(o))
			fv.ChoiceIDs = append(fv.ChoiceIDs, o.ID)
		}
	}
	fv.Opening = ctx.Query("ouverture")
	if fv.Opening == "" {
		return nil
	}
	ev, shown, err := c.svc.Suggestions.Explain(uctx, w, fv.B.ID, fv.Kind, fv.Opening)
	if apperr.Is(err, apperr.NotFound) {
		fv.Opening = ""
		return nil
	}
	if err != nil {
		return err
	}
	fv.Explained = &explained{Opening: shown, Ev: ev}
	return nil
}

// timeline gathers the pathway's events, newest first: situations,
// proposals and their transitions, PMSMP conventions, mentorships.
func (c *Console) timeline(ctx *fiber.Ctx, b pathways.Beneficiary, staff map[string]access.User) ([]event, error) {
	uctx, w := ctx.UserContext(), who(ctx)
	lang := c.lang(ctx)
	t := func(id string, args ...any) string { return c.i18n.T(lang, id, args...) }
	name := func(id string) string {
		if u, ok := staff[id]; ok {
			return u.Name
		}
		if id == proposals.SystemActor {
			return t("timeline.system")
		}
		return ""
	}
	var out []event
	sits, err := c.svc.Beneficiaries.ListSituations(uctx, w, b.ID)
	if err != nil {
		return nil, err
	}
	for _, s := range sits {
		e := event{At: s.RecordedAt, Day: s.Start, Kind: "situation", Title: t("situation." + string(s.Kind)), By: name(s.RecordedBy)}
		switch {
		case s.Kind == pathways.SituationProgrammeExit:
			e.Detail = t("exit." + s.ExitReason)
		case s.Kind == pathways.SituationHousing:
			e.Detail = t("tenure." + s.Tenure)
		case s.EffectiveEnd() != "":
			e.Detail = t("timeline.until", "End", civil.Date(s.EffectiveEnd()).In(string(lang)))
		}
		if s.Employer != "" {
			e.Detail += " · " + s.Employer
		}
		switch {
		case s.Voided != nil:
			e.Badge, e.Detail = "voided", s.Voided.Reason
		case s.EndReason != "":
			e.Detail += " · " + s.EndReason
		}
		e.Link, e.LinkText = "/beneficiaires/"+b.ID+"/situations/"+s.ID, t("timeline.situation.change")
		if len(s.History) > 0 {
			e.LinkText = t("timeline.situation.history", "Count", len(s.History))
		}
		out = append(out, e)
	}
	props, _, err := c.svc.Proposals.List(uctx, w, proposals.Filter{BeneficiaryID: b.ID, Limit: 200})
	if err != nil {
		return nil, err
	}
	ops, err := c.openings(uctx, w, props)
	if err != nil {
		return nil, err
	}
	for _, p := range props {
		title := t("kind."+string(p.Kind)) + " : " + ops[p.OpeningID].Title
		out = append(out, event{At: p.CreatedAt, Day: civil.Of(p.CreatedAt.In(paris)), Kind: "proposal", Title: title,
			Detail: t("timeline.proposed." + string(p.Source)), Badge: string(proposals.Proposed)})
		for _, tr := range p.History {
			out = append(out, event{At: tr.At, Day: civil.Of(tr.At.In(paris)), Kind: "proposal", Title: title,
				Detail: tr.Reason, By: name(tr.By), Badge: string(tr.To)})
		}
	}
	convs, err := c.svc.Proposals.ConventionsOf(uctx, w, b.ID)
	if err != nil {
		return nil, err
	}
	renewed := map[string]bool{}
	for _, cv := range convs {
		if cv.RenewalOf != "" && cv.State.Holds() {
			renewed[cv.RenewalOf] = true
		}
	}
	hosts := map[string]string{} // one directory read per host
	for _, cv := range convs {
		if _, ok := hosts[cv.HostID]; !ok {
			if hosts[cv.HostID], err = c.hostLabel(ctx, cv.HostID); err != nil {
				return nil, err
			}
		}
	}
	for _, cv := range convs {
		e := event{At: cv.CreatedAt, Day: civil.Of(cv.Start), Kind: "convention", Title: t("timeline.convention", "Host", hosts[cv.HostID]),
			Detail: t("timeline.until", "End", civil.Of(cv.End).In(string(lang))) + " · " + t("objective."+string(cv.Objective)), Badge: string(cv.State)}
		if cv.RenewalOf != "" {
			e.Title = t("timeline.renewal", "Host", hosts[cv.HostID])
		} else if cv.State == jobs.ConventionRecorded && !renewed[cv.ID] {
			e.Link, e.LinkText = "/beneficiaires/"+b.ID+"/conventions/"+cv.ID+"/renouvellement", t("timeline.renew")
		}
		out = append(out, e)
	}
	msh, _, err := c.svc.Mentoring.ListMentorships(uctx, w, mentoring.MentorshipFilter{BeneficiaryID: b.ID, Limit: 20})
	if err != nil {
		return nil, err
	}
	for _, m := range msh {
		e := event{At: m.CreatedAt, Day: m.StartedOn, Kind: "mentorship", Title: t("timeline.mentorship"),
			Detail: t("timeline.checkins", "Count", len(m.CheckIns)), Badge: string(m.FollowUp)}
		if m.State == mentoring.MentorshipEnded {
			e.Badge = "ended"
		}
		out = append(out, e)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Day != out[j].Day {
			return out[i].Day > out[j].Day
		}
		return out[i].At.After(out[j].At)
	})
	return out, nil
}

// recordSituation records a situation or an exit from the file.
func (c *Console) recordSituation(ctx *fiber.Ctx) error {
	values := formValues(ctx)
	lang := string(c.lang(ctx))
	f := newForm(values)
	var in httpapi.SituationInput
	if err := c.decodeForm(ctx, values, &in, lang); err != nil {
		if c.addErrors(f, err, lang) {
			return c.fileWithForm(ctx, f)
		}
		return err
	}
	_, err := c.svc.Beneficiaries.RecordSituation(ctx.UserContext(), who(ctx), ctx.Params("id"), in.Situation())
	if err != nil {
		if c.addErrors(f, err, lang) {
			return c.fileWithForm(ctx, f)
		}
		return err
	}
	return ctx.Redirect("/beneficiaires/"+ctx.Params("id")+"?onglet=parcours&note=situation", fiber.StatusSeeOther)
}

func (c *Console) fileWithForm(ctx *fiber.Ctx, f *form) error {
	ctx.Request().URI().QueryArgs().Set("onglet", "parcours")
	return c.renderFile(ctx, fiber.StatusUnprocessableEntity, f)
}
