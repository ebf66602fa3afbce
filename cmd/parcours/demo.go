package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/parcours-emploi/parcours/access"
	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/geo"
	"github.com/parcours-emploi/parcours/ids"
	"github.com/parcours-emploi/parcours/internal/mongodb"
	"github.com/parcours-emploi/parcours/jobs"
	"github.com/parcours-emploi/parcours/mentoring"
	"github.com/parcours-emploi/parcours/pathways"
)

// Demo organisations.
const (
	demoProgramme = "AGIR Rhône (démo)"
	demoAgency    = "Intérim Lyon (démo)"
)

// seedDemo fills an empty database with a small, realistic programme: an AGIR
// platform with advisers, beneficiaries and co-training mentors, and an
// interim agency with openings. It runs once; the keys it makes are printed
// and kept in the data dir (dev only) so a newcomer can call the API at once.
func seedDemo(ctx context.Context, db *mongodb.DB, cfg config, stdout io.Writer, log *slog.Logger) error {
	keysFile := filepath.Join(cfg.DataDir, "demo-keys.txt")
	if _, err := db.OrganisationByName(ctx, demoProgramme); err == nil {
		log.Info("demo data already present", "keys", keysFile)
		if b, err := os.ReadFile(keysFile); err == nil {
			fmt.Fprintf(stdout, "Demo API keys (from %s):\n%s", keysFile, b)
		}
		return nil
	} else if !apperr.Is(err, apperr.NotFound) {
		return err
	}
	now := time.Now().UTC()
	today := civil.Of(now)
	prog, err := ensureOrganisation(ctx, db, demoProgramme, "programme", now)
	if err != nil {
		return err
	}
	agency, err := ensureOrganisation(ctx, db, demoAgency, "agency", now)
	if err != nil {
		return err
	}
	var keys strings.Builder
	issue := func(org access.Organisation, role access.Role, name string) (access.User, error) {
		secret, _, u, err := access.IssueKey(ctx, db, org, role, name, "demo", now, ids.New)
		if err != nil {
			return u, err
		}
		fmt.Fprintf(&keys, "%-12s %-22s %s\n", role, name, secret)
		return u, nil
	}
	if _, err := issue(prog, access.Coordinator, "Claire Coordinatrice"); err != nil {
		return err
	}
	adv1, err := issue(prog, access.Adviser, "Karim Conseiller")
	if err != nil {
		return err
	}
	adv2, err := issue(prog, access.Adviser, "Sophie Conseillère")
	if err != nil {
		return err
	}
	mentorUser, err := issue(prog, access.Mentor, "Julien Mentor")
	if err != nil {
		return err
	}
	if _, err := issue(agency, access.Agency, "Agence Part-Dieu"); err != nil {
		return err
	}

	lyon := func(pc string, lat, lon float64) pathways.Address {
		return pathways.Address{Postcode: pc, City: "Lyon", Location: &geo.Point{Lat: lat, Lon: lon}}
	}
	type person struct {
		first, last, prot, cohort string
		fr                        [4]string
		project, past             []string
		maxKm                     int
		licence                   bool
		addr                      pathways.Address
	}
	people := []person{
		{"Amina", "Haidari", "refugee", "2026-A", [4]string{"a2", "a1", "a2", "a1"}, []string{"G1602"}, []string{"G1602"}, 20, false, lyon("69007", 45.745, 4.842)},
		{"Yonas", "Tesfaye", "refugee", "2026-A", [4]string{"b1", "a2", "a2", "a2"}, []string{"H2913"}, []string{"H2913"}, 30, true, lyon("69008", 45.734, 4.869)},
		{"Mariam", "Sadiqi", "subsidiary-protection", "2026-A", [4]string{"b1", "b1", "b1", "a2"}, []string{"J1501"}, []string{"K1302"}, 15, false, lyon("69003", 45.760, 4.860)},
		{"Oleksandr", "Kovalenko", "subsidiary-protection", "2026-A", [4]string{"a2", "a2", "a1", "a1"}, []string{"N1103"}, []string{"N1101"}, 40, true, pathways.Address{Postcode: "69200", City: "Vénissieux", Location: &geo.Point{Lat: 45.697, Lon: 4.886}}},
		{"Fatima", "Nouri", "bpi-family-member", "2026-B", [4]string{"a1", "below-a1", "a1", "below-a1"}, []string{"K2204"}, nil, 10, false, lyon("69009", 45.774, 4.805)},
		{"Abdul", "Rahimi", "refugee", "2026-B", [4]string{"b1", "a2", "b1", "a2"}, []string{"F1703"}, []string{"F1703", "F1701"}, 35, true, pathways.Address{Postcode: "69100", City: "Villeurbanne", Location: &geo.Point{Lat: 45.771, Lon: 4.890}}},
		{"Selam", "Gebre", "refugee", "2026-B", [4]string{"b2", "b1", "b1", "b1"}, []string{"M1805"}, []string{"M1805"}, 25, false, lyon("69002", 45.750, 4.827)},
		{"Hassan", "Al-Khatib", "refugee", "2026-B", [4]string{"a2", "a2", "a2", "a1"}, []string{"I1604"}, []string{"I1604"}, 30, true, pathways.Address{Postcode: "69500", City: "Bron", Location: &geo.Point{Lat: 45.738, Lon: 4.913}}},
		{"Nadia", "Popal", "subsidiary-protection", "2026-A", [4]string{"a2", "a1", "a2", "a1"}, []string{"A1414", "A1203"}, []string{"A1414"}, 50, true, pathways.Address{Postcode: "69440", City: "Mornant", Location: &geo.Point{Lat: 45.619, Lon: 4.672}}},
		{"Tigist", "Alemu", "refugee", "2026-B", [4]string{"b1", "b1", "a2", "a2"}, []string{"D1507", "D1106"}, []string{"D1106"}, 20, false, lyon("69005", 45.762, 4.822)},
	}
	entry := today.AddDate(0, -3, 0)
	for i, p := range people {
		b := pathways.Beneficiary{
			ID: ids.New("ben"), OrganisationID: prog.ID, FirstName: p.first, LastName: p.last,
			BirthDate: civil.Date(fmt.Sprintf("%d-0%d-1%d", 1980+i*2, 1+i%9, i%9)), Protection: pathways.Protection(p.prot),
			Enrolment:  pathways.Enrolment{Programme: "AGIR", EntryDate: entry, Cohort: p.cohort, Referents: []string{[]string{adv1.ID, adv2.ID}[i%2]}},
			Department: "69", Address: p.addr,
			French:       pathways.French{OralComprehension: p.fr[0], WrittenComprehension: p.fr[1], OralProduction: p.fr[2], WrittenProduction: p.fr[3], Source: "ofii", AssessedOn: entry},
			Project:      pathways.Project{TargetROME: p.project},
			Availability: pathways.Availability{From: today, HoursPerWeek: 35, Days: []string{"mon", "tue", "wed", "thu", "fri"}},
			Mobility:     pathways.Mobility{MaxKm: p.maxKm, DrivingLicence: p.licence, PublicTransport: true},
			ConsentAt:    entry, CreatedAt: now, UpdatedAt: now, Version: 1,
		}
		for _, r := range p.past {
			b.PastJobs = append(b.PastJobs, pathways.PastJob{ROME: r, Title: r, Country: "abroad", Years: 2 + i%4})
		}
		if err := db.CreateBeneficiary(ctx, b); err != nil {
			return err
		}
	}

	type offer struct {
		kind            jobs.Kind
		title, rome, pc string
		lat, lon        float64
		contract        *jobs.Contract
		oral            string
		positions       int
		org             access.Organisation
		ref             string
	}
	cdi := &jobs.Contract{Type: "cdi"}
	cdd6 := &jobs.Contract{Type: "cdd", Months: 6}
	interim := &jobs.Contract{Type: "interim", Months: 3}
	offers := []offer{
		{jobs.KindJob, "Commis de cuisine", "G1602", "69002", 45.757, 4.832, cdi, "a2", 2, prog, ""},
		{jobs.KindJob, "Soudeur / soudeuse TIG", "H2913", "69200", 45.700, 4.880, cdd6, "a2", 3, agency, "LYO-2026-001"},
		{jobs.KindJob, "Préparateur de commandes", "N1103", "69800", 45.716, 4.950, interim, "a1", 5, agency, "LYO-2026-002"},
		{jobs.KindJob, "Agent d'entretien", "K2204", "69003", 45.760, 4.850, cdd6, "a1", 2, agency, "LYO-2026-003"},
		{jobs.KindJob, "Aide-soignant(e)", "J1501", "69004", 45.778, 4.828, cdi, "b1", 1, prog, ""},
		{jobs.KindJob, "Maçon / maçonne", "F1703", "69100", 45.770, 4.880, interim, "a2", 2, agency, "LYO-2026-004"},
		{jobs.KindJob, "Mécanicien automobile", "I1604", "69500", 45.740, 4.910, cdi, "a2", 1, prog, ""},
		{jobs.KindJob, "Employé(e) de libre-service", "D1507", "69009", 45.780, 4.800, cdd6, "a2", 2, agency, "LYO-2026-005"},
		{jobs.KindPMSMP, "Découverte maraîchage", "A1414", "69440", 45.620, 4.670, nil, "a1", 1, prog, ""},
		{jobs.KindPMSMP, "Découverte cuisine collective", "G1603", "69007", 45.740, 4.840, nil, "a1", 1, prog, ""},
		{jobs.KindTraining, "Titre professionnel soudeur", "H2913", "69200", 45.700, 4.880, nil, "a2", 8, prog, ""},
		{jobs.KindTraining, "FLE à visée professionnelle (A2 → B1)", "G1602", "69001", 45.767, 4.834, nil, "a1", 15, prog, ""},
	}
	for i, o := range offers {
		op := jobs.Opportunity{
			ID: ids.New("opp"), OrganisationID: o.org.ID, Kind: o.kind, Status: jobs.StatusOpen, ExternalRef: o.ref,
			Title: o.title, ROME: o.rome, Place: geo.Place{Department: "69", Postcode: o.pc, Location: &geo.Point{Lat: o.lat, Lon: o.lon}},
			Start: today.AddDate(0, 0, 7+i), HoursPerWeek: 35, Positions: o.positions, Contract: o.contract,
			French:    jobs.FrenchRequirement{OralComprehension: o.oral, OralProduction: o.oral},
			CreatedAt: now, UpdatedAt: now, Version: 1,
		}
		switch o.kind {
		case jobs.KindPMSMP:
			op.End = op.Start.AddDate(0, 0, 13)
			op.PMSMP = &jobs.PMSMP{HostID: fmt.Sprintf("host-%d", i), Objective: "discover"}
		case jobs.KindTraining:
			op.End = op.Start.AddDate(0, 4, 0)
		}
		if err := db.CreateOpportunity(ctx, op); err != nil {
			return err
		}
	}

	trained := today.AddDate(0, -1, 0)
	type mentor struct {
		first, last, company, sector, pc string
		rome, interests, languages       []string
		capacity                         int
		user                             string
	}
	mentors := []mentor{
		{"Julien", "Mercier", "Bocuse Traiteur", "G", "69002", []string{"G1602"}, []string{"football", "cuisine"}, []string{"fr", "en"}, 2, mentorUser.ID},
		{"Nathalie", "Roux", "Métallerie du Rhône", "H", "69200", []string{"H2913"}, []string{"randonnée"}, []string{"fr", "ar"}, 1, ""},
		{"Pierre", "Lambert", "Hospices Civils", "J", "69003", []string{"J1501"}, []string{"musique", "lecture"}, []string{"fr", "en", "es"}, 1, ""},
		{"Leïla", "Benali", "LogiRhône", "N", "69800", []string{"N1103"}, []string{"football", "jardinage"}, []string{"fr", "ar"}, 2, ""},
		{"Marc", "Fontaine", "Batir 69", "F", "69100", []string{"F1703"}, []string{"vélo"}, []string{"fr", "fa"}, 1, ""},
	}
	for _, m := range mentors {
		mt := mentoring.Mentor{
			ID: ids.New("men"), OrganisationID: prog.ID, UserID: m.user, FirstName: m.first, LastName: m.last,
			Company: m.company, Sector: m.sector, ROME: m.rome, Interests: m.interests, Languages: m.languages,
			Capacity: m.capacity, Availability: mentoring.MentorAvailability{HoursPerMonth: 6, Days: []string{"tue", "thu"}},
			Place: geo.Place{Department: "69", Postcode: m.pc}, TrainedAt: &trained, Status: mentoring.MentorActive,
			CreatedAt: now, UpdatedAt: now, Version: 1,
		}
		if err := db.CreateMentor(ctx, mt); err != nil {
			return err
		}
	}

	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return err
	}
	if err := os.WriteFile(keysFile, []byte(keys.String()), 0o600); err != nil {
		return err
	}
	log.Info("demo data seeded", "beneficiaries", len(people), "opportunities", len(offers), "mentors", len(mentors), "keys", keysFile)
	fmt.Fprintf(stdout, "Demo API keys (kept in %s, dev only):\n%s", keysFile, keys.String())
	return nil
}
