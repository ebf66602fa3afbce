package web

import (
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/parcours-emploi/parcours/access"
	"github.com/parcours-emploi/parcours/pathways"
)

type beneficiaryRow struct {
	B         pathways.Beneficiary
	Referents string
}

type beneficiariesView struct {
	Rows       []beneficiaryRow
	Next       string // the next page's address, "" on the last
	Programmes []string
	Cohorts    []string
	Referents  []access.User
	Filtered   bool
}

// beneficiariesPage lists the organisation's beneficiaries: search by name
// (from the start, without case or accents), filters in the URL, "my
// case-load" by default for an adviser. An htmx request gets the results
// alone.
func (c *Console) beneficiariesPage(ctx *fiber.Ctx) error {
	uctx, w := ctx.UserContext(), who(ctx)
	q := ctx.Queries()
	referent := q["referent"]
	if _, given := q["referent"]; !given && w.Role == access.Adviser {
		referent = w.UserID
	}
	if referent == "tous" {
		referent = ""
	}
	values := url.Values{}
	for _, k := range []string{"q", "programme", "cohorte", "departement", "oral", "statut"} {
		if v := strings.TrimSpace(q[k]); v != "" {
			values.Set(k, v)
		}
	}
	values.Set("referent", referent)
	if referent == "" {
		values.Set("referent", "tous")
	}
	f := pathways.Filter{Search: q["q"], Programme: q["programme"], Cohort: q["cohorte"], Referent: referent,
		Department: q["departement"], OralAtLeast: q["oral"], Status: q["statut"], After: q["apres"], Limit: 25}
	if err := c.Inputs.CheckQuery(string(c.lang(ctx)), map[string][2]string{
		"departement": {f.Department, "omitempty,departement"}, "oral": {f.OralAtLeast, "omitempty,cefr"},
		"statut": {f.Status, "omitempty,oneof=active exited"}, "q": {f.Search, "max=100"},
	}); err != nil {
		f = pathways.Filter{Referent: referent, Limit: 25}
	}
	list, next, err := c.svc.Beneficiaries.List(uctx, w, f)
	if err != nil {
		return err
	}
	staff, err := c.staffNames(uctx, w)
	if err != nil {
		return err
	}
	bv := beneficiariesView{Filtered: f.Search != "" || f.Programme != "" || f.Cohort != "" || f.Department != "" || f.OralAtLeast != "" || f.Status != ""}
	for _, b := range list {
		names := []string{}
		for _, r := range b.Enrolment.Referents {
			names = append(names, staff[r].Name)
		}
		bv.Rows = append(bv.Rows, beneficiaryRow{B: b, Referents: strings.Join(names, ", ")})
	}
	if next != "" {
		nv := url.Values{}
		for k, v := range values {
			nv[k] = v
		}
		nv.Set("apres", next)
		bv.Next = "/beneficiaires?" + nv.Encode()
	}
	known, err := c.values(uctx, w)
	if err != nil {
		return err
	}
	bv.Programmes, bv.Cohorts = known.Programmes, known.Cohorts
	for _, u := range staff {
		if u.Role == access.Adviser || u.Role == access.Coordinator {
			bv.Referents = append(bv.Referents, u)
		}
	}
	sortUsers(bv.Referents)
	v := c.page(ctx, "beneficiaries.title", "beneficiaries", bv)
	v.Form = newForm(values)
	return c.render(ctx, fiber.StatusOK, "beneficiaries", v)
}
