package conventions

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/parcours-emploi/parcours/access"
	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/ids"
	"github.com/parcours-emploi/parcours/jobs"
	"github.com/parcours-emploi/parcours/notify"
	"github.com/parcours-emploi/parcours/pathways"
)

// The e-mails of a convention document.
const (
	// MailSignature asks a party to sign (Data: url, document, party, host, start, end).
	MailSignature notify.Kind = "convention-signature"
	// MailReminder reminds the parties the placement starts soon (Data: document, host, start).
	MailReminder notify.Kind = "convention-reminder"
	// MailAssessment asks the tutor for the assessment (Data: url, document, beneficiary).
	MailAssessment notify.Kind = "convention-assessment"
)

// SignatureLifetime is how long a signature link works.
const SignatureLifetime = 14 * 24 * time.Hour

// Service holds the convention documents' use cases.
type Service struct {
	Store       Store
	Conventions jobs.ConventionStore
	Hosts       jobs.HostStore
	People      pathways.Store
	Situations  *pathways.Service
	Users       access.Store
	Mail        *notify.Service
	Audit       pathways.AuditLog
	// Now is the clock (nil: time.Now).
	Now func() time.Time
}

func (s *Service) now() time.Time {
	if s.Now == nil {
		return time.Now().UTC().Truncate(time.Millisecond)
	}
	return s.Now().UTC().Truncate(time.Millisecond)
}

// Content is what the adviser writes on a document.
type Content struct {
	BeneficiaryEmail string
	Tutor            TutorOf
	PrescriberKind   string
	PrescriberName   string
	Schedule         string
	HoursPerWeek     int
	Place            string
	Objectives       string
	Tasks            string
	Risks            string
	Equipment        string
}

// Create drafts the document of a recorded PMSMP convention of who's
// organisation's beneficiary: the parties are the beneficiary, the host
// (from the directory when it knows the SIRET) and who, the adviser.
func (s *Service) Create(ctx context.Context, who access.Principal, beneficiaryID, conventionID string, d Content) (Document, error) {
	b, err := pathways.Live(ctx, s.People, who.OrganisationID, beneficiaryID)
	if err != nil {
		return Document{}, err
	}
	all, err := s.Conventions.Conventions(ctx, who.OrganisationID, beneficiaryID)
	if err != nil {
		return Document{}, err
	}
	i := slices.IndexFunc(all, func(c jobs.Convention) bool { return c.ID == conventionID })
	if i < 0 {
		return Document{}, apperr.NotFoundf("No PMSMP convention %s for this person.", conventionID).
			FR("Aucune convention de PMSMP %s pour cette personne.", conventionID)
	}
	c := all[i]
	if c.State != jobs.ConventionRecorded {
		return Document{}, apperr.Conflictf("Only a recorded convention gets a document; this one is %s.", c.State).
			FR("Seule une convention enregistrée a un document ; celle-ci est « %s ».", c.State).WithExtra(apperr.CurrentState, string(c.State))
	}
	// The structure signs through the person's referent adviser (the
	// caller when none has an e-mail).
	var adviser access.User
	for _, id := range append(slices.Clone(b.Enrolment.Referents), who.UserID) {
		u, err := s.Users.User(ctx, id)
		if err != nil && !apperr.Is(err, apperr.NotFound) {
			return Document{}, err
		}
		if err == nil && u.Email != "" && u.OrganisationID == who.OrganisationID {
			adviser = u
			break
		}
	}
	org, err := s.Users.Organisation(ctx, who.OrganisationID)
	if err != nil {
		return Document{}, err
	}
	now := s.now()
	doc := Document{ID: ids.NewAt("doc", now), OrganisationID: who.OrganisationID, ConventionID: c.ID, BeneficiaryID: b.ID,
		BeneficiaryName: b.FirstName + " " + b.LastName, HostSIRET: c.HostID, Tutor: d.Tutor,
		PrescriberKind: d.PrescriberKind, PrescriberName: d.PrescriberName, Structure: org.Name, AdviserID: adviser.ID,
		Start: civil.Of(c.Start), End: civil.Of(c.End), Schedule: d.Schedule, HoursPerWeek: d.HoursPerWeek, Place: d.Place,
		Objective: string(c.Objective), Objectives: d.Objectives, Tasks: d.Tasks, Risks: d.Risks, Equipment: d.Equipment,
		State: Draft, History: []Transition{}, CreatedAt: now, UpdatedAt: now, Version: 1}
	if h, err := s.Hosts.Host(ctx, who.OrganisationID, c.HostID); err == nil {
		doc.HostName, doc.HostAddress = h.Name, h.Address
		if doc.Tutor.Name == "" {
			doc.Tutor = TutorOf(h.Tutor)
		}
	} else if !apperr.Is(err, apperr.NotFound) {
		return Document{}, err
	}
	var bad []apperr.FieldError
	need := func(ptr, v, en, fr string) {
		if strings.TrimSpace(v) == "" {
			bad = append(bad, apperr.FieldError{Pointer: ptr, Tag: "required", Detail: en, DetailFR: fr})
		}
	}
	need("/beneficiaryEmail", d.BeneficiaryEmail, "The beneficiary's e-mail receives their signature link.", "L'e-mail de la personne reçoit son lien de signature.")
	need("/tutor/email", doc.Tutor.Email, "The tutor's e-mail receives the host's signature link.", "L'e-mail du tuteur reçoit le lien de signature de la structure d'accueil.")
	need("/tutor/name", doc.Tutor.Name, "The tutor's name is on the convention.", "Le nom du tuteur figure sur la convention.")
	need("/adviser", adviser.Email, "No referent adviser of the person has an e-mail to sign for the structure.", "Aucun conseiller référent de la personne n'a d'e-mail pour signer au nom de la structure.")
	if len(bad) > 0 {
		return Document{}, apperr.Invalidf(bad, "The convention lacks what its signatories need.").FR("Il manque à la convention ce qu'il faut à ses signataires.")
	}
	doc.Signatories = []Signatory{
		{Party: Beneficiary, Name: doc.BeneficiaryName, Email: d.BeneficiaryEmail},
		{Party: Host, Name: doc.Tutor.Name, Email: doc.Tutor.Email},
		{Party: Structure, Name: adviser.Name, Email: adviser.Email},
	}
	if err := s.Store.CreateDocument(ctx, doc); err != nil {
		return Document{}, err
	}
	return doc, nil
}

// Get reads who's organisation's document.
func (s *Service) Get(ctx context.Context, who access.Principal, id string) (Document, error) {
	return s.Store.Document(ctx, who.OrganisationID, id)
}

// change applies one guarded change to org's document id.
func (s *Service) change(ctx context.Context, org, id string, f func(Document) (Document, error)) (Document, error) {
	for range 3 {
		d, err := s.Store.Document(ctx, org, id)
		if err != nil {
			return d, err
		}
		n, err := f(d)
		if err != nil {
			return d, err
		}
		err = s.Store.ReplaceDocument(ctx, n)
		if err == nil {
			return n, nil
		}
		if !apperr.Is(err, apperr.PreconditionFailed) {
			return d, err
		}
	}
	return Document{}, apperr.Conflictf("The convention keeps changing; try again.").FR("La convention change en ce moment ; réessayez.")
}

// newSecret is a link's secret and the hash stored in its place.
func newSecret() (secret, hash string) {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	secret = base64.RawURLEncoding.EncodeToString(b)
	return secret, hashOf(secret)
}

func hashOf(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

// secretMatches reports, in constant time, whether secret is the one whose
// hash was stored; an empty hash matches nothing.
func secretMatches(hash, secret string) bool {
	return hash != "" && subtle.ConstantTimeCompare([]byte(hash), []byte(hashOf(secret))) == 1
}

// Send sends the document for signature: each party gets a single-use
// link by e-mail, valid SignatureLifetime.
func (s *Service) Send(ctx context.Context, who access.Principal, id string) (Document, error) {
	now := s.now()
	secrets := map[Party]string{}
	d, err := s.change(ctx, who.OrganisationID, id, func(d Document) (Document, error) {
		n, err := d.Advance(Sent, who.UserID, "", now)
		if err != nil {
			return d, err
		}
		n.Signatories = slices.Clone(d.Signatories)
		for i := range n.Signatories {
			secret, hash := newSecret()
			secrets[n.Signatories[i].Party] = secret
			n.Signatories[i].TokenHash, n.Signatories[i].Expires = hash, now.Add(SignatureLifetime)
		}
		return n, nil
	})
	if err != nil {
		return d, err
	}
	for _, sig := range d.Signatories {
		m := notify.Message{ID: string(MailSignature) + ":" + d.ID + ":" + string(sig.Party) + ":" + strconv.FormatInt(d.Version, 10),
			Kind: MailSignature, To: sig.Email, Name: sig.Name, Lang: access.French,
			Data: map[string]string{"document": d.ID, "party": string(sig.Party), "secret": secrets[sig.Party],
				"host": d.hostLabel(), "start": d.Start.French(), "end": d.End.French()}}
		if err := s.Mail.Send(context.WithoutCancel(ctx), m); err != nil {
			return d, err
		}
	}
	return d, nil
}

func (d Document) hostLabel() string {
	if d.HostName != "" {
		return d.HostName
	}
	return "SIRET " + d.HostSIRET
}

// Link is what a signature link shows: the document, and whose link it is.
type Link struct {
	Document Document
	Party    Party
	// Used and Expired say why the link cannot sign any more.
	Used, Expired bool
}

// Open reads the document a signature link names; apperr.NotFound for a
// link that is not one (wrong document, party or secret).
func (s *Service) Open(ctx context.Context, id string, party Party, secret string) (Link, error) {
	notFound := apperr.NotFoundf("This signature link is not valid.").FR("Ce lien de signature n'est pas valable.")
	d, err := s.Store.DocumentByID(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		return Link{}, notFound
	}
	if err != nil {
		return Link{}, err
	}
	sig, i := d.Signatory(party)
	if i < 0 || !secretMatches(sig.TokenHash, secret) {
		return Link{}, notFound
	}
	return Link{Document: d, Party: party, Used: sig.Signed != nil, Expired: s.now().After(sig.Expires)}, nil
}

// Sign records the party's signature through its link, once: a used or
// expired link, or a document no longer awaiting signatures, is
// apperr.Conflict and changes nothing. The last signature makes it signed.
func (s *Service) Sign(ctx context.Context, id string, party Party, secret, name, ip, userAgent string) (Document, error) {
	l, err := s.Open(ctx, id, party, secret)
	if err != nil {
		return Document{}, err
	}
	switch {
	case l.Used:
		return l.Document, apperr.Conflictf("This link has signed already.").FR("Ce lien a déjà servi à signer.")
	case l.Expired:
		return l.Document, apperr.Conflictf("This signature link has expired; ask the adviser for a new one.").
			FR("Ce lien de signature a expiré ; demandez-en un nouveau au conseiller.")
	}
	if strings.TrimSpace(name) == "" {
		return l.Document, apperr.Invalidf([]apperr.FieldError{{Pointer: "/name", Tag: "required",
			Detail: "Write your name to sign.", DetailFR: "Écrivez votre nom pour signer."}}, "The name is missing.").FR("Le nom manque.")
	}
	now := s.now()
	return s.change(ctx, l.Document.OrganisationID, id, func(d Document) (Document, error) {
		sig, i := d.Signatory(party)
		if sig.Signed != nil {
			return d, apperr.Conflictf("This link has signed already.").FR("Ce lien a déjà servi à signer.")
		}
		if d.State != Sent && d.State != PartiallySigned {
			return d, apperr.Conflictf("The convention is %s: it takes no signature.", d.State).
				FR("La convention est %s : elle ne prend plus de signature.", d.State.French()).WithExtra(apperr.CurrentState, string(d.State))
		}
		signed := 1
		for _, x := range d.Signatories {
			if x.Signed != nil {
				signed++
			}
		}
		to := PartiallySigned
		if signed == len(d.Signatories) {
			to = Signed
		}
		n := d
		if to != d.State {
			var err error
			if n, err = d.Advance(to, "signature:"+string(party), "", now); err != nil {
				return d, err
			}
		} else {
			n.UpdatedAt, n.Version = now, d.Version+1
		}
		n.Signatories = slices.Clone(d.Signatories)
		n.Signatories[i].Signed = &Signature{Name: strings.TrimSpace(name), At: now, IP: ip, UserAgent: userAgent}
		return n, nil
	})
}

// Move is a staff step: validate (the prescriber), start, end, cancel or
// reject (with a reason).
func (s *Service) Move(ctx context.Context, who access.Principal, id string, to State, reason string) (Document, error) {
	if (to == Cancelled || to == Rejected) && strings.TrimSpace(reason) == "" {
		return Document{}, apperr.Invalidf([]apperr.FieldError{{Pointer: "/reason", Tag: "required",
			Detail: "Say why.", DetailFR: "Dites pourquoi."}}, "The reason is missing.").FR("La raison manque.")
	}
	if to != Validated && to != InProgress && to != Ended && to != Cancelled && to != Rejected {
		return Document{}, apperr.NotFoundf("No such step.").FR("Aucune étape de ce nom.")
	}
	var secret string
	d, err := s.change(ctx, who.OrganisationID, id, func(d Document) (Document, error) {
		n, err := d.Advance(to, who.UserID, reason, s.now())
		if err == nil && to == Ended {
			var hash string
			secret, hash = newSecret()
			n.AssessmentTokenHash, n.AssessmentExpires = hash, s.now().Add(AssessmentLifetime)
		}
		return n, err
	})
	if err != nil || to != Ended {
		return d, err
	}
	return d, s.askAssessment(ctx, d, secret)
}

// AssessmentLifetime is how long the tutor's assessment link works.
const AssessmentLifetime = 30 * 24 * time.Hour

// askAssessment sends the tutor the link to the assessment.
func (s *Service) askAssessment(ctx context.Context, d Document, secret string) error {
	sig, _ := d.Signatory(Host)
	return s.Mail.Send(context.WithoutCancel(ctx), notify.Message{ID: string(MailAssessment) + ":" + d.ID, Kind: MailAssessment,
		To: sig.Email, Name: sig.Name, Lang: access.French,
		Data: map[string]string{"document": d.ID, "beneficiary": d.BeneficiaryName, "host": d.hostLabel(), "secret": secret}})
}

// AssessmentLink is what the tutor's assessment link opens.
type AssessmentLink struct {
	Document Document
	// Done and Expired say why the link cannot assess any more.
	Done, Expired bool
}

// OpenAssessment reads the document the tutor's assessment link names;
// apperr.NotFound for a link that is not one.
func (s *Service) OpenAssessment(ctx context.Context, id, secret string) (AssessmentLink, error) {
	notFound := apperr.NotFoundf("This assessment link is not valid.").FR("Ce lien de bilan n'est pas valable.")
	d, err := s.Store.DocumentByID(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		return AssessmentLink{}, notFound
	}
	if err != nil {
		return AssessmentLink{}, err
	}
	if !secretMatches(d.AssessmentTokenHash, secret) {
		return AssessmentLink{}, notFound
	}
	return AssessmentLink{Document: d, Done: d.State == Assessed, Expired: s.now().After(d.AssessmentExpires)}, nil
}

// AssessByLink records the tutor's assessment through their link, once.
func (s *Service) AssessByLink(ctx context.Context, id, secret string, a Assessment) (Document, error) {
	l, err := s.OpenAssessment(ctx, id, secret)
	if err != nil {
		return Document{}, err
	}
	switch {
	case l.Done:
		return l.Document, apperr.Conflictf("The assessment is recorded already.").FR("Le bilan est déjà enregistré.")
	case l.Expired:
		return l.Document, apperr.Conflictf("This assessment link has expired; tell the adviser.").FR("Ce lien de bilan a expiré ; prévenez le conseiller.")
	}
	tutor := access.Principal{UserID: "tutor:" + l.Document.ID, OrganisationID: l.Document.OrganisationID, Role: access.Adviser}
	return s.Assess(ctx, tutor, id, a)
}

// Assess records the assessment of an ended placement; a hire becomes the
// beneficiary's situation from the day after the placement.
func (s *Service) Assess(ctx context.Context, who access.Principal, id string, a Assessment) (Document, error) {
	if a.Hired && a.Contract == "" {
		return Document{}, apperr.Invalidf([]apperr.FieldError{{Pointer: "/contract", Tag: "required_if",
			Detail: "Which contract is the hire?", DetailFR: "Avec quel contrat est-ce une embauche ?"}}, "The contract is missing.").FR("Le contrat manque.")
	}
	if !slices.Contains(Outcomes, a.Outcome) {
		return Document{}, apperr.Invalidf([]apperr.FieldError{{Pointer: "/outcome", Tag: "oneof",
			Detail: "The outcome is completed, partially-completed or did-not-show.", DetailFR: "Le déroulé est completed, partially-completed ou did-not-show."}},
			"Bad outcome.").FR("Déroulé incorrect.")
	}
	now := s.now()
	a.By, a.At = who.UserID, now
	d, err := s.change(ctx, who.OrganisationID, id, func(d Document) (Document, error) {
		n, err := d.Advance(Assessed, who.UserID, "", now)
		if err != nil {
			return d, err
		}
		n.Assessment = &a
		return n, nil
	})
	if err != nil || !a.Hired {
		return d, err
	}
	sit := pathways.Situation{Kind: pathways.SituationKind(a.Contract), Start: d.End.AddDate(0, 0, 1), DurationMonths: a.Months,
		Employer: d.hostLabel(), Note: "Embauche à l'issue de la PMSMP"}
	if _, err := s.Situations.RecordSituation(ctx, who, d.BeneficiaryID, sit); err != nil {
		return d, err
	}
	return d, nil
}

// Remind sends, once per document, the reminder to every party of a
// validated placement that starts within two working days of now, and
// starts the placements whose first day has come. It returns how many
// reminders it sent.
func (s *Service) Remind(ctx context.Context, now time.Time) (int, error) {
	list, err := s.Store.DocumentsInState(ctx, []State{Validated}, 500)
	if err != nil {
		return 0, err
	}
	today := civil.InFrance(now)
	n := 0
	for _, d := range list {
		if !d.Start.After(today) {
			if _, err := s.change(ctx, d.OrganisationID, d.ID, func(d Document) (Document, error) { return d.Advance(InProgress, "system", "", now) }); err != nil && !apperr.Is(err, apperr.Conflict) {
				return n, err
			}
			continue
		}
		if workingDaysBetween(today, d.Start) > 2 {
			continue
		}
		for _, sig := range d.Signatories {
			m := notify.Message{ID: string(MailReminder) + ":" + d.ID + ":" + string(sig.Party), Kind: MailReminder, To: sig.Email, Name: sig.Name,
				Lang: access.French, Data: map[string]string{"document": d.ID, "host": d.hostLabel(), "start": d.Start.French()}}
			if err := s.Mail.Send(ctx, m); err != nil {
				return n, err
			}
		}
		n++
	}
	return n, nil
}

// workingDaysBetween counts the working days (Monday to Friday) after from
// up to and including to.
func workingDaysBetween(from, to civil.Date) int {
	n := 0
	for d := from.AddDate(0, 0, 1); !d.After(to); d = d.AddDate(0, 0, 1) {
		if wd := d.Time().Weekday(); wd != time.Saturday && wd != time.Sunday {
			n++
		}
	}
	return n
}
