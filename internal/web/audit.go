package web

import (
	"bytes"
	"encoding/csv"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/parcours-emploi/parcours/access"
	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/pathways"
)

// The audit log shows a coordinator who read or changed which file, and
// when: filtered by user, by person and by dates, in the address, with a
// CSV of what the filters select.

type auditRow struct {
	E      pathways.AuditEntry
	User   string
	Person string
}

type auditView struct {
	Users []access.User
	Rows  []auditRow
	Next  string
	CSV   string
}

// auditFilter reads the filters of the address; found is false when the
// person searched matches nobody (the list is then empty).
func (c *Console) auditFilter(ctx *fiber.Ctx, limit int) (pathways.AuditFilter, url.Values, bool, error) {
	f := pathways.AuditFilter{UserID: ctx.Query("utilisateur"), From: civil.Date(ctx.Query("du")), To: civil.Date(ctx.Query("au")),
		Before: ctx.Query("avant"), Limit: limit}
	values := url.Values{}
	for _, k := range []string{"utilisateur", "personne", "du", "au"} {
		if v := strings.TrimSpace(ctx.Query(k)); v != "" {
			values.Set(k, v)
		}
	}
	if !f.From.Valid() {
		f.From = ""
	}
	if !f.To.Valid() {
		f.To = ""
	}
	if q := strings.TrimSpace(ctx.Query("personne")); q != "" {
		list, _, err := c.svc.Beneficiaries.List(ctx.UserContext(), who(ctx), pathways.Filter{Search: q, Limit: 200})
		if err != nil {
			return f, values, false, err
		}
		f.BeneficiaryIDs = []string{}
		for _, b := range list {
			f.BeneficiaryIDs = append(f.BeneficiaryIDs, b.ID)
		}
		if len(list) == 0 {
			return f, values, false, nil
		}
	}
	return f, values, true, nil
}

// auditRows names the users and the people of entries.
func (c *Console) auditRows(ctx *fiber.Ctx, entries []pathways.AuditEntry) ([]auditRow, []access.User, error) {
	uctx, w := ctx.UserContext(), who(ctx)
	staff, err := c.staffNames(uctx, w)
	if err != nil {
		return nil, nil, err
	}
	ids := make([]string, len(entries))
	for i, e := range entries {
		ids[i] = e.BeneficiaryID
	}
	ppl, err := c.people(uctx, w, ids)
	if err != nil {
		return nil, nil, err
	}
	rows := make([]auditRow, len(entries))
	for i, e := range entries {
		rows[i] = auditRow{E: e, User: staff[e.UserID].Name, Person: ppl[e.BeneficiaryID].Name}
		if rows[i].User == "" {
			rows[i].User = e.UserID
		}
	}
	users := make([]access.User, 0, len(staff))
	for _, u := range staff {
		users = append(users, u)
	}
	sortUsers(users)
	return rows, users, nil
}

func (c *Console) auditPage(ctx *fiber.Ctx) error {
	f, values, found, err := c.auditFilter(ctx, 50)
	if err != nil {
		return err
	}
	var entries []pathways.AuditEntry
	next := ""
	if found {
		if entries, next, err = c.svc.Beneficiaries.AuditEntries(ctx.UserContext(), who(ctx), f); err != nil {
			return err
		}
	}
	rows, users, err := c.auditRows(ctx, entries)
	if err != nil {
		return err
	}
	av := auditView{Rows: rows, Users: users, CSV: "/journal.csv?" + values.Encode()}
	if next != "" {
		nv := url.Values{}
		for k, v := range values {
			nv[k] = v
		}
		nv.Set("avant", next)
		av.Next = "/journal?" + nv.Encode()
	}
	v := c.page(ctx, "audit.title", "audit", av)
	v.Form = newForm(values)
	return c.render(ctx, fiber.StatusOK, "audit", v)
}

// auditCSV writes what the filters select, up to 10,000 entries.
func (c *Console) auditCSV(ctx *fiber.Ctx) error {
	f, _, found, err := c.auditFilter(ctx, 10000)
	if err != nil {
		return err
	}
	f.Before = ""
	var entries []pathways.AuditEntry
	if found {
		if entries, _, err = c.svc.Beneficiaries.AuditEntries(ctx.UserContext(), who(ctx), f); err != nil {
			return err
		}
	}
	rows, _, err := c.auditRows(ctx, entries)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write([]string{"at", "day", "time", "userId", "user", "action", "beneficiaryId", "beneficiary", "requestId"})
	for _, r := range rows {
		local := r.E.At.In(civil.France)
		_ = w.Write([]string{r.E.At.Format("2006-01-02T15:04:05Z07:00"), local.Format("2006-01-02"), local.Format("15:04"),
			r.E.UserID, pathways.CSVText(r.User), r.E.Action, r.E.BeneficiaryID, pathways.CSVText(r.Person), r.E.RequestID})
	}
	w.Flush()
	ctx.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	ctx.Set(fiber.HeaderContentDisposition, `attachment; filename="journal-des-acces.csv"`)
	return ctx.Send(buf.Bytes())
}
