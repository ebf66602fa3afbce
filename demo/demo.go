// Package demo seeds a small, realistic world for dev and for the console's
// tests: two programme organisations (so isolation can be tried at once)
// and two interim agencies; advisers, a coordinator and co-training
// mentors who log in by e-mail; a few dozen beneficiaries with varied
// profiles over three cohorts, with situations and measured outcomes;
// offers, PMSMP placements, training sessions; proposals in every state;
// and one finished matching batch. It goes through the services and the
// store interfaces only, so it seeds any store.
package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/parcours-emploi/parcours/access"
	"github.com/parcours-emploi/parcours/app"
	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/batches"
	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/ids"
	"github.com/parcours-emploi/parcours/pathways"
)

// Organisation names.
const (
	Programme      = "AGIR Rhône (démo)"
	OtherProgramme = "Accelair Isère (démo)"
	Agency         = "Intérim Lyon (démo)"
	OtherAgency    = "Travail temporaire Grenoble (démo)"
)

// Personas are the demo's people by role name: coordinator, adviser,
// mentor, agency, other_adviser, other_agency (and adviser2).
type Personas map[string]Persona

// Persona is one demo user and the API key made for them.
type Persona struct {
	User   access.User
	APIKey string
}

// World is what Seed made.
type World struct {
	Personas Personas
	// Orgs by name.
	Orgs map[string]access.Organisation
	// Beneficiaries of the programme, in the order seeded.
	Beneficiaries []pathways.Beneficiary
	// Batch is the finished matching batch.
	Batch batches.Batch
}

// Present reports whether the demo was seeded in st already.
func Present(ctx context.Context, st app.Store) (bool, error) {
	_, err := st.OrganisationByName(ctx, Programme)
	if apperr.Is(err, apperr.NotFound) {
		return false, nil
	}
	return err == nil, err
}

// Seed fills st with the demo at the instant now. It is meant for an empty
// store.
func Seed(ctx context.Context, svc *app.Services, st app.Store, now time.Time) (World, error) {
	s := &seeder{svc: svc, st: st, now: now.UTC().Truncate(time.Millisecond), today: civil.Of(now.UTC()),
		w: World{Personas: Personas{}, Orgs: map[string]access.Organisation{}}}
	steps := []func(context.Context) error{s.people, s.beneficiaries, s.situations, s.opportunities, s.mentors, s.proposals, s.batch, s.agency, s.announce}
	for _, step := range steps {
		if err := step(ctx); err != nil {
			return s.w, err
		}
	}
	return s.w, nil
}

// announce tells the demo's people the news its records hold (the
// proposals sent to Julien, a mentorship in alert, horizons reached), as
// the workers' periodic scan would, so the demo's mailbox shows them at
// once.
func (s *seeder) announce(ctx context.Context) error {
	if s.svc.Announce == nil {
		return nil
	}
	_, err := s.svc.Announce.Scan(ctx)
	return err
}

type seeder struct {
	svc   *app.Services
	st    app.Store
	now   time.Time
	today civil.Date
	w     World
	// referents of the programme, by persona name.
	staff map[string]access.User
}

func (s *seeder) org(ctx context.Context, name, kind string, partner ...access.Organisation) (access.Organisation, error) {
	o := access.Organisation{ID: ids.NewAt("org", s.now), Name: name, Kind: kind, CreatedAt: s.now}
	if len(partner) > 0 {
		o.Partner = partner[0].ID // the programme that registered the agency
	}
	if err := s.st.CreateOrganisation(ctx, o); err != nil {
		return o, fmt.Errorf("create organisation %s: %w", name, err)
	}
	s.w.Orgs[name] = o
	return o, nil
}

// user creates a user with an e-mail address and an API key.
func (s *seeder) user(ctx context.Context, persona string, org access.Organisation, role access.Role, name, email, phone string) (access.User, error) {
	u := access.User{ID: ids.NewAt("usr", s.now), OrganisationID: org.ID, Name: name, Email: email, Phone: phone, Role: role, CreatedAt: s.now}
	if err := s.st.CreateUser(ctx, u); err != nil {
		return u, fmt.Errorf("create user %s: %w", email, err)
	}
	secret, _, err := access.KeyFor(ctx, s.st, u, "demo", s.now, func(p string) string { return ids.NewAt(p, s.now) })
	if err != nil {
		return u, err
	}
	if persona != "" {
		s.w.Personas[persona] = Persona{User: u, APIKey: secret}
	}
	return u, nil
}

func (s *seeder) people(ctx context.Context) error {
	prog, err := s.org(ctx, Programme, "programme")
	if err != nil {
		return err
	}
	other, err := s.org(ctx, OtherProgramme, "programme")
	if err != nil {
		return err
	}
	agency, err := s.org(ctx, Agency, "agency", prog)
	if err != nil {
		return err
	}
	otherAgency, err := s.org(ctx, OtherAgency, "agency", other)
	if err != nil {
		return err
	}
	s.staff = map[string]access.User{}
	for _, p := range []struct {
		persona string
		org     access.Organisation
		role    access.Role
		name    string
		email   string
		phone   string
	}{
		{"coordinator", prog, access.Coordinator, "Claire Martin", "claire.martin@agir-rhone.demo", "04 72 00 00 01"},
		{"adviser", prog, access.Adviser, "Karim Benali", "karim.benali@agir-rhone.demo", "04 72 00 00 02"},
		{"adviser2", prog, access.Adviser, "Sophie Laurent", "sophie.laurent@agir-rhone.demo", "04 72 00 00 03"},
		{"mentor", prog, access.Mentor, "Julien Mercier", "julien.mercier@bocuse-traiteur.demo", ""},
		{"agency", agency, access.Agency, "Agence Part-Dieu", "contact@interim-lyon.demo", ""},
		{"other_adviser", other, access.Adviser, "Hélène Dubois", "helene.dubois@accelair-isere.demo", "04 76 00 00 01"},
		{"other_agency", otherAgency, access.Agency, "Agence Grenoble Centre", "contact@tt-grenoble.demo", ""},
	} {
		u, err := s.user(ctx, p.persona, p.org, p.role, p.name, p.email, p.phone)
		if err != nil {
			return err
		}
		s.staff[p.persona] = u
	}
	return nil
}
