package web

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/parcours-emploi/parcours/access"
	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/internal/httpapi"
	"github.com/parcours-emploi/parcours/pathways"
)

// The profile form posts the fields of the API's BeneficiaryInput, by
// JSON path, and is decoded and validated by the API's decoder: the rules
// are the API's, each error comes back next to its field.

type profileView struct {
	B         *pathways.Beneficiary
	Referents []access.User
	// Programmes are the organisation's programmes, as choices.
	Programmes [][2]string
	// Rows are the indexes of the diploma and past-job rows shown.
	DiplomaRows, JobRows []int
}

var romePattern = regexp.MustCompile(`^[A-Na-n][0-9]{4}$`)

func (c *Console) newBeneficiaryPage(ctx *fiber.Ctx) error {
	today := civil.Of(c.now().In(paris))
	// The programme and the département most of the organisation's people
	// have, as a start.
	known, err := c.values(ctx.UserContext(), who(ctx))
	if err != nil {
		return err
	}
	programme := ""
	if len(known.Programmes) == 1 {
		programme = known.Programmes[0]
	}
	values := url.Values{
		"enrolment.entryDate": {string(today)}, "consentDate": {string(today)}, "department": {known.MainDepartment()},
		"enrolment.programme": {programme},
		"enrolment.referents": {who(ctx).UserID}, "availability.hoursPerWeek": {"35"}, "mobility.maxKm": {"20"},
		"mobility.publicTransport": {"true"}, "availability.days": {"mon", "tue", "wed", "thu", "fri"},
	}
	return c.renderProfile(ctx, fiber.StatusOK, nil, newForm(values))
}

func (c *Console) editBeneficiaryPage(ctx *fiber.Ctx) error {
	b, err := c.svc.Beneficiaries.Get(ctx.UserContext(), who(ctx), ctx.Params("id"))
	if err != nil {
		return err
	}
	return c.renderProfile(ctx, fiber.StatusOK, &b, newForm(profileValues(b)))
}

func (c *Console) renderProfile(ctx *fiber.Ctx, status int, b *pathways.Beneficiary, f *form) error {
	staff, err := c.staffNames(ctx.UserContext(), who(ctx))
	if err != nil {
		return err
	}
	pv := profileView{B: b, DiplomaRows: rows(f, "diplomas", 1), JobRows: rows(f, "pastJobs", 1)}
	for _, u := range staff {
		if u.Role == access.Adviser || u.Role == access.Coordinator {
			pv.Referents = append(pv.Referents, u)
		}
	}
	sortUsers(pv.Referents)
	progs, err := c.svc.Beneficiaries.ListProgrammes(ctx.UserContext(), who(ctx))
	if err != nil {
		return err
	}
	pv.Programmes = [][2]string{{"", c.i18n.T(c.lang(ctx), "form.choose")}}
	for _, p := range progs {
		pv.Programmes = append(pv.Programmes, [2]string{p.Name, p.Name})
	}
	title := "profile.new.title"
	if b != nil {
		title = "profile.edit.title"
	}
	v := c.page(ctx, title, "beneficiaries", pv)
	v.Form = f
	return c.render(ctx, status, "profile", v)
}

// rows are the row indexes a list of the form shows: those filled, and
// blank ones to add.
func rows(f *form, prefix string, blank int) []int {
	n := 0
	for k := range f.Values {
		rest, ok := strings.CutPrefix(k, prefix+".")
		if !ok {
			continue
		}
		i, _, _ := strings.Cut(rest, ".")
		if x, err := strconv.Atoi(i); err == nil && x+1 > n {
			n = x + 1
		}
	}
	out := make([]int, n+blank)
	for i := range out {
		out[i] = i
	}
	return out
}

func (c *Console) createBeneficiary(ctx *fiber.Ctx) error {
	f := newForm(formValues(ctx))
	var b pathways.Beneficiary
	if !c.decodeProfile(ctx, f, &b) {
		return c.renderProfile(ctx, fiber.StatusUnprocessableEntity, nil, f)
	}
	b, err := c.svc.Beneficiaries.Create(ctx.UserContext(), who(ctx), b)
	if err != nil {
		if c.addErrors(f, err, string(c.lang(ctx))) {
			return c.renderProfile(ctx, fiber.StatusUnprocessableEntity, nil, f)
		}
		return err
	}
	c.forgetValues(b.OrganisationID)
	return ctx.Redirect("/beneficiaires/"+b.ID+"?note=created", fiber.StatusSeeOther)
}

func (c *Console) updateBeneficiary(ctx *fiber.Ctx) error {
	f := newForm(formValues(ctx))
	version, _ := strconv.ParseInt(f.Get("version"), 10, 64)
	var decodeFailed bool
	b, err := c.svc.Beneficiaries.Update(ctx.UserContext(), who(ctx), ctx.Params("id"), version, func(b *pathways.Beneficiary) error {
		location := b.Address.Location
		if !c.decodeProfile(ctx, f, b) {
			decodeFailed = true
			return errFormInvalid
		}
		// The form does not edit the coordinates: they stay.
		if b.Address.Location == nil {
			b.Address.Location = location
		}
		return nil
	})
	if decodeFailed || c.addErrors(f, err, string(c.lang(ctx))) {
		cur, gerr := c.svc.Beneficiaries.Get(ctx.UserContext(), who(ctx), ctx.Params("id"))
		if gerr != nil {
			return gerr
		}
		return c.renderProfile(ctx, fiber.StatusUnprocessableEntity, &cur, f)
	}
	if apperr.Is(err, apperr.PreconditionFailed) {
		cur, gerr := c.svc.Beneficiaries.Get(ctx.UserContext(), who(ctx), ctx.Params("id"))
		if gerr != nil {
			return gerr
		}
		f.stale(err, cur.Version, c.i18n.T(c.lang(ctx), "form.stale"))
		return c.renderProfile(ctx, fiber.StatusConflict, &cur, f)
	}
	if err != nil {
		return err
	}
	c.forgetValues(b.OrganisationID)
	return ctx.Redirect("/beneficiaires/"+b.ID+"?note=saved", fiber.StatusSeeOther)
}

// errFormInvalid stops a change whose form has errors; they are in the form.
var errFormInvalid = fmt.Errorf("the form has errors")

// decodeProfile decodes the form into b through the API's input type; it
// reports false, with the errors in f, when the form is not valid.
func (c *Console) decodeProfile(ctx *fiber.Ctx, f *form, b *pathways.Beneficiary) bool {
	values := url.Values{}
	for k, v := range f.Values {
		values[k] = v
	}
	// Skills are typed one per line: a ROME code, or words.
	values.Del("skillsText")
	n := 0
	for _, line := range strings.Split(f.Get("skillsText"), "\n") {
		if line = strings.TrimSpace(line); line == "" {
			continue
		}
		key := fmt.Sprintf("skills.%d.", n)
		if romePattern.MatchString(line) {
			values.Set(key+"rome", strings.ToUpper(line))
		} else {
			values.Set(key+"label", line)
		}
		n++
	}
	values.Del("version")
	values.Del(csrfField)
	lang := string(c.lang(ctx))
	var in httpapi.BeneficiaryInput
	if err := c.decodeForm(ctx, values, &in, lang); err != nil {
		if !c.addErrors(f, err, lang) {
			f.Errors["form"] = err.Error()
		}
		return false
	}
	in.Apply(b)
	return true
}

// profileValues are the form's values of b.
func profileValues(b pathways.Beneficiary) url.Values {
	v := url.Values{}
	set := func(k, val string) {
		if val != "" {
			v.Set(k, val)
		}
	}
	set("version", strconv.FormatInt(b.Version, 10))
	set("firstName", b.FirstName)
	set("lastName", b.LastName)
	set("birthDate", string(b.BirthDate))
	set("protection", string(b.Protection))
	set("enrolment.programme", b.Enrolment.Programme)
	set("enrolment.entryDate", string(b.Enrolment.EntryDate))
	set("enrolment.cohort", b.Enrolment.Cohort)
	set("enrolment.rightsReferent", b.Enrolment.RightsReferent)
	set("enrolment.employmentReferent", b.Enrolment.EmploymentReferent)
	set("enrolment.contractSignedOn", string(b.Enrolment.ContractSignedOn))
	v["enrolment.referents"] = b.Enrolment.Referents
	set("department", b.Department)
	set("address.line", b.Address.Line)
	set("address.postcode", b.Address.Postcode)
	set("address.city", b.Address.City)
	set("french.oralComprehension", b.French.OralComprehension)
	set("french.writtenComprehension", b.French.WrittenComprehension)
	set("french.oralProduction", b.French.OralProduction)
	set("french.writtenProduction", b.French.WrittenProduction)
	set("french.source", b.French.Source)
	set("french.assessedOn", string(b.French.AssessedOn))
	for i, d := range b.Diplomas {
		p := fmt.Sprintf("diplomas.%d.", i)
		set(p+"title", d.Title)
		if d.Level > 0 {
			set(p+"level", strconv.Itoa(d.Level))
		}
		set(p+"country", d.Country)
		set(p+"field", d.Field)
		set(p+"recognition", d.Recognition)
	}
	var skills []string
	for _, s := range b.Skills {
		if s.Label != "" {
			skills = append(skills, s.Label)
		} else {
			skills = append(skills, s.ROME)
		}
	}
	set("skillsText", strings.Join(skills, "\n"))
	for i, j := range b.PastJobs {
		p := fmt.Sprintf("pastJobs.%d.", i)
		set(p+"title", j.Title)
		set(p+"rome", j.ROME)
		set(p+"country", j.Country)
		if j.Years > 0 {
			set(p+"years", strconv.Itoa(j.Years))
		}
	}
	set("project.targetRome", strings.Join(b.Project.TargetROME, ", "))
	set("project.description", b.Project.Description)
	set("availability.from", string(b.Availability.From))
	set("availability.hoursPerWeek", strconv.Itoa(b.Availability.HoursPerWeek))
	v["availability.days"] = b.Availability.Days
	set("availability.constraints", b.Availability.Constraints)
	set("mobility.maxKm", strconv.Itoa(b.Mobility.MaxKm))
	set("mobility.drivingLicence.status", b.Mobility.DrivingLicence.Status)
	v["mobility.drivingLicence.categories"] = b.Mobility.DrivingLicence.Categories
	set("mobility.drivingLicence.exchangeExpected", string(b.Mobility.DrivingLicence.ExchangeExpected))
	for k, on := range map[string]bool{"mobility.vehicle": b.Mobility.Vehicle, "mobility.publicTransport": b.Mobility.PublicTransport} {
		if on {
			v.Set(k, "true")
		}
	}
	for _, x := range b.Barriers {
		v.Add("barriers", string(x))
	}
	set("languages", strings.Join(b.Languages, ", "))
	set("interests", strings.Join(b.Interests, ", "))
	set("consentDate", string(b.ConsentAt))
	set("notes", b.Notes)
	return v
}
