package matching_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parcours-emploi/parcours/matching"
	"github.com/parcours-emploi/parcours/pmsmp"
)

func nextStep(en, fr string) *matching.Text { return &matching.Text{EN: en, FR: fr} }

func TestHardConstraints(t *testing.T) {
	tests := []struct {
		name    string
		seeker  func(*matching.Seeker)
		opening func(*matching.Opening)
		want    []matching.Failure
	}{
		{
			name: "base pair: a candidate",
		},
		{
			name:    "B1 required in oral production, A2 held: not a candidate, an FLE course first",
			opening: func(o *matching.Opening) { o.French[matching.OralProduction] = matching.B1 },
			want: []matching.Failure{{
				Code: matching.ReasonFrench, Skill: "oralProduction",
				Text:     matching.Text{EN: "French B1 is required in oral production; A2 held.", FR: "Le français B1 est requis en production orale ; niveau détenu : A2."},
				NextStep: nextStep("An FLE course toward B1 in oral production first.", "D'abord un cours de FLE visant le niveau B1 en production orale."),
			}},
		},
		{
			name:    "French not assessed counts as below A1",
			seeker:  func(s *matching.Seeker) { s.French = matching.French{} },
			opening: func(o *matching.Opening) { o.French = matching.French{matching.WrittenComprehension: matching.A1} },
			want: []matching.Failure{{
				Code: matching.ReasonFrench, Skill: "writtenComprehension",
				Text:     matching.Text{EN: "French A1 is required in written comprehension; not assessed held.", FR: "Le français A1 est requis en compréhension écrite ; niveau détenu : non évalué."},
				NextStep: nextStep("An FLE course toward A1 in written comprehension first.", "D'abord un cours de FLE visant le niveau A1 en compréhension écrite."),
			}},
		},
		{
			name:    "level 4 diploma in J15 required, none held",
			opening: func(o *matching.Opening) { o.Diploma = matching.DiplomaRequirement{MinLevel: 4, Field: "J15"} },
			want: []matching.Failure{{
				Code:     matching.ReasonDiploma,
				Text:     matching.Text{EN: "A diploma of level 4 or above in J15 is required; none held.", FR: "Un diplôme de niveau 4 ou plus dans le domaine J15 est requis ; aucun n'est détenu."},
				NextStep: nextStep("A qualifying training (titre professionnel, CQP) or a validation of experience (VAE) first.", "D'abord une formation qualifiante (titre professionnel, CQP) ou une validation des acquis de l'expérience (VAE)."),
			}},
		},
		{
			name: "unrecognised nursing diploma for a post requiring a recognised title: ENIC-NARIC first",
			seeker: func(s *matching.Seeker) {
				s.Diplomas = []matching.Diploma{{Level: 6, Field: "J1506", Recognition: matching.RecognitionNone}}
			},
			opening: func(o *matching.Opening) {
				o.Diploma = matching.DiplomaRequirement{MinLevel: 6, Field: "J15", Recognised: true}
			},
			want: []matching.Failure{{
				Code:     matching.ReasonRecognition,
				Text:     matching.Text{EN: "The level 6 diploma in J15 is not recognised in France; a recognised title is required.", FR: "Le diplôme de niveau 6 dans le domaine J15 n'est pas reconnu en France ; un titre reconnu est requis."},
				NextStep: nextStep("Apply to ENIC-NARIC for an attestation de comparabilité.", "Demander une attestation de comparabilité à ENIC-NARIC."),
			}},
		},
		{
			name: "comparability pending: propose again once obtained",
			seeker: func(s *matching.Seeker) {
				s.Diplomas = []matching.Diploma{{Level: 6, Field: "J1506", Recognition: matching.RecognitionPending}}
			},
			opening: func(o *matching.Opening) { o.Diploma = matching.DiplomaRequirement{MinLevel: 6, Recognised: true} },
			want: []matching.Failure{{
				Code:     matching.ReasonRecognition,
				Text:     matching.Text{EN: "The level 6 diploma awaits ENIC-NARIC's attestation de comparabilité; a recognised title is required.", FR: "Le diplôme de niveau 6 attend l'attestation de comparabilité ENIC-NARIC ; un titre reconnu est requis."},
				NextStep: nextStep("Propose again once the attestation de comparabilité is obtained.", "Proposer de nouveau une fois l'attestation de comparabilité obtenue."),
			}},
		},
		{
			name: "comparability obtained: a candidate",
			seeker: func(s *matching.Seeker) {
				s.Diplomas = []matching.Diploma{{Level: 6, Field: "J1506", Recognition: matching.RecognitionObtained}}
			},
			opening: func(o *matching.Opening) {
				o.Diploma = matching.DiplomaRequirement{MinLevel: 5, Field: "J", Recognised: true}
			},
		},
		{
			name:    "driving licence B missing",
			opening: func(o *matching.Opening) { o.Licences = []string{"b"} },
			want: []matching.Failure{{
				Code:     matching.ReasonLicence,
				Text:     matching.Text{EN: "Driving licence B is required.", FR: "Le permis B est requis."},
				NextStep: nextStep("Record the seeker's driving licence, or prepare licence B with a driving school.", "Renseigner le permis de conduire de la personne, ou préparer le permis B en auto-école."),
			}},
		},
		{
			name:    "no licence at all",
			seeker:  func(s *matching.Seeker) { s.DrivingLicence = matching.DrivingLicence{Status: matching.LicenceNone} },
			opening: func(o *matching.Opening) { o.Licences = []string{"B"} },
			want: []matching.Failure{{Code: matching.ReasonLicence,
				Text:     matching.Text{EN: "Driving licence B is required; the seeker has no licence.", FR: "Le permis B est requis ; la personne n'a pas de permis."},
				NextStep: nextStep("Prepare licence B with a driving school (CPF, France Travail or regional funding).", "Préparer le permis B en auto-école (financement CPF, France Travail ou Région)."),
			}},
		},
		{
			name: "a French licence without the category asked",
			seeker: func(s *matching.Seeker) {
				s.Licences = []string{"B"}
				s.DrivingLicence = matching.DrivingLicence{Status: matching.LicenceFrench, Categories: []string{"B"}}
			},
			opening: func(o *matching.Opening) { o.Licences = []string{"C"} },
			want: []matching.Failure{{Code: matching.ReasonLicence,
				Text:     matching.Text{EN: "Driving licence C is required; the seeker holds B.", FR: "Le permis C est requis ; la personne a le permis B."},
				NextStep: nextStep("Prepare licence C with a driving school (CPF, France Travail or regional funding).", "Préparer le permis C en auto-école (financement CPF, France Travail ou Région)."),
			}},
		},
		{
			name: "a foreign licence to exchange",
			seeker: func(s *matching.Seeker) {
				s.DrivingLicence = matching.DrivingLicence{Status: matching.LicenceForeignExchangeable, Categories: []string{"B"}}
			},
			opening: func(o *matching.Opening) { o.Licences = []string{"B"} },
			want: []matching.Failure{{Code: matching.ReasonLicence,
				Text:     matching.Text{EN: "A French driving licence B is required; the seeker's foreign licence can be exchanged.", FR: "Le permis B français est requis ; le permis étranger de la personne est échangeable."},
				NextStep: nextStep("Apply to exchange the foreign licence on the ANTS website, within the year after the first residence permit.", "Demander l'échange du permis étranger sur le site de l'ANTS, dans l'année qui suit le premier titre de séjour."),
			}},
		},
		{
			name: "an exchange expected after the start says when",
			seeker: func(s *matching.Seeker) {
				s.DrivingLicence = matching.DrivingLicence{Status: matching.LicenceExchangeInProgress, Categories: []string{"B"}, Expected: date(2027, 1, 15)}
			},
			opening: func(o *matching.Opening) { o.Licences = []string{"B"} },
			want: []matching.Failure{{Code: matching.ReasonLicence,
				Text:     matching.Text{EN: "A French driving licence B is required; the exchange in progress is expected on 15 January 2027, after the start.", FR: "Le permis B français est requis ; l'échange en cours est attendu le 15 janvier 2027, après le début."},
				NextStep: nextStep("Wait for the exchange (expected on 15 January 2027), or propose an opening that starts later.", "Attendre l'échange (prévu le 15 janvier 2027), ou proposer une offre qui commence plus tard."),
			}},
		},
		{
			name: "an exchange expected before the start counts",
			seeker: func(s *matching.Seeker) {
				s.DrivingLicence = matching.DrivingLicence{Status: matching.LicenceExchangeInProgress, Categories: []string{"B"}, Expected: date(2026, 11, 28)}
			},
			opening: func(o *matching.Opening) { o.Licences = []string{"B"} },
		},
		{
			name: "an exchange without a day",
			seeker: func(s *matching.Seeker) {
				s.DrivingLicence = matching.DrivingLicence{Status: matching.LicenceExchangeInProgress, Categories: []string{"B"}}
			},
			opening: func(o *matching.Opening) { o.Licences = []string{"B"} },
			want: []matching.Failure{{Code: matching.ReasonLicence,
				Text:     matching.Text{EN: "A French driving licence B is required; the exchange in progress has no expected day.", FR: "Le permis B français est requis ; l'échange en cours n'a pas de date prévue."},
				NextStep: nextStep("Ask the ANTS when the exchange will be done, and record the day.", "Demander à l'ANTS quand l'échange aboutira, et noter la date."),
			}},
		},
		{
			name: "a foreign licence that cannot be exchanged",
			seeker: func(s *matching.Seeker) {
				s.DrivingLicence = matching.DrivingLicence{Status: matching.LicenceForeignNotExchangeable, Categories: []string{"B"}}
			},
			opening: func(o *matching.Opening) { o.Licences = []string{"B"} },
			want: []matching.Failure{{Code: matching.ReasonLicence,
				Text:     matching.Text{EN: "A French driving licence B is required; the seeker's foreign licence cannot be exchanged.", FR: "Le permis B français est requis ; le permis étranger de la personne n'est pas échangeable."},
				NextStep: nextStep("Take the French licence B: the code, then driving lessons (the experience abroad helps).", "Passer le permis B français : le code, puis la conduite (l'expérience acquise à l'étranger aide)."),
			}},
		},
		{
			name:    "licence held in another spelling: a candidate",
			seeker:  func(s *matching.Seeker) { s.Licences = []string{" caces  r489-3 "} },
			opening: func(o *matching.Opening) { o.Licences = []string{"CACES R489-3"} },
		},
		{
			name:    "33 km away, seeker goes 20 km at most",
			opening: func(o *matching.Opening) { o.Place.Coords = &matching.LatLon{Lat: 45.75 + 0.3, Lon: 4.85} },
			want: []matching.Failure{{
				Code:     matching.ReasonDistance,
				Text:     matching.Text{EN: "The opening is 33 km away; the seeker travels at most 20 km.", FR: "L'offre est à 33 km ; la personne se déplace jusqu'à 20 km."},
				NextStep: nextStep("Review the mobility plan with the seeker (transport aid, driving licence, moving closer).", "Revoir le plan de mobilité avec la personne (aide au transport, permis de conduire, rapprochement)."),
			}},
		},
		{
			name:    "no coordinates, same département: a candidate",
			opening: func(o *matching.Opening) { o.Place = matching.Place{Department: "69"} },
		},
		{
			name:    "no coordinates, another département: not reachable",
			opening: func(o *matching.Opening) { o.Place = matching.Place{Department: "38"} },
			want: []matching.Failure{{
				Code:     matching.ReasonDistance,
				Text:     matching.Text{EN: "The opening is in département 38 and the seeker lives in 69; without coordinates on both sides, only the same département counts as reachable.", FR: "L'offre est dans le département 38 et la personne habite le 69 ; sans coordonnées des deux côtés, seul le même département compte comme accessible."},
				NextStep: nextStep("Add both addresses' coordinates and the seeker's maximum distance to measure the commute.", "Renseigner les coordonnées des deux adresses et la distance maximale de la personne pour mesurer le trajet."),
			}},
		},
		{
			name:    "remote opening far away: a candidate",
			opening: func(o *matching.Opening) { o.Remote = true; o.Place = matching.Place{Department: "75"} },
		},
		{
			name:    "no capacity left",
			opening: func(o *matching.Opening) { o.Capacity = 0 },
			want:    []matching.Failure{{Code: matching.ReasonCapacity, Text: matching.Text{EN: "No place is left on this opening.", FR: "Il ne reste aucune place sur cette offre."}}},
		},
		{
			name:    "trade in an unrelated ROME family",
			opening: func(o *matching.Opening) { o.ROME = []string{"G1602"} },
			want: []matching.Failure{{
				Code:     matching.ReasonTrade,
				Text:     matching.Text{EN: "The opening's trade (G1602) is in no ROME family of the seeker's project, past jobs or their mobilities.", FR: "Le métier de l'offre (G1602) n'appartient à aucune famille ROME du projet, des emplois passés ou de leurs mobilités."},
				NextStep: nextStep("If this trade interests the seeker, add it to the professional project first.", "Si ce métier intéresse la personne, l'ajouter d'abord au projet professionnel."),
			}},
		},
		{
			name:    "trade reached through a mobility link across families: a candidate",
			seeker:  func(s *matching.Seeker) { s.Project = []string{"D1507"}; s.PastJobs = nil },
			opening: func(o *matching.Opening) { o.ROME = []string{"N1103"} },
		},
		{
			name:    "opening ended",
			opening: func(o *matching.Opening) { o.Start = date(2026, 10, 1); o.End = date(2026, 11, 20) },
			want:    []matching.Failure{{Code: matching.ReasonDates, Text: matching.Text{EN: "The opening ended on 20 November 2026.", FR: "L'offre s'est terminée le 20 novembre 2026."}}},
		},
		{
			name:    "training starting before the seeker is available",
			seeker:  func(s *matching.Seeker) { s.AvailableFrom = date(2027, 1, 4) },
			opening: func(o *matching.Opening) { o.Kind = matching.KindTraining },
			want: []matching.Failure{{
				Code:     matching.ReasonDates,
				Text:     matching.Text{EN: "It starts on 1 December 2026, before the seeker is available (4 January 2027).", FR: "Elle commence le 1 décembre 2026, avant que la personne soit disponible (4 janvier 2027)."},
				NextStep: nextStep("Look for a later session.", "Chercher une session plus tardive."),
			}},
		},
		{
			name:   "job starting before the seeker is available: a candidate with a lower score",
			seeker: func(s *matching.Seeker) { s.AvailableFrom = date(2027, 1, 4) },
		},
		{
			name:   "35 hours asked, 20 possible",
			seeker: func(s *matching.Seeker) { s.HoursPerWeek = 20 },
			want: []matching.Failure{{
				Code:     matching.ReasonHours,
				Text:     matching.Text{EN: "The opening needs 35 hours a week; the seeker can do 20.", FR: "L'offre demande 35 heures par semaine ; la personne peut en faire 20."},
				NextStep: nextStep("Review the seeker's constraints (childcare, course hours) or look for part-time work.", "Revoir les contraintes de la personne (garde d'enfants, heures de cours) ou chercher un temps partiel."),
			}},
		},
		{
			name:    "Saturday work, seeker free on weekdays only",
			opening: func(o *matching.Opening) { o.Days = matching.WorkingWeek | matching.Saturday },
			want: []matching.Failure{{
				Code:     matching.ReasonDays,
				Text:     matching.Text{EN: "The opening works on Saturday, when the seeker is not available.", FR: "L'offre comprend le samedi, où la personne n'est pas disponible."},
				NextStep: nextStep("Review the seeker's weekly availability with them.", "Revoir avec la personne ses disponibilités dans la semaine."),
			}},
		},
		{
			name:    "weekend work, seeker free on weekdays only",
			opening: func(o *matching.Opening) { o.Days = matching.WorkingWeek | matching.Saturday | matching.Sunday },
			want: []matching.Failure{{
				Code:     matching.ReasonDays,
				Text:     matching.Text{EN: "The opening works on Saturday and Sunday, when the seeker is not available.", FR: "L'offre comprend le samedi et le dimanche, où la personne n'est pas disponible."},
				NextStep: nextStep("Review the seeker's weekly availability with them.", "Revoir avec la personne ses disponibilités dans la semaine."),
			}},
		},
		{
			name:    "mentor not trained",
			opening: func(o *matching.Opening) { o.Kind = matching.KindMentor; o.Trained = false },
			want: []matching.Failure{{
				Code:     matching.ReasonUntrained,
				Text:     matching.Text{EN: "The mentor has not followed the initial mentor training yet.", FR: "Le mentor n'a pas encore suivi la formation initiale des mentors."},
				NextStep: nextStep("Propose the pair once the mentor is trained.", "Proposer le binôme une fois le mentor formé."),
			}},
		},
		{
			name:   "declined, its cooldown ends in two months",
			seeker: func(s *matching.Seeker) { s.Declines = map[string]time.Time{"o1": date(2027, 1, 21)} },
			want: []matching.Failure{{
				Code: matching.ReasonDeclined,
				Text: matching.Text{EN: "This pair was declined; it is not proposed again before 21 January 2027.", FR: "Ce binôme a été décliné ; il n'est pas proposé de nouveau avant le 21 janvier 2027."},
			}},
		},
		{
			name:   "declined, its cooldown ended yesterday: a candidate again",
			seeker: func(s *matching.Seeker) { s.Declines = map[string]time.Time{"o1": testNow.AddDate(0, 0, -1)} },
		},
		{
			name: "a PMSMP to discover a trade far from the project: a candidate",
			opening: func(o *matching.Opening) {
				o.Kind, o.HostID, o.Objective, o.ROME = matching.KindPMSMP, "host-1", pmsmp.Discover, []string{"K2204"}
				o.Start, o.End = date(2026, 12, 15), date(2026, 12, 31)
			},
		},
		{
			name: "a PMSMP to confirm a project in a trade far from it",
			opening: func(o *matching.Opening) {
				o.Kind, o.HostID, o.Objective, o.ROME = matching.KindPMSMP, "host-1", pmsmp.Confirm, []string{"K2204"}
				o.Start, o.End = date(2026, 12, 15), date(2026, 12, 31)
			},
			want: []matching.Failure{{Code: matching.ReasonTrade,
				Text:     matching.Text{EN: "The opening's trade (K2204) is in no ROME family of the seeker's project, past jobs or their mobilities.", FR: "Le métier de l'offre (K2204) n'appartient à aucune famille ROME du projet, des emplois passés ou de leurs mobilités."},
				NextStep: nextStep("If this trade interests the seeker, add it to the professional project first.", "Si ce métier intéresse la personne, l'ajouter d'abord au projet professionnel."),
			}},
		},
		{
			name: "a PMSMP to start a recruitment in a trade far from it",
			opening: func(o *matching.Opening) {
				o.Kind, o.HostID, o.Objective, o.ROME = matching.KindPMSMP, "host-1", pmsmp.Recruit, []string{"K2204"}
				o.Start, o.End = date(2026, 12, 15), date(2026, 12, 31)
			},
			want: []matching.Failure{{Code: matching.ReasonTrade,
				Text:     matching.Text{EN: "The opening's trade (K2204) is in no ROME family of the seeker's project, past jobs or their mobilities.", FR: "Le métier de l'offre (K2204) n'appartient à aucune famille ROME du projet, des emplois passés ou de leurs mobilités."},
				NextStep: nextStep("If this trade interests the seeker, add it to the professional project first.", "Si ce métier intéresse la personne, l'ajouter d'abord au projet professionnel."),
			}},
		},
		{
			name: "PMSMP longer than one month",
			opening: func(o *matching.Opening) {
				o.Kind, o.HostID, o.Objective = matching.KindPMSMP, "host-1", pmsmp.Discover
				o.Start, o.End = date(2026, 12, 15), date(2027, 1, 20)
			},
			want: []matching.Failure{{
				Code:     matching.Reason(pmsmp.RuleDuration),
				Text:     matching.Text{EN: "A PMSMP lasts at most one month: starting on 15 December 2026, it must end by 14 January 2027.", FR: "Une PMSMP dure au plus un mois : commencée le 15 décembre 2026, elle doit se terminer au plus tard le 14 janvier 2027."},
				NextStep: nextStep("Adjust the convention's dates or objective, or look for another host.", "Ajuster les dates ou l'objectif de la convention, ou chercher une autre structure d'accueil."),
			}},
		},
		{
			name: "PMSMP with a host already discovered this year",
			seeker: func(s *matching.Seeker) {
				s.PMSMPHistory = []pmsmp.Convention{{ID: "c1", BeneficiaryID: "s1", HostID: "host-1", Objective: pmsmp.Discover, Start: date(2026, 6, 1), End: date(2026, 6, 30)}}
			},
			opening: func(o *matching.Opening) {
				o.Kind, o.HostID, o.Objective = matching.KindPMSMP, "host-1", pmsmp.Discover
				o.Start, o.End = date(2026, 12, 15), date(2027, 1, 10)
			},
			want: []matching.Failure{{
				Code:     matching.Reason(pmsmp.RuleObjective),
				Text:     matching.Text{EN: `Two PMSMP conventions with the same host within 12 months must have different objectives; "discover" was already the objective of the one starting 1 June 2026.`, FR: "Deux conventions de PMSMP avec la même structure d'accueil sur 12 mois doivent avoir des objectifs différents ; « découvrir un métier » était déjà l'objectif de celle commencée le 1 juin 2026."},
				NextStep: nextStep("Adjust the convention's dates or objective, or look for another host.", "Ajuster les dates ou l'objectif de la convention, ou chercher une autre structure d'accueil."),
			}},
		},
		{
			name: "several failures are all reported",
			seeker: func(s *matching.Seeker) {
				s.French = matching.Uniform(matching.A1)
				s.HoursPerWeek = 20
			},
			opening: func(o *matching.Opening) { o.Capacity = 0 },
			want: []matching.Failure{
				{Code: matching.ReasonCapacity, Text: matching.Text{EN: "No place is left on this opening.", FR: "Il ne reste aucune place sur cette offre."}},
				{Code: matching.ReasonFrench, Skill: "oralComprehension",
					Text:     matching.Text{EN: "French A2 is required in oral comprehension; A1 held.", FR: "Le français A2 est requis en compréhension orale ; niveau détenu : A1."},
					NextStep: nextStep("An FLE course toward A2 in oral comprehension first.", "D'abord un cours de FLE visant le niveau A2 en compréhension orale.")},
				{Code: matching.ReasonFrench, Skill: "oralProduction",
					Text:     matching.Text{EN: "French A2 is required in oral production; A1 held.", FR: "Le français A2 est requis en production orale ; niveau détenu : A1."},
					NextStep: nextStep("An FLE course toward A2 in oral production first.", "D'abord un cours de FLE visant le niveau A2 en production orale.")},
				{Code: matching.ReasonHours,
					Text:     matching.Text{EN: "The opening needs 35 hours a week; the seeker can do 20.", FR: "L'offre demande 35 heures par semaine ; la personne peut en faire 20."},
					NextStep: nextStep("Review the seeker's constraints (childcare, course hours) or look for part-time work.", "Revoir les contraintes de la personne (garde d'enfants, heures de cours) ou chercher un temps partiel.")},
			},
		},
	}
	e := newEngine(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, o := baseSeeker(), baseOpening()
			if tt.seeker != nil {
				tt.seeker(&s)
			}
			if tt.opening != nil {
				tt.opening(&o)
			}
			ev := e.Evaluate(&s, &o, testNow)
			if diff := cmp.Diff(tt.want, ev.Failures); diff != "" {
				t.Errorf("failures (-want +got):\n%s", diff)
			}
			if ev.Eligible != (len(tt.want) == 0) {
				t.Errorf("Eligible = %v with %d failures", ev.Eligible, len(tt.want))
			}
			// The fast path agrees with the explained one.
			score, ok := e.Score(&s, &o, testNow)
			if ok != ev.Eligible || score != ev.Score {
				t.Errorf("Score = %v, %v; Evaluate = %v, %v", score, ok, ev.Score, ev.Eligible)
			}
		})
	}
}

// TestAnExchangeExpectedBeforeTheStartIsShown: the pair is eligible, and
// the explanation says from which day the licence counts.
func TestAnExchangeExpectedBeforeTheStartIsShown(t *testing.T) {
	e := newEngine(t)
	s, o := baseSeeker(), baseOpening()
	s.DrivingLicence = matching.DrivingLicence{Status: matching.LicenceExchangeInProgress, Categories: []string{"B"}, Expected: date(2026, 11, 28)}
	o.Licences = []string{"B"}
	ev := e.Evaluate(&s, &o, testNow)
	if !ev.Eligible {
		t.Fatalf("not eligible: %+v", ev.Failures)
	}
	var found bool
	for _, u := range ev.Unmet {
		found = found || (u.Code == matching.UnmetLicence && u.Text.FR == "Le permis B compte à partir du 28 novembre 2026, date prévue de son échange.")
	}
	if !found {
		t.Errorf("unmet = %+v, want the licence's day", ev.Unmet)
	}
}

// TestADiscoveryPlacementSaysWhyNoLinkIsNeeded: the explanation of a
// discovery PMSMP in a new trade does not read as a missing link.
func TestADiscoveryPlacementSaysWhyNoLinkIsNeeded(t *testing.T) {
	e := newEngine(t)
	s, o := baseSeeker(), baseOpening()
	o.Kind, o.HostID, o.Objective, o.ROME = matching.KindPMSMP, "host-1", pmsmp.Discover, []string{"K2204"}
	o.Start, o.End = date(2026, 12, 15), date(2026, 12, 31)
	ev := e.Evaluate(&s, &o, testNow)
	if !ev.Eligible {
		t.Fatalf("not eligible: %+v", ev.Failures)
	}
	rome := ev.Components[0]
	if rome.Basis != "discover" || rome.Value != 0 || rome.Text().FR != "Un métier nouveau pour la personne : une PMSMP de découverte ne demande pas de lien ROME avec le projet." {
		t.Errorf("ROME component %+v reads %q", rome, rome.Text().FR)
	}
}
