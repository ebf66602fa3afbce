package demo

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/parcours-emploi/parcours/access"
	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/batches"
	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/geo"
	"github.com/parcours-emploi/parcours/ids"
	"github.com/parcours-emploi/parcours/jobs"
	"github.com/parcours-emploi/parcours/matching"
	"github.com/parcours-emploi/parcours/mentoring"
	"github.com/parcours-emploi/parcours/pathways"
	"github.com/parcours-emploi/parcours/pmsmp"
	"github.com/parcours-emploi/parcours/proposals"
)

// situations gives the older cohorts what happened to them, and measures
// the horizons passed, so the reports have numbers at once. Some people of
// the middle cohort have nothing recorded: their horizon shows "to do".
func (s *seeder) situations(ctx context.Context) error {
	prog := s.w.Orgs[Programme]
	adviser := access.Principal{UserID: s.staff["adviser"].ID, OrganisationID: prog.ID, Role: access.Adviser}
	type sit struct {
		kind   pathways.SituationKind
		from   int // months after entry
		months int // duration of a fixed-term contract
		exit   string
		who    string
	}
	plans := [][]sit{
		{{pathways.SituationFLE, 1, 0, "", ""}, {pathways.SituationCDI, 4, 0, "", "Bocuse Traiteur"}},
		{{pathways.SituationInterim, 2, 3, "", "Sup'Intérim"}, {pathways.SituationCDD, 5, 8, "", "Métallerie du Rhône"}},
		{{pathways.SituationQualifyingTraining, 2, 0, "", "IFSI Lyon"}},
		{{pathways.SituationJobSearch, 1, 0, "", ""}, {pathways.SituationInterim, 7, 4, "", "Chronos Intérim"}},
		{{pathways.SituationFLE, 1, 0, "", "Alliance française"}},
		{{pathways.SituationCDD, 3, 6, "", "Batir 69"}, {pathways.SituationCDI, 9, 0, "", "Batir 69"}},
		{{pathways.SituationAlternance, 3, 0, "", "Simplon"}},
		{{pathways.SituationCDI, 5, 0, "", "Garage du Parc"}},
		{{pathways.SituationProgrammeExit, 4, 0, "moved", ""}},
		{{pathways.SituationCDD, 6, 3, "", "Carrefour"}},
		{{pathways.SituationPreQualifyingTraining, 2, 0, "", "AFPA"}, {pathways.SituationCDD, 8, 6, "", "Sodexo"}},
		{{pathways.SituationSubsidised, 3, 0, "", "Régie de quartier"}},
		// The middle cohort: half recorded.
		{{pathways.SituationInterim, 2, 2, "", "Manpower"}, {pathways.SituationCDD, 4, 6, "", "Entrepôt Saint-Priest"}},
		{{pathways.SituationFLE, 1, 0, "", ""}},
		{{pathways.SituationCDI, 3, 0, "", "Société de conseil"}},
		{},
		{{pathways.SituationQualifyingTraining, 2, 0, "", "CFA boulangerie"}},
		{},
		{{pathways.SituationCDD, 5, 12, "", "Crèche Les Lucioles"}},
		{},
		{{pathways.SituationJobSearch, 1, 0, "", ""}},
		{},
		{{pathways.SituationInterim, 3, 1, "", "Adecco"}},
		{},
	}
	for i, plan := range plans {
		if i >= len(s.w.Beneficiaries) {
			break
		}
		b := s.w.Beneficiaries[i]
		for _, p := range plan {
			st := pathways.Situation{Kind: p.kind, Start: b.Enrolment.EntryDate.AddDate(0, p.from, 3), DurationMonths: p.months, ExitReason: p.exit, Employer: p.who}
			if p.kind == pathways.SituationFLE || p.kind == pathways.SituationJobSearch {
				st.End = st.Start.AddDate(0, 2, 0)
			}
			if st.Start > s.today {
				continue
			}
			if _, err := s.svc.Beneficiaries.RecordSituation(ctx, adviser, b.ID, st); err != nil {
				return fmt.Errorf("seed a situation of %s: %w", b.FirstName, err)
			}
		}
	}
	_, err := pathways.MeasureDueOn(ctx, s.st, s.today, s.now)
	return err
}

// opportunities publishes the programme's offers, PMSMP placements and
// training sessions, the agency's openings, and the second programme's.
func (s *seeder) opportunities(ctx context.Context) error {
	type offer struct {
		kind            jobs.Kind
		title, rome, pc string
		city            string
		lat, lon        float64
		contract        *jobs.Contract
		oral            string
		positions       int
		org             string
		ref             string
		employer        string
		host            string
		objective       pmsmp.Objective
	}
	cdi := &jobs.Contract{Type: "cdi"}
	cdd6 := &jobs.Contract{Type: "cdd", Months: 6}
	cdd3 := &jobs.Contract{Type: "cdd", Months: 3}
	interim := &jobs.Contract{Type: "interim", Months: 3}
	offers := []offer{
		{jobs.KindJob, "Commis de cuisine", "G1602", "69002", "Lyon", 45.757, 4.832, cdi, "a2", 2, Programme, "", "Bocuse Traiteur", "", ""},
		{jobs.KindJob, "Soudeur / soudeuse TIG", "H2913", "69200", "Vénissieux", 45.700, 4.880, cdd6, "a2", 3, Agency, "LYO-2026-001", "Métallerie du Rhône", "", ""},
		{jobs.KindJob, "Préparateur de commandes", "N1103", "69800", "Saint-Priest", 45.716, 4.950, interim, "a1", 5, Agency, "LYO-2026-002", "Entrepôt Saint-Priest", "", ""},
		{jobs.KindJob, "Agent d'entretien", "K2204", "69003", "Lyon", 45.760, 4.850, cdd6, "a1", 2, Agency, "LYO-2026-003", "Net'Services", "", ""},
		{jobs.KindJob, "Aide-soignant(e)", "J1501", "69004", "Lyon", 45.778, 4.828, cdi, "b1", 1, Programme, "", "Hospices Civils", "", ""},
		{jobs.KindJob, "Maçon / maçonne", "F1703", "69100", "Villeurbanne", 45.770, 4.880, interim, "a2", 2, Agency, "LYO-2026-004", "Batir 69", "", ""},
		{jobs.KindJob, "Mécanicien automobile", "I1604", "69500", "Bron", 45.740, 4.910, cdi, "a2", 1, Programme, "", "Garage du Parc", "", ""},
		{jobs.KindJob, "Employé(e) de libre-service", "D1507", "69009", "Lyon", 45.780, 4.800, cdd6, "a2", 2, Agency, "LYO-2026-005", "Carrefour Vaise", "", ""},
		{jobs.KindJob, "Plongeur / plongeuse", "G1605", "69007", "Lyon", 45.745, 4.841, cdd3, "a1", 2, Programme, "", "Brasserie Le Nord", "", ""},
		{jobs.KindJob, "Agent d'espaces verts", "A1203", "69140", "Rillieux-la-Pape", 45.821, 4.897, cdd6, "a2", 2, Programme, "", "Ville de Rillieux", "", ""},
		{jobs.KindJob, "Chauffeur-livreur", "N4105", "69120", "Vaulx-en-Velin", 45.779, 4.920, interim, "a2", 3, Agency, "LYO-2026-006", "Livraisons Express", "", ""},
		{jobs.KindPMSMP, "Découverte du maraîchage", "A1414", "69440", "Mornant", 45.620, 4.670, nil, "a1", 1, Programme, "", "Ferme des Monts", "81234567800013", pmsmp.Discover},
		{jobs.KindPMSMP, "Découverte de la cuisine collective", "G1603", "69007", "Lyon", 45.740, 4.840, nil, "a1", 1, Programme, "", "Restaurant solidaire", "52345678900024", pmsmp.Discover},
		{jobs.KindPMSMP, "Confirmer un projet en logistique", "N1103", "69800", "Saint-Priest", 45.716, 4.950, nil, "a1", 2, Programme, "", "Entrepôt Saint-Priest", "44455566600015", pmsmp.Confirm},
		{jobs.KindTraining, "Titre professionnel soudeur", "H2913", "69200", "Vénissieux", 45.700, 4.880, nil, "a2", 8, Programme, "", "AFPA Vénissieux", "", ""},
		{jobs.KindTraining, "FLE à visée professionnelle (A2 → B1)", "G1602", "69001", "Lyon", 45.767, 4.834, nil, "a1", 15, Programme, "", "Alliance française", "", ""},
		{jobs.KindJob, "Agent de fabrication", "H2909", "38000", "Grenoble", 45.190, 5.720, cdd6, "a2", 2, OtherAgency, "GRE-2026-001", "Alpes Industrie", "", ""},
		{jobs.KindJob, "Commis de cuisine", "G1602", "38000", "Grenoble", 45.188, 5.728, cdi, "a2", 1, OtherProgramme, "", "Restaurant du Musée", "", ""},
	}
	for i, o := range offers {
		org := s.w.Orgs[o.org]
		dept := o.pc[:2]
		op := jobs.Opportunity{
			ID: ids.NewAt("opp", s.now), OrganisationID: org.ID, Kind: o.kind, Status: jobs.StatusOpen, ExternalRef: o.ref,
			Title: o.title, Employer: o.employer, ROME: o.rome, Description: "Offre de démonstration.",
			Place: geo.Place{Department: dept, Postcode: o.pc, City: o.city, Location: &geo.Point{Lat: o.lat, Lon: o.lon}},
			Start: s.today.AddDate(0, 0, 7+i), HoursPerWeek: 35, Days: []string{"mon", "tue", "wed", "thu", "fri"}, Positions: o.positions, Contract: o.contract,
			French: jobs.FrenchRequirement{OralComprehension: o.oral, OralProduction: o.oral}, Skills: []string{}, Licences: []string{}, Diplomas: []jobs.DiplomaRequirement{},
			CreatedAt: s.now, UpdatedAt: s.now, Version: 1,
		}
		switch o.kind {
		case jobs.KindPMSMP:
			op.End = op.Start.AddDate(0, 0, 13)
			op.PMSMP = &jobs.PMSMP{HostID: o.host, Objective: o.objective, Tutor: "Tuteur de démonstration"}
		case jobs.KindTraining:
			op.End = op.Start.AddDate(0, 4, 0)
		}
		if o.rome == "N4105" {
			op.Licences = []string{"B"}
		}
		if err := s.st.CreateOpportunity(ctx, op); err != nil {
			return fmt.Errorf("seed offer %s: %w", o.title, err)
		}
		if op.PMSMP != nil {
			// The host is in the programme's directory.
			h := jobs.Host{OrganisationID: op.OrganisationID, SIRET: o.host, Name: o.employer, Address: o.city, Department: op.Place.Department,
				Tutor: jobs.Tutor{Name: "Tuteur de démonstration", Role: "Responsable d'équipe"}, CreatedAt: s.now, UpdatedAt: s.now, Version: 1}
			if err := s.st.CreateHost(ctx, h); err != nil && !apperr.Is(err, apperr.Conflict) {
				return fmt.Errorf("seed host %s: %w", o.host, err)
			}
		}
	}
	return nil
}

// mentors registers the programme's co-training mentors (Julien is the
// mentor persona) and one of the second programme.
func (s *seeder) mentors(ctx context.Context) error {
	trained := s.today.AddDate(0, -2, 0)
	type mentor struct {
		first, last, company, sector, pc, city string
		rome, interests, languages             []string
		capacity                               int
		user                                   string
		org                                    string
	}
	list := []mentor{
		{"Julien", "Mercier", "Bocuse Traiteur", "G", "69002", "Lyon", []string{"G1602"}, []string{"football", "cuisine"}, []string{"fr", "en"}, 2, s.staff["mentor"].ID, Programme},
		{"Nathalie", "Roux", "Métallerie du Rhône", "H", "69200", "Vénissieux", []string{"H2913"}, []string{"randonnée"}, []string{"fr", "ar"}, 2, "", Programme},
		{"Pierre", "Lambert", "Hospices Civils", "J", "69003", "Lyon", []string{"J1501"}, []string{"musique", "lecture"}, []string{"fr", "en", "es"}, 1, "", Programme},
		{"Leïla", "Benali", "LogiRhône", "N", "69800", "Saint-Priest", []string{"N1103"}, []string{"football", "jardinage"}, []string{"fr", "ar"}, 2, "", Programme},
		{"Marc", "Fontaine", "Batir 69", "F", "69100", "Villeurbanne", []string{"F1703"}, []string{"vélo"}, []string{"fr", "fa"}, 1, "", Programme},
		{"Sarah", "Cohen", "Numérique Lyon", "M", "69002", "Lyon", []string{"M1805"}, []string{"informatique", "échecs"}, []string{"fr", "en"}, 2, "", Programme},
		{"Thomas", "Blanc", "Alpes Industrie", "H", "38000", "Grenoble", []string{"H2909"}, []string{"ski"}, []string{"fr"}, 2, "", OtherProgramme},
	}
	for _, m := range list {
		mt := mentoring.Mentor{
			ID: ids.NewAt("men", s.now), OrganisationID: s.w.Orgs[m.org].ID, UserID: m.user, FirstName: m.first, LastName: m.last,
			Company: m.company, Sector: m.sector, ROME: m.rome, Skills: []string{}, Interests: m.interests, Languages: m.languages,
			Capacity: m.capacity, Availability: mentoring.MentorAvailability{HoursPerMonth: 6, Days: []string{"tue", "thu"}},
			Place: geo.Place{Department: m.pc[:2], Postcode: m.pc, City: m.city}, TrainedAt: &trained, Status: mentoring.MentorActive,
			CreatedAt: s.now, UpdatedAt: s.now, Version: 1,
		}
		if err := s.st.CreateMentor(ctx, mt); err != nil {
			return fmt.Errorf("seed mentor %s: %w", m.first, err)
		}
	}
	return nil
}

// proposals puts proposals in the states advisers and mentors meet: waiting
// for approval, sent to Julien (one close to expiry), and a mentorship
// whose pair has not met for weeks.
func (s *seeder) proposals(ctx context.Context) error {
	prog := s.w.Orgs[Programme]
	mentors, _, err := s.st.Mentors(ctx, mentoring.MentorFilter{OrganisationID: prog.ID, Limit: 50})
	if err != nil {
		return err
	}
	byName := map[string]mentoring.Mentor{}
	for _, m := range mentors {
		byName[m.FirstName] = m
	}
	adviser := s.staff["adviser"]
	bens := s.w.Beneficiaries
	type seed struct {
		ben    pathways.Beneficiary
		mentor string
		state  proposals.State
		ago    time.Duration // when it was sent
	}
	for _, p := range []seed{
		{bens[0], "Julien", proposals.Sent, 12 * 24 * time.Hour},       // expires in two days
		{bens[30], "Julien", proposals.Sent, 2 * 24 * time.Hour},       // Rahel, cuisine
		{bens[34], "Julien", proposals.Proposed, 0},                    // waiting for approval
		{bens[6], "Sarah", proposals.Proposed, 0},                      // Selam, développement
		{bens[1], "Nathalie", proposals.Accepted, 45 * 24 * time.Hour}, // mentorship in alert
	} {
		m := byName[p.mentor]
		ev, err := s.svc.Suggestions.EvaluatePair(ctx, prog.ID, p.ben.ID, matching.KindMentor, m.ID)
		if err != nil {
			return err
		}
		expl, _ := json.Marshal(ev)
		sent := s.now.Add(-p.ago)
		pr := proposals.Proposal{ID: ids.NewAt(proposals.IDPrefix, sent), OrganisationID: prog.ID, BeneficiaryID: p.ben.ID,
			Kind: proposals.KindMentor, OpeningID: m.ID, Source: proposals.SourceAdviser, State: proposals.Proposed, Score: ev.Score,
			Explanation: expl, History: []proposals.Transition{}, CreatedAt: sent.Add(-time.Hour), UpdatedAt: sent.Add(-time.Hour), Version: 1}
		if p.state != proposals.Proposed {
			pr.History = []proposals.Transition{
				{From: proposals.Proposed, To: proposals.Approved, At: sent.Add(-30 * time.Minute), By: adviser.ID},
				{From: proposals.Approved, To: proposals.Sent, At: sent, By: adviser.ID},
			}
			expires := sent.Add(time.Duration(proposals.DefaultExpiryDays) * 24 * time.Hour)
			pr.State, pr.ExpiresAt, pr.Version, pr.UpdatedAt = proposals.Sent, &expires, 3, sent
		}
		if p.state == proposals.Accepted {
			at := sent.Add(24 * time.Hour)
			pr.History = append(pr.History, proposals.Transition{From: proposals.Sent, To: proposals.Accepted, At: at, By: m.UserID})
			pr.State, pr.Version, pr.UpdatedAt = proposals.Accepted, 4, at
		}
		if err := s.st.CreateProposal(ctx, pr); err != nil {
			return fmt.Errorf("seed a proposal: %w", err)
		}
		if p.state == proposals.Accepted {
			if err := s.mentorship(ctx, m, pr); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *seeder) mentorship(ctx context.Context, m mentoring.Mentor, p proposals.Proposal) error {
	at := p.UpdatedAt
	if err := s.st.TakeMentorPlace(ctx, m.OrganisationID, m.ID, m.Capacity, p.ID, at); err != nil {
		return err
	}
	ms := mentoring.Mentorship{ID: ids.NewAt("msh", at), OrganisationID: m.OrganisationID, ProposalID: p.ID, MentorID: m.ID,
		BeneficiaryID: p.BeneficiaryID, State: mentoring.MentorshipActive, StartedOn: civil.Of(at), EndsOn: civil.Of(at).AddDate(0, 6, 0),
		CheckIns:  []mentoring.CheckIn{{ID: ids.NewAt("chk", at), Date: civil.Of(at).AddDate(0, 0, 3), Minutes: 60, Topics: []string{"Premier échange"}, By: m.UserID, At: at}},
		CreatedAt: at, UpdatedAt: at, Version: 1}
	return s.st.CreateMentorship(ctx, ms)
}

// agency sends two of the batch's proposals on the agency's openings, so
// its page has candidates to answer, and records a bulk submission of its
// openings with one item refused, as its software would have sent it.
func (s *seeder) agency(ctx context.Context) error {
	agencyOrg := s.w.Orgs[Agency]
	adviser := s.staff["adviser"]
	prog := s.w.Orgs[Programme]
	who := access.Principal{UserID: adviser.ID, OrganisationID: prog.ID, Role: access.Adviser}
	list, _, err := s.svc.Proposals.List(ctx, who, proposals.Filter{BatchID: s.w.Batch.ID, States: []proposals.State{proposals.Proposed}, Limit: 200})
	if err != nil {
		return err
	}
	sent := 0
	for _, p := range list {
		o, err := s.st.Opportunity(ctx, p.OpeningID)
		if err != nil || o.OrganisationID != agencyOrg.ID {
			continue
		}
		if _, err := s.svc.Proposals.Approve(ctx, who, p.ID); err != nil {
			return err
		}
		if _, err := s.svc.Proposals.Send(ctx, who, p.ID); err != nil {
			return err
		}
		if sent++; sent == 2 {
			break
		}
	}
	agent := access.Principal{UserID: s.w.Personas["agency"].User.ID, OrganisationID: agencyOrg.ID, Role: access.Agency}
	return s.svc.Opportunities.RecordSubmission(ctx, agent, jobs.Submission{Items: 7,
		Counts: map[string]int{"created": 6, "invalid": 1},
		Refused: []jobs.RefusedItem{{Index: 6, ExternalRef: "LYO-2026-007", Errors: []jobs.ItemError{
			{Pointer: "/rome", Detail: "rome doit être un code ROME : une lettre de A à N et quatre chiffres (ex. H2913)."},
			{Pointer: "/place/department", Detail: "place.department est un champ obligatoire"}}}}})
}

// batch runs one matching batch of job offers for the programme, to the
// end, so its proposals wait for review.
func (s *seeder) batch(ctx context.Context) error {
	prog := s.w.Orgs[Programme]
	b := batches.Batch{ID: ids.NewAt("bat", s.now), OrganisationID: prog.ID, Kind: proposals.KindJob, Scope: batches.Scope{Department: "69"},
		MinScore: 0.3, Status: batches.Queued, CreatedBy: s.staff["coordinator"].ID, CreatedAt: s.now, Progress: batches.Progress{Phase: "queued"}}
	if err := s.st.CreateBatch(ctx, b); err != nil {
		return err
	}
	if err := s.svc.Runner.Run(ctx, b.ID); err != nil {
		return fmt.Errorf("run the demo batch: %w", err)
	}
	done, err := s.st.Batch(ctx, prog.ID, b.ID)
	s.w.Batch = done
	return err
}
