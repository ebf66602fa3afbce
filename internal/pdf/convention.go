// Package pdf writes the documents Parcours hands out as PDF: the PMSMP
// convention, with its parties, dates, objectives and signatures.
package pdf

import (
	"fmt"
	"io"

	"github.com/go-pdf/fpdf"

	"github.com/parcours-emploi/parcours/conventions"
)

var objectiveFR = map[string]string{"discover": "Découvrir un métier ou un secteur d'activité", "confirm": "Confirmer un projet professionnel",
	"recruit": "Initier une démarche de recrutement"}

var prescriberFR = map[string]string{"france-travail": "France Travail", "mission-locale": "Mission locale", "cap-emploi": "Cap emploi",
	"siae": "Structure d'insertion par l'activité économique", "structure-conventionnee": "Structure conventionnée"}

var partyFR = map[conventions.Party]string{conventions.Beneficiary: "La personne accompagnée", conventions.Host: "La structure d'accueil (tuteur)",
	conventions.Structure: "La structure d'accompagnement"}

// Convention writes the convention d as a PDF to w, in French.
func Convention(w io.Writer, d conventions.Document) error {
	p := fpdf.New("P", "mm", "A4", "")
	tr := p.UnicodeTranslatorFromDescriptor("") // cp1252: French accents
	p.SetTitle(tr("Convention de PMSMP"), false)
	p.SetAuthor("Parcours", false)
	p.SetMargins(18, 18, 18)
	p.AddPage()
	p.SetFont("Helvetica", "B", 15)
	p.MultiCell(0, 7, tr("Convention de période de mise en situation en milieu professionnel (PMSMP)"), "", "L", false)
	p.SetFont("Helvetica", "", 9)
	p.MultiCell(0, 5, tr(fmt.Sprintf("Code du travail, articles L5135-1 à L5135-8 et D5135-1 à D5135-8. Convention %s, état : %s.", d.ID, d.State.French())), "", "L", false)
	section := func(title string) {
		p.Ln(3)
		p.SetFont("Helvetica", "B", 11)
		p.MultiCell(0, 6, tr(title), "B", "L", false)
		p.SetFont("Helvetica", "", 10)
	}
	line := func(label, value string) {
		if value == "" {
			value = "—"
		}
		p.SetFont("Helvetica", "B", 10)
		p.CellFormat(55, 5.5, tr(label), "", 0, "L", false, 0, "")
		p.SetFont("Helvetica", "", 10)
		p.MultiCell(0, 5.5, tr(value), "", "L", false)
	}
	section("Les parties")
	line("Personne accompagnée", d.BeneficiaryName)
	line("Structure d'accueil", d.HostName)
	line("SIRET", d.HostSIRET)
	line("Adresse", d.HostAddress)
	line("Tuteur", joinNonEmpty(d.Tutor.Name, d.Tutor.Role, d.Tutor.Email, d.Tutor.Phone))
	line("Prescripteur", joinNonEmpty(prescriberFR[d.PrescriberKind], d.PrescriberName))
	line("Structure d'accompagnement", d.Structure)
	section("La période")
	line("Dates", "du "+d.Start.French()+" au "+d.End.French())
	line("Horaires", d.Schedule)
	if d.HoursPerWeek > 0 {
		line("Durée hebdomadaire", fmt.Sprintf("%d heures", d.HoursPerWeek))
	}
	line("Lieu", d.Place)
	section("Objet et contenu")
	line("Objectif", objectiveFR[d.Objective])
	line("Objectifs précis", d.Objectives)
	line("Tâches confiées", d.Tasks)
	line("Risques", d.Risks)
	line("Équipements de protection", d.Equipment)
	section("Signatures")
	for _, s := range d.Signatories {
		state := "en attente de signature"
		if s.Signed != nil {
			state = fmt.Sprintf("signé par %s le %s", s.Signed.Name, s.Signed.At.In(paris).Format("02/01/2006 à 15h04"))
		}
		line(partyFR[s.Party], s.Name+" — "+state)
	}
	for _, h := range d.History {
		if h.To == conventions.Validated {
			line("Validation du prescripteur", "le "+h.At.In(paris).Format("02/01/2006"))
		}
	}
	if a := d.Assessment; a != nil {
		section("Bilan")
		line("Déroulé", map[string]string{"completed": "réalisée", "partially-completed": "réalisée en partie", "did-not-show": "personne non venue"}[a.Outcome])
		line("Compétences observées", a.Skills)
		if a.Hired {
			line("Suite", "embauche ("+a.Contract+")")
		}
	}
	return p.Output(w)
}

func joinNonEmpty(parts ...string) string {
	out := ""
	for _, s := range parts {
		if s == "" {
			continue
		}
		if out != "" {
			out += ", "
		}
		out += s
	}
	return out
}
