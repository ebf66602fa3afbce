package matching_test

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/parcours-emploi/parcours/matching"
)

// explained is what a test compares of an evaluation: the components with
// their sentences, and the unmet requirements.
type explained struct {
	Score      float64
	Components []explainedComponent
	Unmet      []matching.Unmet
}

type explainedComponent struct {
	matching.Component
	Text matching.Text
}

func explain(ev matching.Evaluation) explained {
	out := explained{Score: ev.Score, Unmet: ev.Unmet}
	for _, c := range ev.Components {
		out.Components = append(out.Components, explainedComponent{c, c.Text()})
	}
	return out
}

func comp(name matching.ComponentName, value, weight, norm float64) matching.Component {
	return matching.Component{Name: name, Value: value, Weight: weight, Contribution: value * weight / norm}
}

func TestExplanations(t *testing.T) {
	w := matching.DefaultWeights()
	// Jobs, placements and training weigh the outcome; mentors their sector,
	// interests and languages.
	common := w.ROME + w.Skills + w.French + w.Distance + w.Availability + w.Outcome
	all := w.ROME + w.Skills + w.French + w.Distance + w.Availability + w.Sector + w.Interests + w.Languages
	north := matching.LatLon{Lat: lyon.Lat + 0.1, Lon: lyon.Lon}
	km := matching.DistanceKm(*lyon, north)

	tests := []struct {
		name    string
		seeker  func(*matching.Seeker)
		opening func(*matching.Opening)
		want    func() explained
	}{
		{
			name: "welder for a welding job next door: project code, two of three skills, French just at the level, a CDD of 3 months the programme does not count",
			seeker: func(s *matching.Seeker) {
				s.OutcomeValues = map[matching.Outcome]float64{matching.OutcomeFixedShort: 0.3}
			},
			opening: func(o *matching.Opening) { o.Outcome = matching.OutcomeFixedShort },
			want: func() explained {
				cs := []matching.Component{
					comp("rome", 1, w.ROME, common), comp("skills", 2.0/3, w.Skills, common), comp("french", 0.5, w.French, common),
					comp("distance", 1, w.Distance, common), comp("availability", 1, w.Availability, common), comp("outcome", 0.3, w.Outcome, common),
				}
				cs[5].Code = "fixed-term-under-6-months"
				cs[0].Code, cs[0].Label, cs[0].Basis = "H2913", "Soudeur / Soudeuse", "project"
				cs[1].Measure, cs[1].Of = 2, 3
				cs[2].Of = 2
				cs[3].Basis = "coordinates"
				return explained{
					Score: (w.ROME + w.Skills*2/3 + w.French*0.5 + w.Distance + w.Availability + w.Outcome*0.3) / common,
					Components: []explainedComponent{
						{cs[0], matching.Text{EN: "Same ROME code as the project (H2913).", FR: "Même code ROME que le projet (H2913)."}},
						{cs[1], matching.Text{EN: "2 of the 3 skills asked are held.", FR: "2 des 3 compétences demandées sont détenues."}},
						{cs[2], matching.Text{EN: "French meets the requirement in 2 skills, with 0.0 levels to spare on average.", FR: "Le français atteint le niveau requis dans 2 compétences, avec 0,0 niveau d'avance en moyenne."}},
						{cs[3], matching.Text{EN: "0.0 km away.", FR: "À 0,0 km."}},
						{cs[4], matching.Text{EN: "Available from the start.", FR: "Disponible dès le début."}},
						{cs[5], matching.Text{EN: "Leads to a contract under 6 months, which the programme does not count as a positive exit.", FR: "Mène à un contrat de moins de 6 mois, que le dispositif ne compte pas comme une sortie positive."}},
					},
					Unmet: []matching.Unmet{{Code: "skills", Items: []string{"soudure mig"},
						Text: matching.Text{EN: "Skills asked and not held: soudure mig.", FR: "Compétences demandées non détenues : soudure mig."}}},
				}
			},
		},
		{
			name: "past job linked by ROME mobility, available a month late, part-time, 11 km without transport",
			seeker: func(s *matching.Seeker) {
				s.Project = []string{"G1603"}
				s.PastJobs = []string{"H2914"}
				s.French = matching.Uniform(matching.B1)
				s.AvailableFrom = date(2026, 12, 31)
				s.PublicTransport = false
				s.Skills = []string{"soudure TIG", "lecture de plans", "Soudure MIG"}
			},
			opening: func(o *matching.Opening) {
				o.Place.Coords = &north
				o.HoursPerWeek = 24
			},
			want: func() explained {
				dist := 1 - 0.9*km/20
				avail := 0.7*0.5 + 0.3*24.0/35
				cs := []matching.Component{
					comp("rome", 0.75, w.ROME, common), comp("skills", 1, w.Skills, common), comp("french", 0.75, w.French, common),
					comp("distance", dist, w.Distance, common), comp("availability", avail, w.Availability, common), comp("outcome", 1, w.Outcome, common),
				}
				cs[0].Code, cs[0].Label, cs[0].Basis = "H2914", "Tuyauteur / Tuyauteuse", "pastJob"
				cs[1].Measure, cs[1].Of = 3, 3
				cs[2].Measure, cs[2].Of = 1, 2
				cs[3].Basis, cs[3].Measure = "coordinates", math.Round(km*10)/10
				cs[4].Measure = 30
				return explained{
					Score: (w.ROME*0.75 + w.Skills + w.French*0.75 + w.Distance*dist + w.Availability*avail + w.Outcome) / common,
					Components: []explainedComponent{
						{cs[0], matching.Text{EN: "ROME mobility from a past job (H2914).", FR: "Mobilité ROME depuis un emploi passé (H2914)."}},
						{cs[1], matching.Text{EN: "3 of the 3 skills asked are held.", FR: "3 des 3 compétences demandées sont détenues."}},
						{cs[2], matching.Text{EN: "French meets the requirement in 2 skills, with 1.0 level to spare on average.", FR: "Le français atteint le niveau requis dans 2 compétences, avec 1,0 niveau d'avance en moyenne."}},
						{cs[3], matching.Text{EN: "11.1 km away.", FR: "À 11,1 km."}},
						{cs[4], matching.Text{EN: "Available 30 days after the start.", FR: "Disponible 30 jours après le début."}},
						{cs[5], matching.Text{EN: "What the opening leads to is not known: no preference.", FR: "Ce à quoi l'offre mène n'est pas connu : aucune préférence."}},
					},
					Unmet: []matching.Unmet{
						{Code: "start", Text: matching.Text{EN: "The seeker is available 30 days after the start.", FR: "La personne est disponible 30 jours après le début."}},
						{Code: "transport", Text: matching.Text{EN: "No vehicle or public transport declared for a 11 km commute.", FR: "Ni véhicule ni transports en commun déclarés pour un trajet de 11 km."}},
					},
				}
			},
		},
		{
			name: "trained mentor in the seeker's domain, remote, one shared interest, Arabic in common",
			opening: func(o *matching.Opening) {
				*o = matching.Opening{ID: "m1", Kind: matching.KindMentor, ROME: []string{"H2914"}, Sector: "H29", Trained: true,
					Remote: true, Capacity: 1, Interests: []string{"Football", "lecture"}, Languages: []string{"AR", "en"}}
			},
			want: func() explained {
				cs := []matching.Component{
					comp("rome", 0.75, w.ROME, all), comp("skills", 1, w.Skills, all), comp("french", 1, w.French, all),
					comp("distance", 1, w.Distance, all), comp("availability", 1, w.Availability, all),
					comp("sector", 1, w.Sector, all), comp("interests", 0.5, w.Interests, all), comp("languages", 1, w.Languages, all),
				}
				cs[0].Code, cs[0].Label, cs[0].Basis = "H2913", "Soudeur / Soudeuse", "project"
				cs[3].Basis = "remote"
				cs[5].Code, cs[5].Label = "H29", "Mécanique, travail des métaux et outillage"
				cs[6].Measure, cs[6].Of = 1, 2
				cs[7].Measure, cs[7].Of = 1, 2
				return explained{
					Score: (w.ROME*0.75 + w.Skills + w.French + w.Distance + w.Availability + w.Sector + w.Interests*0.5 + w.Languages) / all,
					Components: []explainedComponent{
						{cs[0], matching.Text{EN: "ROME mobility from the project (H2913).", FR: "Mobilité ROME depuis le projet (H2913)."}},
						{cs[1], matching.Text{EN: "No particular skill asked.", FR: "Aucune compétence particulière demandée."}},
						{cs[2], matching.Text{EN: "No French level required.", FR: "Aucun niveau de français requis."}},
						{cs[3], matching.Text{EN: "Remote: no commute.", FR: "À distance : aucun trajet."}},
						{cs[4], matching.Text{EN: "Available from the start.", FR: "Disponible dès le début."}},
						{cs[5], matching.Text{EN: "The mentor's sector (H29) is close to the project.", FR: "Le secteur du mentor (H29) est proche du projet."}},
						{cs[6], matching.Text{EN: "One interest in common.", FR: "Un centre d'intérêt en commun."}},
						{cs[7], matching.Text{EN: "One language in common.", FR: "Une langue en commun."}},
					},
				}
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
			if !ev.Eligible {
				t.Fatalf("not eligible: %+v", ev.Failures)
			}
			if diff := cmp.Diff(tt.want(), explain(ev), cmpopts.EquateApprox(0, 1e-12)); diff != "" {
				t.Errorf("explanation (-want +got):\n%s", diff)
			}
			sum := 0.0
			for _, c := range ev.Components {
				sum += c.Contribution
			}
			if math.Abs(sum-ev.Score) > 1e-12 {
				t.Errorf("contributions add up to %v, score is %v", sum, ev.Score)
			}
		})
	}
}

func TestEvaluationJSON(t *testing.T) {
	e := newEngine(t)
	s, o := baseSeeker(), baseOpening()
	o.French[matching.OralProduction] = matching.B1
	b, err := json.Marshal(e.Evaluate(&s, &o, testNow))
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"seekerId": "s1", "openingId": "o1", "kind": "job", "eligible": false, "score": 0.0,
		"weightsVersion": matching.DefaultWeights().Version, "taxonomyVersion": matching.BuiltinVersion, "at": "2026-11-22T10:00:00Z",
		"failures": []any{map[string]any{
			"code": "french", "skill": "oralProduction",
			"text":     map[string]any{"en": "French B1 is required in oral production; A2 held.", "fr": "Le français B1 est requis en production orale ; niveau détenu : A2."},
			"nextStep": map[string]any{"en": "An FLE course toward B1 in oral production first.", "fr": "D'abord un cours de FLE visant le niveau B1 en production orale."},
		}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("json (-want +got):\n%s", diff)
	}

	o = baseOpening()
	b, err = json.Marshal(e.Evaluate(&s, &o, testNow))
	if err != nil {
		t.Fatal(err)
	}
	var eligible struct {
		Components []map[string]any `json:"components"`
	}
	if err := json.Unmarshal(b, &eligible); err != nil {
		t.Fatal(err)
	}
	first := eligible.Components[0]
	// The job weighs the outcome too: the weights of a job add up to 1.15.
	wantFirst := map[string]any{"name": "rome", "value": 1.0, "weight": 0.35, "contribution": 0.35 / 1.15, "basis": "project", "code": "H2913", "label": "Soudeur / Soudeuse",
		"text": map[string]any{"en": "Same ROME code as the project (H2913).", "fr": "Même code ROME que le projet (H2913)."}}
	if diff := cmp.Diff(wantFirst, first, cmpopts.EquateApprox(0, 1e-12)); diff != "" {
		t.Errorf("first component json (-want +got):\n%s", diff)
	}
}

func TestWeightsValidate(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(*matching.Weights)
		wantErr bool
	}{
		{"defaults are valid", func(*matching.Weights) {}, false},
		{"no version", func(w *matching.Weights) { w.Version = "" }, true},
		{"negative weight", func(w *matching.Weights) { w.Skills = -0.1 }, true},
		{"NaN weight", func(w *matching.Weights) { w.French = math.NaN() }, true},
		{"all zero", func(w *matching.Weights) { *w = matching.Weights{Version: "v0"} }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := matching.DefaultWeights()
			tt.edit(&w)
			_, err := matching.NewEngine(nil, w)
			if (err != nil) != tt.wantErr {
				t.Errorf("NewEngine error = %v, want error %v", err, tt.wantErr)
			}
		})
	}
}
