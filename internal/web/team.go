package web

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/parcours-emploi/parcours/access"
	"github.com/parcours-emploi/parcours/mentoring"
)

// The team page is the coordinator's: invite advisers, coordinators and
// mentors by e-mail, change a role, deactivate an account; register a
// partner agency's API key (its secret shown once) and revoke keys.

type teamView struct {
	Users    []access.User
	Keys     []access.Key
	Partners []access.Partner
	// Secret is a new key's secret, shown once, with its key.
	Secret string
	NewKey access.Key
	Roles  []access.Role
}

func (c *Console) teamPage(ctx *fiber.Ctx) error {
	return c.renderTeam(ctx, fiber.StatusOK, newForm(url.Values{"role": {"adviser"}, "capacity": {"2"}}), nil)
}

func (c *Console) renderTeam(ctx *fiber.Ctx, status int, f *form, extra func(*teamView)) error {
	uctx, w := ctx.UserContext(), who(ctx)
	users, err := c.svc.Access.Users(uctx, w.OrganisationID)
	if err != nil {
		return err
	}
	keys, err := c.svc.Access.Keys(uctx, w.OrganisationID)
	if err != nil {
		return err
	}
	partners, err := c.svc.Team.Partners(uctx, w)
	if err != nil {
		return err
	}
	tv := teamView{Users: users, Keys: keys, Partners: partners, Roles: access.InvitedRoles}
	if extra != nil {
		extra(&tv)
	}
	v := c.page(ctx, "team.title", "team", &tv)
	v.Form = f
	return c.render(ctx, status, "team", v)
}

// invite invites a person; a mentor's profile is registered at once.
func (c *Console) invite(ctx *fiber.Ctx) error {
	f := newForm(formValues(ctx))
	lang := string(c.lang(ctx))
	first, last := strings.TrimSpace(f.Get("firstName")), strings.TrimSpace(f.Get("lastName"))
	in := access.Invitee{Name: strings.TrimSpace(first + " " + last), Email: f.Get("email"), Role: access.Role(f.Get("role")), Phone: f.Get("phone")}
	var err error
	if first == "" || last == "" {
		for _, n := range []string{"firstName", "lastName"} {
			if f.Get(n) == "" {
				f.Errors[n] = c.i18n.T(c.lang(ctx), "rule.required")
				f.Order = append(f.Order, n)
			}
		}
	}
	if in.Role == access.Mentor {
		capacity, _ := strconv.Atoi(f.Get("capacity"))
		m := mentoring.Mentor{FirstName: first, LastName: last, Company: strings.TrimSpace(f.Get("company")), Capacity: capacity}
		if r := strings.ToUpper(strings.TrimSpace(f.Get("rome"))); r != "" {
			m.ROME, m.Sector = []string{r}, r[:1]
		}
		if !f.Invalid() {
			_, err = c.svc.Mentoring.InviteMentor(ctx.UserContext(), who(ctx), c.svc.Team, in, m)
		}
	} else if !f.Invalid() {
		_, err = c.svc.Team.Invite(ctx.UserContext(), who(ctx), in)
	}
	if f.Invalid() || c.addErrors(f, err, lang) {
		return c.renderTeam(ctx, fiber.StatusUnprocessableEntity, f, nil)
	}
	if err != nil {
		return err
	}
	return ctx.Redirect("/equipe?note=invited#equipe", fiber.StatusSeeOther)
}

// teamAction changes a member: role, deactivate, reactivate, invite again.
func (c *Console) teamAction(ctx *fiber.Ctx) error {
	uctx, w, id := ctx.UserContext(), who(ctx), ctx.Params("id")
	var err error
	note := ""
	switch ctx.Params("action") {
	case "role":
		_, err = c.svc.Team.ChangeRole(uctx, w, id, access.Role(ctx.FormValue("role")))
		note = "role"
	case "desactiver":
		_, err = c.svc.Team.SetActive(uctx, w, id, false)
		note = "deactivated"
	case "reactiver":
		_, err = c.svc.Team.SetActive(uctx, w, id, true)
		note = "reactivated"
	case "reinviter":
		_, err = c.svc.Team.Reinvite(uctx, w, id)
		note = "invited"
	default:
		return fiber.ErrNotFound
	}
	if err != nil {
		return c.actionFailed(ctx, err, "/equipe")
	}
	return ctx.Redirect("/equipe?note="+note+"#equipe", fiber.StatusSeeOther)
}

// createKey registers a partner agency's key and shows its secret once.
func (c *Console) createKey(ctx *fiber.Ctx) error {
	f := newForm(formValues(ctx))
	secret, k, err := c.svc.Team.CreateAgencyKey(ctx.UserContext(), who(ctx), access.AgencyKey{Agency: f.Get("agency"), Label: f.Get("label"), Contact: f.Get("contact")})
	if c.addErrors(f, err, string(c.lang(ctx))) {
		return c.renderTeam(ctx, fiber.StatusUnprocessableEntity, f, nil)
	}
	if err != nil {
		return err
	}
	ctx.Set(fiber.HeaderCacheControl, "no-store")
	return c.renderTeam(ctx, fiber.StatusOK, newForm(url.Values{"role": {"adviser"}, "capacity": {"2"}}), func(tv *teamView) {
		tv.Secret, tv.NewKey = secret, k
	})
}

func (c *Console) revokeKey(ctx *fiber.Ctx) error {
	if err := c.svc.Team.RevokeKey(ctx.UserContext(), who(ctx), ctx.Params("id")); err != nil {
		return c.actionFailed(ctx, err, "/equipe#cles")
	}
	return ctx.Redirect("/equipe?note=revoked#cles", fiber.StatusSeeOther)
}
