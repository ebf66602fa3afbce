package demo

import (
	"context"
	"fmt"

	"github.com/parcours-emploi/parcours/access"
	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/fairness"
	"github.com/parcours-emploi/parcours/geo"
	"github.com/parcours-emploi/parcours/pathways"
)

// person is one demo beneficiary's profile.
type person struct {
	first, last string
	prot        pathways.Protection
	// fr: oral comprehension, written comprehension, oral production, written production.
	fr            [4]string
	project, past []string
	skills        []string
	diploma       *pathways.Diploma
	maxKm         int
	licence       bool
	city          string
	postcode      string
	lat, lon      float64
	hours         int
	barriers      []pathways.Barrier
	langs         []string
	interests     []string
	notes         string
}

// programmePeople are the programme's beneficiaries: three cohorts of
// twelve, with the trades refugees most often start in, French from first
// steps to ease, and the barriers advisers meet.
var programmePeople = []person{
	{"Amina", "Haidari", pathways.ProtectionRefugee, [4]string{"a2", "a1", "a2", "a1"}, []string{"G1602"}, []string{"G1602"}, []string{"Cuisine traditionnelle", "Hygiène alimentaire"}, nil, 20, false, "Lyon", "69007", 45.745, 4.842, 35, []pathways.Barrier{"childcare"}, []string{"fa", "ps", "fr"}, []string{"cuisine", "couture"}, "Deux enfants scolarisés ; garde le mercredi à trouver."},
	{"Yonas", "Tesfaye", pathways.ProtectionRefugee, [4]string{"b1", "a2", "a2", "a2"}, []string{"H2913"}, []string{"H2913"}, []string{"Soudure TIG", "Lecture de plans"}, &pathways.Diploma{Title: "Certificat de soudeur", Level: 3, Country: "Érythrée", Field: "H29", Recognition: pathways.RecognitionNone}, 30, true, "Lyon", "69008", 45.734, 4.869, 35, nil, []string{"ti", "am", "en"}, []string{"football", "course à pied"}, ""},
	{"Mariam", "Sadiqi", pathways.ProtectionSubsidiary, [4]string{"b1", "b1", "b1", "a2"}, []string{"J1501"}, []string{"J1506"}, []string{"Soins de base", "Accompagnement des personnes âgées"}, &pathways.Diploma{Title: "Diplôme d'infirmière", Level: 6, Country: "Afghanistan", Field: "J15", Recognition: pathways.RecognitionPending}, 15, false, "Lyon", "69003", 45.760, 4.860, 28, nil, []string{"fa", "en", "fr"}, []string{"lecture", "randonnée"}, "Équivalence ENIC-NARIC demandée."},
	{"Oleksandr", "Kovalenko", pathways.ProtectionSubsidiary, [4]string{"a2", "a2", "a1", "a1"}, []string{"N1103"}, []string{"N1101"}, []string{"Cariste", "Inventaire"}, nil, 40, true, "Vénissieux", "69200", 45.697, 4.886, 35, nil, []string{"uk", "ru"}, []string{"pêche", "échecs"}, ""},
	{"Fatima", "Nouri", pathways.ProtectionFamily, [4]string{"a1", "below-a1", "a1", "below-a1"}, []string{"K2204"}, nil, []string{"Entretien"}, nil, 10, false, "Lyon", "69009", 45.774, 4.805, 20, []pathways.Barrier{"language", "childcare"}, []string{"ar"}, []string{"couture"}, "Cours de FLE le matin."},
	{"Abdul", "Rahimi", pathways.ProtectionRefugee, [4]string{"b1", "a2", "b1", "a2"}, []string{"F1703"}, []string{"F1703", "F1701"}, []string{"Maçonnerie", "Coffrage"}, nil, 35, true, "Villeurbanne", "69100", 45.771, 4.890, 35, nil, []string{"ps", "fa"}, []string{"football", "cricket"}, ""},
	{"Selam", "Gebre", pathways.ProtectionRefugee, [4]string{"b2", "b1", "b1", "b1"}, []string{"M1805"}, []string{"M1805"}, []string{"Développement web", "Python"}, &pathways.Diploma{Title: "Licence d'informatique", Level: 6, Country: "Érythrée", Field: "M18", Recognition: pathways.RecognitionComparability}, 25, false, "Lyon", "69002", 45.750, 4.827, 35, nil, []string{"ti", "en", "fr"}, []string{"musique", "informatique"}, ""},
	{"Hassan", "Al-Khatib", pathways.ProtectionRefugee, [4]string{"a2", "a2", "a2", "a1"}, []string{"I1604"}, []string{"I1604"}, []string{"Mécanique", "Diagnostic"}, nil, 30, true, "Bron", "69500", 45.738, 4.913, 35, nil, []string{"ar", "en"}, []string{"football", "voitures anciennes"}, ""},
	{"Nadia", "Popal", pathways.ProtectionSubsidiary, [4]string{"a2", "a1", "a2", "a1"}, []string{"A1414", "A1203"}, []string{"A1414"}, []string{"Maraîchage"}, nil, 50, true, "Mornant", "69440", 45.619, 4.672, 30, []pathways.Barrier{"mobility"}, []string{"fa", "ps"}, []string{"jardinage"}, ""},
	{"Tigist", "Alemu", pathways.ProtectionRefugee, [4]string{"b1", "b1", "a2", "a2"}, []string{"D1507", "D1106"}, []string{"D1106"}, []string{"Vente", "Encaissement"}, nil, 20, false, "Lyon", "69005", 45.762, 4.822, 35, nil, []string{"am", "en"}, []string{"danse", "cuisine"}, ""},
	{"Omar", "Youssef", pathways.ProtectionRefugee, [4]string{"a2", "a1", "a2", "a1"}, []string{"G1603"}, []string{"G1605"}, []string{"Plonge", "Préparations froides"}, nil, 20, false, "Lyon", "69007", 45.748, 4.846, 35, []pathways.Barrier{"housing"}, []string{"ar", "fr"}, []string{"football"}, "Hébergement d'urgence jusqu'à fin du mois."},
	{"Aïcha", "Diallo", pathways.ProtectionFamily, [4]string{"b1", "a2", "b1", "a2"}, []string{"K1302"}, []string{"K1304"}, []string{"Aide à domicile"}, nil, 15, false, "Villeurbanne", "69100", 45.766, 4.879, 25, []pathways.Barrier{"childcare"}, []string{"ff", "fr"}, []string{"chant", "cuisine"}, ""},
	{"Mohammad", "Karimi", pathways.ProtectionRefugee, [4]string{"a2", "a2", "a2", "a1"}, []string{"H2913", "H2909"}, []string{"H2914"}, []string{"Tuyauterie", "Soudure à l'arc"}, nil, 40, true, "Saint-Priest", "69800", 45.696, 4.944, 35, nil, []string{"fa", "ps"}, []string{"volley"}, ""},
	{"Eleni", "Haile", pathways.ProtectionRefugee, [4]string{"a1", "a1", "a1", "below-a1"}, []string{"G1501"}, nil, []string{"Ménage hôtelier"}, nil, 15, false, "Lyon", "69008", 45.737, 4.870, 24, []pathways.Barrier{"language", "digital"}, []string{"ti"}, []string{"tissage"}, ""},
	{"Kateryna", "Shevchenko", pathways.ProtectionSubsidiary, [4]string{"b1", "b2", "b1", "b1"}, []string{"M1602", "M1607"}, []string{"M1607"}, []string{"Bureautique", "Comptabilité"}, &pathways.Diploma{Title: "Master de gestion", Level: 7, Country: "Ukraine", Field: "M16", Recognition: pathways.RecognitionComparability}, 25, false, "Lyon", "69006", 45.770, 4.852, 35, nil, []string{"uk", "ru", "en"}, []string{"lecture", "piano"}, ""},
	{"Ibrahim", "Mahamat", pathways.ProtectionRefugee, [4]string{"b1", "a2", "b1", "a1"}, []string{"N4105"}, []string{"N4102"}, []string{"Conduite", "Livraison"}, nil, 60, true, "Vaulx-en-Velin", "69120", 45.778, 4.921, 35, nil, []string{"ar", "fr"}, []string{"football"}, "Permis soudanais : échange en cours."},
	{"Zahra", "Ahmadi", pathways.ProtectionRefugee, [4]string{"a2", "a2", "a2", "a1"}, []string{"D1102"}, []string{"D1104"}, []string{"Pâtisserie"}, nil, 15, false, "Lyon", "69004", 45.778, 4.828, 30, nil, []string{"fa", "en"}, []string{"pâtisserie", "dessin"}, ""},
	{"Samuel", "Kiros", pathways.ProtectionRefugee, [4]string{"b1", "a2", "b1", "a2"}, []string{"F1606"}, []string{"F1606"}, []string{"Peinture", "Enduits"}, nil, 35, false, "Lyon", "69009", 45.770, 4.808, 35, nil, []string{"ti", "am"}, []string{"basket"}, ""},
	{"Rania", "Haddad", pathways.ProtectionFamily, [4]string{"b1", "b1", "b1", "a2"}, []string{"K1303"}, nil, []string{"Petite enfance"}, &pathways.Diploma{Title: "Baccalauréat", Level: 4, Country: "Syrie", Recognition: pathways.RecognitionComparability}, 15, false, "Lyon", "69003", 45.755, 4.866, 28, nil, []string{"ar", "en"}, []string{"lecture", "yoga"}, ""},
	{"Jean-Paul", "Mukendi", pathways.ProtectionRefugee, [4]string{"c1", "b2", "c1", "b2"}, []string{"K2503"}, []string{"K2503"}, []string{"Sécurité", "Accueil"}, nil, 30, true, "Lyon", "69007", 45.740, 4.840, 35, nil, []string{"ln", "fr", "sw"}, []string{"football", "gospel"}, ""},
	{"Leyla", "Osman", pathways.ProtectionRefugee, [4]string{"a1", "a1", "a1", "a1"}, []string{"H3302"}, nil, []string{"Conditionnement"}, nil, 25, false, "Vénissieux", "69200", 45.700, 4.880, 35, []pathways.Barrier{"language"}, []string{"so", "ar"}, []string{"couture"}, ""},
	{"Dawit", "Bekele", pathways.ProtectionRefugee, [4]string{"a2", "a2", "a2", "a2"}, []string{"I1203"}, []string{"F1602"}, []string{"Électricité", "Petits travaux"}, nil, 30, false, "Lyon", "69008", 45.731, 4.874, 35, nil, []string{"am", "en"}, []string{"course à pied"}, ""},
	{"Farid", "Nazari", pathways.ProtectionSubsidiary, [4]string{"a2", "a1", "a2", "a1"}, []string{"G1803"}, []string{"G1801"}, []string{"Service en salle"}, nil, 20, false, "Lyon", "69001", 45.767, 4.834, 35, nil, []string{"fa", "ps"}, []string{"cricket"}, ""},
	{"Hiba", "Al-Masri", pathways.ProtectionFamily, [4]string{"b1", "b1", "a2", "a2"}, []string{"D1505"}, nil, []string{"Caisse"}, nil, 15, false, "Lyon", "69009", 45.773, 4.802, 25, []pathways.Barrier{"childcare"}, []string{"ar"}, []string{"cuisine", "broderie"}, ""},
	{"Ahmad", "Sultani", pathways.ProtectionRefugee, [4]string{"a2", "a2", "a2", "a1"}, []string{"N1105"}, []string{"N1105"}, []string{"Manutention"}, nil, 35, false, "Saint-Fons", "69190", 45.708, 4.853, 35, nil, []string{"ps", "fa"}, []string{"football"}, ""},
	{"Mulu", "Tsegay", pathways.ProtectionRefugee, [4]string{"a1", "below-a1", "a1", "below-a1"}, []string{"K2201"}, nil, []string{"Repassage"}, nil, 15, false, "Lyon", "69008", 45.735, 4.866, 20, []pathways.Barrier{"language", "health"}, []string{"ti"}, []string{"chant"}, "Suivi médical en cours."},
	{"Iryna", "Bondarenko", pathways.ProtectionSubsidiary, [4]string{"b1", "b1", "a2", "a2"}, []string{"J1301"}, []string{"J1301"}, []string{"Hygiène hospitalière"}, nil, 20, false, "Bron", "69500", 45.740, 4.910, 35, nil, []string{"uk", "ru"}, []string{"jardinage"}, ""},
	{"Youssouf", "Traoré", pathways.ProtectionRefugee, [4]string{"b2", "a2", "b2", "a2"}, []string{"A1203"}, []string{"A1203"}, []string{"Espaces verts", "Taille"}, nil, 40, true, "Rillieux-la-Pape", "69140", 45.820, 4.898, 35, nil, []string{"bm", "fr"}, []string{"football", "djembé"}, ""},
	{"Shirin", "Mohammadi", pathways.ProtectionRefugee, [4]string{"b1", "b1", "b1", "b1"}, []string{"M1601"}, []string{"M1601"}, []string{"Accueil", "Standard"}, &pathways.Diploma{Title: "Licence de lettres", Level: 6, Country: "Iran", Recognition: pathways.RecognitionNone}, 20, false, "Lyon", "69006", 45.772, 4.850, 30, nil, []string{"fa", "en"}, []string{"poésie", "randonnée"}, ""},
	{"Khaled", "Ibrahim", pathways.ProtectionRefugee, [4]string{"a2", "a1", "a2", "a1"}, []string{"D1101"}, []string{"D1101"}, []string{"Découpe de viande"}, nil, 30, false, "Vénissieux", "69200", 45.695, 4.888, 35, nil, []string{"ar"}, []string{"football"}, ""},
	{"Rahel", "Yohannes", pathways.ProtectionRefugee, [4]string{"a2", "a2", "a1", "a1"}, []string{"G1602"}, nil, []string{"Cuisine"}, nil, 20, false, "Lyon", "69007", 45.744, 4.838, 30, nil, []string{"ti", "am"}, []string{"cuisine", "danse"}, ""},
	{"Sayed", "Hashimi", pathways.ProtectionRefugee, [4]string{"b1", "a2", "b1", "a2"}, []string{"N4101"}, []string{"N4101"}, []string{"Poids lourd"}, nil, 80, true, "Corbas", "69960", 45.667, 4.901, 35, nil, []string{"ps", "fa", "ur"}, []string{"cricket"}, "Permis C étranger : échange refusé, formation à prévoir."},
	{"Nour", "Al-Hassan", pathways.ProtectionFamily, [4]string{"a2", "a2", "a2", "a2"}, []string{"G1703"}, nil, []string{"Accueil hôtelier"}, nil, 20, false, "Lyon", "69002", 45.752, 4.829, 30, nil, []string{"ar", "en"}, []string{"lecture"}, ""},
	{"Yusuf", "Abdi", pathways.ProtectionRefugee, [4]string{"a2", "a1", "a2", "a1"}, []string{"F1704"}, []string{"F1704"}, []string{"Terrassement"}, nil, 40, true, "Givors", "69700", 45.590, 4.769, 35, nil, []string{"so", "ar"}, []string{"football"}, ""},
	{"Marta", "Girmay", pathways.ProtectionRefugee, [4]string{"b1", "a2", "b1", "a2"}, []string{"G1602", "G1603"}, []string{"G1603"}, []string{"Restauration collective"}, nil, 25, false, "Lyon", "69005", 45.758, 4.818, 35, nil, []string{"ti", "en"}, []string{"cuisine"}, ""},
	{"Arash", "Rezaei", pathways.ProtectionRefugee, [4]string{"b2", "b1", "b2", "b1"}, []string{"M1801"}, []string{"M1801"}, []string{"Réseaux", "Linux"}, &pathways.Diploma{Title: "Licence d'électronique", Level: 6, Country: "Iran", Field: "M18", Recognition: pathways.RecognitionPending}, 30, true, "Lyon", "69003", 45.758, 4.870, 35, nil, []string{"fa", "en"}, []string{"échecs", "vélo"}, ""},
}

// otherPeople are the second programme's beneficiaries, in Isère.
var otherPeople = []person{
	{"Dmytro", "Melnyk", pathways.ProtectionSubsidiary, [4]string{"a2", "a2", "a2", "a1"}, []string{"H2913"}, []string{"H2913"}, []string{"Soudure"}, nil, 30, true, "Grenoble", "38000", 45.188, 5.724, 35, nil, []string{"uk"}, []string{"pêche"}, ""},
	{"Aziz", "Qasemi", pathways.ProtectionRefugee, [4]string{"a2", "a1", "a2", "a1"}, []string{"G1602"}, nil, []string{"Cuisine"}, nil, 20, false, "Grenoble", "38100", 45.170, 5.720, 35, nil, []string{"fa"}, []string{"football"}, ""},
	{"Salma", "Idris", pathways.ProtectionFamily, [4]string{"b1", "a2", "b1", "a2"}, []string{"K1302"}, nil, []string{"Aide à domicile"}, nil, 15, false, "Échirolles", "38130", 45.146, 5.719, 25, nil, []string{"ar"}, []string{"cuisine"}, ""},
	{"Habib", "Mansour", pathways.ProtectionRefugee, [4]string{"b1", "b1", "b1", "a2"}, []string{"N1103"}, []string{"N1103"}, []string{"Préparation de commandes"}, nil, 30, true, "Saint-Martin-d'Hères", "38400", 45.167, 5.765, 35, nil, []string{"ar", "fr"}, []string{"football"}, ""},
	{"Lina", "Darwish", pathways.ProtectionFamily, [4]string{"b2", "b1", "b1", "b1"}, []string{"M1602"}, nil, []string{"Secrétariat"}, nil, 15, false, "Grenoble", "38000", 45.190, 5.730, 30, nil, []string{"ar", "en"}, []string{"lecture"}, ""},
	{"Tesfay", "Berhe", pathways.ProtectionRefugee, [4]string{"a1", "a1", "a1", "below-a1"}, []string{"K2204"}, nil, []string{"Nettoyage"}, nil, 20, false, "Fontaine", "38600", 45.194, 5.686, 35, []pathways.Barrier{"language"}, []string{"ti"}, []string{"course à pied"}, ""},
}

// cohorts are the programme's intakes: 12 people each, months before today.
var cohorts = []struct {
	name   string
	months int
}{{"2025-B", 13}, {"2026-A", 7}, {"2026-B", 2}}

func (s *seeder) beneficiaries(ctx context.Context) error {
	prog, other := s.w.Orgs[Programme], s.w.Orgs[OtherProgramme]
	coord := access.Principal{UserID: s.staff["coordinator"].ID, OrganisationID: prog.ID, Role: access.Coordinator}
	// The coordinators set up their programmes first: AGIR with its target
	// of 60 % into employment or training, Accelair under the IAE rules.
	target := 60.0
	if _, err := s.svc.Beneficiaries.CreateProgramme(ctx, coord, pathways.Programme{Name: "AGIR", RuleSet: pathways.RuleSetAGIR.Name, TargetRate: &target}); err != nil {
		return fmt.Errorf("seed the AGIR programme: %w", err)
	}
	otherCoord := access.Principal{UserID: "demo", OrganisationID: other.ID, Role: access.Coordinator}
	if _, err := s.svc.Beneficiaries.CreateProgramme(ctx, otherCoord, pathways.Programme{Name: "Accelair", RuleSet: pathways.RuleSetIAE.Name}); err != nil {
		return fmt.Errorf("seed the Accelair programme: %w", err)
	}
	for i, p := range programmePeople {
		c := cohorts[i/12]
		referent := s.staff["adviser"].ID
		if i%3 == 2 {
			referent = s.staff["adviser2"].ID
		}
		b, err := s.svc.Beneficiaries.Create(ctx, coord, s.profile(p, i, "AGIR", c.name, s.today.AddDate(0, -c.months, -(i%9)), "69", referent))
		if err != nil {
			return fmt.Errorf("seed %s %s: %w", p.first, p.last, err)
		}
		s.w.Beneficiaries = append(s.w.Beneficiaries, b)
		// The fairness monitoring, given with consent; two in nine did not answer.
		if i%9 != 4 && i%9 != 7 {
			if err := s.svc.Fairness.Record(ctx, coord, b.ID, fairness.Record{Sex: sexOf(p.first), Nationality: nationalityOf(p.langs)}); err != nil {
				return fmt.Errorf("seed the monitoring of %s: %w", p.first, err)
			}
		}
	}
	otherAdviser := access.Principal{UserID: s.staff["other_adviser"].ID, OrganisationID: other.ID, Role: access.Adviser}
	for i, p := range otherPeople {
		if _, err := s.svc.Beneficiaries.Create(ctx, otherAdviser, s.profile(p, i, "Accelair", "2026-A", s.today.AddDate(0, -5, -i), "38", s.staff["other_adviser"].ID)); err != nil {
			return fmt.Errorf("seed %s %s: %w", p.first, p.last, err)
		}
	}
	return nil
}

func (s *seeder) profile(p person, i int, programme, cohort string, entry civil.Date, department, referent string) pathways.Beneficiary {
	b := pathways.Beneficiary{
		FirstName: p.first, LastName: p.last, BirthDate: civil.Date(fmt.Sprintf("%d-%02d-%02d", 1975+(i*7)%28, 1+i%12, 1+(i*5)%28)), Protection: p.prot,
		Enrolment:  pathways.Enrolment{Programme: programme, EntryDate: entry, Cohort: cohort, Referents: []string{referent}},
		Department: department,
		Address:    pathways.Address{Line: fmt.Sprintf("%d rue de la Demo", 3+i*4), Postcode: p.postcode, City: p.city, Location: &geo.Point{Lat: p.lat, Lon: p.lon}},
		French: pathways.French{OralComprehension: p.fr[0], WrittenComprehension: p.fr[1], OralProduction: p.fr[2], WrittenProduction: p.fr[3],
			Source: []string{"ofii", "adviser", "tcf", "delf"}[i%4], AssessedOn: entry.AddDate(0, 0, 10)},
		Skills:       []pathways.Skill{},
		PastJobs:     []pathways.PastJob{},
		Diplomas:     []pathways.Diploma{},
		Project:      pathways.Project{TargetROME: p.project, Description: ""},
		Availability: pathways.Availability{From: s.today.AddDate(0, 0, i%10), HoursPerWeek: p.hours, Days: []string{"mon", "tue", "wed", "thu", "fri"}},
		Mobility:     pathways.Mobility{MaxKm: p.maxKm, DrivingLicence: demoLicence(p.licence, i), Vehicle: p.licence && i%2 == 0, PublicTransport: true},
		Barriers:     p.barriers,
		Languages:    p.langs,
		Interests:    p.interests,
		ConsentAt:    entry,
		Notes:        p.notes,
	}
	for _, sk := range p.skills {
		b.Skills = append(b.Skills, pathways.Skill{Label: sk})
	}
	for j, r := range p.past {
		b.PastJobs = append(b.PastJobs, pathways.PastJob{ROME: r, Title: pastTitle(r), Country: "étranger", Years: 1 + (i+j)%6})
	}
	if p.diploma != nil {
		b.Diplomas = append(b.Diplomas, *p.diploma)
	}
	if b.Barriers == nil {
		b.Barriers = []pathways.Barrier{}
	}
	if i%4 == 1 {
		b.Availability.Constraints = "Cours de français le mardi matin"
	}
	return b
}

// pastTitle names a past job after its trade.
func pastTitle(rome string) string {
	titles := map[string]string{"G1602": "Cuisinier", "H2913": "Soudeur", "J1506": "Infirmière", "N1101": "Cariste", "F1703": "Maçon", "F1701": "Coffreur",
		"M1805": "Développeur", "I1604": "Mécanicien", "A1414": "Maraîchère", "D1106": "Vendeuse", "G1605": "Plongeur", "K1304": "Employée de maison",
		"H2914": "Tuyauteur", "M1607": "Comptable", "N4102": "Chauffeur", "D1104": "Pâtissière", "F1606": "Peintre", "K2503": "Agent de sécurité",
		"F1602": "Électricien", "G1801": "Serveur", "N1105": "Manutentionnaire", "J1301": "Agente hospitalière", "A1203": "Jardinier", "M1601": "Hôtesse d'accueil",
		"D1101": "Boucher", "N4101": "Chauffeur poids lourd", "F1704": "Ouvrier du BTP", "G1603": "Commis de restauration", "M1801": "Administrateur réseau", "N1103": "Préparateur de commandes"}
	if t, ok := titles[rome]; ok {
		return t
	}
	return rome
}

// demoLicence is a French licence B for those who drive; of the others,
// every other one holds a foreign licence B that can be exchanged, so the
// explanations show both next steps.
func demoLicence(drives bool, i int) pathways.DrivingLicence {
	switch {
	case drives:
		return pathways.DrivingLicence{Status: pathways.LicenceFrench, Categories: []string{"B"}}
	case i%2 == 0:
		return pathways.DrivingLicence{Status: pathways.LicenceForeignExchangeable, Categories: []string{"B"}}
	}
	return pathways.DrivingLicence{Status: pathways.LicenceNone, Categories: []string{}}
}

// women are the demo's women, by first name, for the fairness monitoring.
var women = map[string]bool{"Amina": true, "Mariam": true, "Fatima": true, "Selam": true, "Nadia": true, "Tigist": true, "Aïcha": true,
	"Eleni": true, "Kateryna": true, "Zahra": true, "Rania": true, "Leyla": true, "Hiba": true, "Mulu": true, "Iryna": true, "Shirin": true,
	"Rahel": true, "Nour": true, "Marta": true, "Salma": true, "Lina": true}

func sexOf(first string) string {
	if women[first] {
		return "female"
	}
	return "male"
}

// nationalityOf guesses a demo person's country from their first language.
func nationalityOf(langs []string) string {
	if len(langs) == 0 {
		return ""
	}
	return map[string]string{"fa": "AF", "ps": "AF", "ti": "ER", "am": "ET", "ar": "SY", "uk": "UA", "ff": "GN", "ln": "CD", "so": "SO", "bm": "ML"}[langs[0]]
}
