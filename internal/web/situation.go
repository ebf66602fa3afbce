package web

import (
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/parcours-emploi/parcours/internal/httpapi"
	"github.com/parcours-emploi/parcours/pathways"
)

// A recorded situation has its own page: what it says, what was changed
// and why, and one of three changes at a time (?action=): end it early (a
// contract lost), correct it (a mistyped contract), or void it (recorded
// in the wrong file). Each asks why; the history keeps the values replaced.

var situationActions = []string{"fin", "correction", "annulation"}

type situationView struct {
	B       pathways.Beneficiary
	S       pathways.Situation
	Action  string
	Actions []string
	// Names are the staff who changed it, by user id.
	Names map[string]string
}

func (c *Console) situationView(ctx *fiber.Ctx) (situationView, error) {
	b, s, err := c.svc.Beneficiaries.SituationOf(ctx.UserContext(), who(ctx), ctx.Params("id"), ctx.Params("situationId"))
	if err != nil {
		return situationView{}, err
	}
	action := ctx.Query("action", ctx.FormValue("action"))
	if !slices.Contains(situationActions, action) {
		action = "fin"
		if s.EffectiveEnd() != "" || s.Kind == pathways.SituationProgrammeExit {
			action = "correction"
		}
	}
	v := situationView{B: b, S: s, Action: action, Actions: situationActions, Names: map[string]string{}}
	team, err := c.staffNames(ctx.UserContext(), who(ctx))
	if err != nil {
		return situationView{}, err
	}
	for id, u := range team {
		v.Names[id] = u.Name
	}
	return v, nil
}

// situationForm is the form of the chosen change: the situation's values
// to correct, or empty fields to end or void it.
func situationForm(s pathways.Situation) *form {
	f := newForm(nil)
	set := func(k, v string) {
		if v != "" {
			f.Values.Set(k, v)
		}
	}
	set("kind", string(s.Kind))
	set("startDate", string(s.Start))
	set("endDate", string(s.End))
	if s.DurationMonths > 0 {
		set("durationMonths", strconv.Itoa(s.DurationMonths))
	}
	set("exitReason", s.ExitReason)
	set("tenure", s.Tenure)
	set("employer", s.Employer)
	set("note", s.Note)
	return f
}

func (c *Console) situationPage(ctx *fiber.Ctx) error {
	sv, err := c.situationView(ctx)
	if err != nil {
		return err
	}
	v := c.page(ctx, "situation.page.title", "beneficiaries", sv)
	v.Form = newForm(nil)
	if sv.Action == "correction" {
		v.Form = situationForm(sv.S)
	}
	return c.render(ctx, fiber.StatusOK, "situation", v)
}

// changeSituation ends, corrects or voids a situation, as the form says.
func (c *Console) changeSituation(ctx *fiber.Ctx) error {
	sv, err := c.situationView(ctx)
	if err != nil {
		return err
	}
	values := formValues(ctx)
	lang := string(c.lang(ctx))
	f := newForm(values)
	again := func() error {
		v := c.page(ctx, "situation.page.title", "beneficiaries", sv)
		v.Form = f
		return c.render(ctx, fiber.StatusUnprocessableEntity, "situation", v)
	}
	uctx, w, id, sit := ctx.UserContext(), who(ctx), sv.B.ID, sv.S.ID
	switch sv.Action {
	case "fin":
		var in httpapi.EndSituationInput
		if err = c.decodeForm(ctx, values, &in, lang); err == nil {
			_, err = c.svc.Beneficiaries.EndSituation(uctx, w, id, sit, in.End, in.Reason)
		}
	case "correction":
		var in httpapi.CorrectionInput
		if err = c.decodeForm(ctx, values, &in, lang); err == nil {
			_, err = c.svc.Beneficiaries.CorrectSituation(uctx, w, id, sit, in.Situation().Values(), in.Reason)
		}
	default:
		var in httpapi.VoidInput
		if err = c.decodeForm(ctx, values, &in, lang); err == nil {
			_, err = c.svc.Beneficiaries.VoidSituation(uctx, w, id, sit, in.Reason)
		}
	}
	if err != nil {
		if c.addErrors(f, err, lang) {
			return again()
		}
		return err
	}
	return ctx.Redirect("/beneficiaires/"+id+"?onglet=parcours&note=situation-"+sv.Action, fiber.StatusSeeOther)
}
