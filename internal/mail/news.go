package mail

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/notify"
)

// news is a piece of news written out: a subject, a few paragraphs, a
// button to the page it concerns, and the footer's unsubscribe link.
type news struct {
	Subject string
	Lines   []string
	Button  string
	URL     string
	// Unsubscribe stops this kind of e-mail in one click; Preferences is
	// where all of them are chosen.
	Unsubscribe, Preferences string
	// Why says why the person receives this e-mail.
	Why string
}

// pick chooses the French or the English of a text.
func pick(lang, fr, en string) string {
	if lang == "en" {
		return en
	}
	return fr
}

func date(lang, d string) string { return civil.Date(d).In(lang) }

// newsOf writes m, a piece of news, in lang.
func (w *Writer) newsOf(m notify.Message, lang string) (news, error) {
	d := m.Data
	n := news{Preferences: w.PublicURL + "/compte#notifications"}
	if d["user"] != "" && d["token"] != "" {
		n.Unsubscribe = w.PublicURL + "/desabonnement/" + url.PathEscape(d["user"]) + "/" + url.PathEscape(string(m.Kind)) + "/" + url.PathEscape(d["token"])
	}
	page := func(path string) string { return w.PublicURL + path }
	file := func(tab string) string {
		return page("/beneficiaires/" + url.PathEscape(d["beneficiary"]) + "?onglet=" + tab)
	}
	switch m.Kind {
	case notify.ProposalSent, notify.ProposalExpiring:
		n.URL = page(d["next"])
		if d["secret"] != "" {
			n.URL = page("/connexion/lien/" + url.PathEscape(d["secret"]))
		}
		n.Button = pick(lang, "Voir la proposition", "See the proposal")
		n.Why = pick(lang, "Vous recevez cet e-mail parce que vous êtes mentor sur Parcours.", "You receive this e-mail because you are a mentor on Parcours.")
		if m.Kind == notify.ProposalSent {
			n.Subject = pick(lang, "Accompagner "+d["mentee"]+" ? Une proposition de mentorat", "Mentor "+d["mentee"]+"? A mentoring proposal")
			n.Lines = []string{pick(lang,
				"Le programme vous propose d'accompagner "+d["mentee"]+". Sa présentation et les raisons de cette proposition vous attendent : un lien suffit, sans mot de passe.",
				"The programme asks you to mentor "+d["mentee"]+". Their introduction and the reasons for this proposal are waiting: one link, no password.")}
		} else {
			n.Subject = pick(lang, "Rappel : "+d["mentee"]+" attend votre réponse", "Reminder: "+d["mentee"]+" is waiting for your answer")
			n.Lines = []string{pick(lang,
				"La proposition d'accompagner "+d["mentee"]+" attend toujours votre réponse.",
				"The proposal to mentor "+d["mentee"]+" is still waiting for your answer.")}
		}
		if d["expires"] != "" {
			n.Lines = append(n.Lines, pick(lang, "Répondez avant le "+date(lang, d["expires"])+" : oui, ou non avec une raison (par exemple une date à partir de laquelle vous serez disponible).",
				"Answer by "+date(lang, d["expires"])+": yes, or no with a reason (for instance the day you will be available from)."))
		}
	case notify.CheckInsMissing:
		n.Subject = pick(lang, "Des nouvelles de votre mentorat avec "+d["mentee"]+" ?", "News of your mentoring with "+d["mentee"]+"?")
		n.Lines = []string{pick(lang,
			"Moins de deux rencontres avec "+d["mentee"]+" ont été notées ces 30 derniers jours. Si vous vous êtes vus, notez-le en deux gestes ; sinon, un message suffit pour reprendre contact.",
			"Fewer than two meetings with "+d["mentee"]+" were logged in the last 30 days. If you met, log it in two taps; if not, a message is enough to get in touch again.")}
		n.Button, n.URL = pick(lang, "Noter une rencontre", "Log a meeting"), page(d["next"])
		n.Why = pick(lang, "Vous recevez cet e-mail parce que vous êtes mentor sur Parcours.", "You receive this e-mail because you are a mentor on Parcours.")
	case notify.ProposalAnswered:
		what := pick(lang, kindFR[d["kind"]], kindEN[d["kind"]])
		if d["answer"] == "accepted" {
			n.Subject = pick(lang, d["name"]+" : proposition acceptée", d["name"]+": proposal accepted")
			n.Lines = []string{pick(lang, "La proposition ("+what+" : "+d["opening"]+") faite à "+d["name"]+" est acceptée.",
				"The proposal ("+what+": "+d["opening"]+") made to "+d["name"]+" is accepted.")}
		} else {
			n.Subject = pick(lang, d["name"]+" : proposition déclinée", d["name"]+": proposal declined")
			n.Lines = []string{pick(lang, "La proposition ("+what+" : "+d["opening"]+") faite à "+d["name"]+" est déclinée.",
				"The proposal ("+what+": "+d["opening"]+") made to "+d["name"]+" is declined.")}
			if d["reason"] != "" {
				n.Lines = append(n.Lines, pick(lang, "Raison donnée : « "+d["reason"]+" ».", "Reason given: “"+d["reason"]+"”."))
			}
		}
		n.Button, n.URL = pick(lang, "Ouvrir le parcours", "Open the pathway"), file("parcours")
		n.Why = pick(lang, "Vous recevez cet e-mail parce que vous suivez cette personne.", "You receive this e-mail because you follow this person.")
	case notify.MentorshipAlert:
		n.Subject = pick(lang, d["name"]+" : mentorat en alerte", d["name"]+": mentoring in alert")
		n.Lines = []string{pick(lang, d["name"]+" et son mentor, "+d["mentor"]+", ont noté moins de deux rencontres en 30 jours.",
			d["name"]+" and their mentor, "+d["mentor"]+", logged fewer than two meetings in 30 days.")}
		n.Button, n.URL = pick(lang, "Ouvrir le parcours", "Open the pathway"), file("parcours")
		n.Why = pick(lang, "Vous recevez cet e-mail parce que vous suivez cette personne.", "You receive this e-mail because you follow this person.")
	case notify.HorizonDue:
		n.Subject = pick(lang, d["name"]+" : situation à T+"+d["horizon"]+" à enregistrer", d["name"]+": situation at T+"+d["horizon"]+" to record")
		n.Lines = []string{pick(lang, "L'échéance T+"+d["horizon"]+" de "+d["name"]+" est passée le "+date(lang, d["date"])+" sans situation enregistrée : la sortie ne peut pas être comptée.",
			"The T+"+d["horizon"]+" horizon of "+d["name"]+" passed on "+date(lang, d["date"])+" with no situation recorded: the exit cannot be counted.")}
		n.Button, n.URL = pick(lang, "Enregistrer la situation", "Record the situation"), file("parcours")+"#situation"
		n.Why = pick(lang, "Vous recevez cet e-mail parce que vous suivez cette personne.", "You receive this e-mail because you follow this person.")
	case notify.FollowUpDue:
		if d["followUp"] == "support-limit" {
			n.Subject = pick(lang, d["name"]+" : fin de l'accompagnement le "+date(lang, d["date"]), d["name"]+": support ends on "+date(lang, d["date"]))
			n.Lines = []string{pick(lang, "L'accompagnement de "+d["name"]+" atteint sa durée maximale ("+d["months"]+" mois) le "+date(lang, d["date"])+" : préparez la sortie et enregistrez-la.",
				"The support of "+d["name"]+" reaches its longest ("+d["months"]+" months) on "+date(lang, d["date"])+": prepare the exit and record it.")}
		} else {
			n.Subject = pick(lang, d["name"]+" : entretien de suivi à "+d["months"]+" mois", d["name"]+": follow-up interview at "+d["months"]+" months")
			n.Lines = []string{pick(lang, "L'entretien de suivi de "+d["name"]+", "+d["months"]+" mois après sa sortie, tombe le "+date(lang, d["date"])+". Notez ensuite sa situation.",
				"The follow-up interview of "+d["name"]+", "+d["months"]+" months after the exit, falls on "+date(lang, d["date"])+". Then record the situation.")}
		}
		n.Button, n.URL = pick(lang, "Ouvrir le parcours", "Open the pathway"), file("parcours")+"#situation"
		n.Why = pick(lang, "Vous recevez cet e-mail parce que vous suivez cette personne.", "You receive this e-mail because you follow this person.")
	case notify.FairnessAlert:
		stage := pick(lang, fairStageFR[d["stage"]], d["stage"])
		n.Subject = pick(lang, "Équité, "+d["programme"]+" : un écart à l'étape « "+stage+" »", "Fairness, "+d["programme"]+": a gap at the “"+stage+"” stage")
		n.Lines = []string{pick(lang,
			"Du "+date(lang, d["from"])+" au "+date(lang, d["to"])+", à l'étape « "+stage+" », le taux du groupe « "+d["group"]+" » ("+d["attribute"]+") vaut "+d["ratio"]+" fois celui du groupe « "+d["reference"]+" » (intervalle à 95 % : "+d["low"]+" – "+d["high"]+").",
			"From "+date(lang, d["from"])+" to "+date(lang, d["to"])+", at the “"+stage+"” stage, the rate of the group “"+d["group"]+"” ("+d["attribute"]+") is "+d["ratio"]+" times that of the group “"+d["reference"]+"” (95% interval: "+d["low"]+" – "+d["high"]+")."),
			pick(lang, "L'écart sort de la bande 0,8 – 1,25 et l'intervalle exclut l'égalité. Regardez les décisions de cette étape : Parcours propose, les personnes décident.",
				"The gap leaves the 0.8 – 1.25 band and the interval excludes parity. Look at the decisions of that stage: Parcours proposes, people decide.")}
		n.Button, n.URL = pick(lang, "Voir l'entonnoir par groupe", "See the funnel by group"), page("/equite?"+url.Values{"programme": {d["programmeId"]}, "attribut": {d["attribute"]}}.Encode())
		n.Why = pick(lang, "Vous recevez cet e-mail parce que vous coordonnez ce dispositif.", "You receive this e-mail because you coordinate this programme.")
	case notify.BatchDone:
		what := pick(lang, kindFR[d["kind"]], kindEN[d["kind"]])
		if d["status"] == "failed" {
			n.Subject = pick(lang, "Mise en relation ("+what+") : échec", "Matching ("+what+"): failed")
			n.Lines = []string{pick(lang, "Le calcul n'a pas pu aboutir ; sa page dit pourquoi.", "The batch could not finish; its page says why.")}
		} else {
			n.Subject = pick(lang, "Mise en relation ("+what+") : "+d["assigned"]+" propositions à valider", "Matching ("+what+"): "+d["assigned"]+" proposals to approve")
			n.Lines = []string{pick(lang, "Le calcul est terminé : "+d["seekers"]+" personnes examinées, "+d["assigned"]+" propositions faites, qui attendent votre validation.",
				"The batch is done: "+d["seekers"]+" people examined, "+d["assigned"]+" proposals made, waiting for your approval.")}
		}
		n.Button, n.URL = pick(lang, "Voir le calcul", "See the batch"), page("/lots/"+url.PathEscape(d["batch"]))
		n.Why = pick(lang, "Vous recevez cet e-mail parce que vous avez lancé ce calcul.", "You receive this e-mail because you launched this batch.")
	case notify.AgencyProposal:
		n.Subject = pick(lang, "Une candidature proposée sur « "+d["title"]+" »", "A candidate proposed on “"+d["title"]+"”")
		n.Lines = []string{pick(lang, "Un programme d'accompagnement vous propose une personne pour votre offre « "+d["title"]+" ». Répondez sur Parcours ou par votre API.",
			"A programme proposes a person for your opening “"+d["title"]+"”. Answer on Parcours or through your API.")}
		n.Button, n.URL = pick(lang, "Voir les propositions", "See the proposals"), page("/agence")
		n.Why = pick(lang, "Vous recevez cet e-mail parce que votre agence a publié cette offre.", "You receive this e-mail because your agency published this opening.")
	case notify.Digest:
		var items []notify.DigestItem
		if err := json.Unmarshal([]byte(d["items"]), &items); err != nil {
			return n, fmt.Errorf("digest %s: %w", m.ID, err)
		}
		n.Subject = pick(lang, fmt.Sprintf("Parcours : %d nouvelles du jour", len(items)), fmt.Sprintf("Parcours: %d pieces of news today", len(items)))
		if len(items) == 1 {
			n.Subject = pick(lang, "Parcours : une nouvelle du jour", "Parcours: one piece of news today")
		}
		n.Lines = []string{pick(lang, "Voici ce qui s'est passé aujourd'hui :", "Here is what happened today:")}
		for _, it := range items {
			one, err := w.newsOf(notify.Message{ID: m.ID, Kind: it.Kind, Data: it.Data}, lang)
			if err != nil {
				return n, err
			}
			n.Lines = append(n.Lines, "• "+one.Subject+" — "+one.URL)
		}
		n.Button, n.URL = pick(lang, "Ouvrir « À traiter »", "Open “To do”"), page("/accueil")
		n.Why = pick(lang, "Vous recevez ce résumé quotidien parce que vous l'avez choisi.", "You receive this daily summary because you chose it.")
	default:
		return n, fmt.Errorf("write message %s: unknown kind %q", m.ID, m.Kind)
	}
	for i := range n.Lines {
		n.Lines[i] = strings.TrimSpace(n.Lines[i])
	}
	return n, nil
}

var (
	kindFR = map[string]string{"job": "emploi", "pmsmp": "PMSMP", "training": "formation", "mentor": "mentorat"}
	kindEN = map[string]string{"job": "job", "pmsmp": "PMSMP", "training": "training", "mentor": "mentoring"}
)

// fairStageFR names the stages of the fairness funnel in French.
var fairStageFR = map[string]string{"eligible": "éligibles", "suggested": "suggérés", "proposed": "proposés", "approved": "validés",
	"sent": "envoyés", "accepted": "acceptés", "positive-t6": "sortie positive à T+6", "positive-t12": "sortie positive à T+12"}
