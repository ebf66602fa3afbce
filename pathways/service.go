package pathways

import (
	"context"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/parcours-emploi/parcours/access"
	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/ids"
)

// Service holds the use cases of beneficiary files, situations and
// outcome reports. Every method takes who asks: a record of another
// organisation is apperr.NotFound, and every read or change of a file is
// audited.
type Service struct {
	Store        Store
	Audit        AuditLog
	Users        access.Store
	Situations   SituationStore
	Measurements MeasurementStore
	Programmes   ProgrammeStore
	// AuditReader reads the audit log back (nil: none to read).
	AuditReader AuditReader
	// Erased, if set, closes what was under way for a person just erased
	// (their open proposals, their mentorship).
	Erased func(ctx context.Context, who access.Principal, beneficiaryID string) error
	// Now is the clock (nil: time.Now).
	Now func() time.Time
}

// now is the clock at the precision the store keeps (milliseconds), so a
// record reads back exactly as it was written.
func (s *Service) now() time.Time {
	if s.Now == nil {
		return time.Now().UTC().Truncate(time.Millisecond)
	}
	return s.Now().UTC().Truncate(time.Millisecond)
}

// Create records b as a new beneficiary of who's organisation. Every
// referent must be an adviser or a coordinator of the organisation
// (apperr.Invalid naming each one that is not).
func (s *Service) Create(ctx context.Context, who access.Principal, b Beneficiary) (Beneficiary, error) {
	if err := checkFile(b); err != nil {
		return Beneficiary{}, err
	}
	if err := s.checkReferents(ctx, who.OrganisationID, b.Enrolment.referents()); err != nil {
		return Beneficiary{}, err
	}
	if err := s.enrol(ctx, who.OrganisationID, &b.Enrolment); err != nil {
		return Beneficiary{}, err
	}
	b.Enrolment.Referents = b.Enrolment.referents()
	now := s.now()
	b.ID, b.OrganisationID, b.Erased = ids.NewAt("ben", now), who.OrganisationID, nil
	b.CreatedAt, b.UpdatedAt, b.Version = now, now, 1
	if err := s.Store.CreateBeneficiary(ctx, b); err != nil {
		return Beneficiary{}, err
	}
	return b, WriteAudit(ctx, s.Audit, who, AuditCreate, b.ID, now)
}

// Get reads a live file of who's organisation, and audits the read.
func (s *Service) Get(ctx context.Context, who access.Principal, id string) (Beneficiary, error) {
	b, err := Live(ctx, s.Store, who.OrganisationID, id)
	if err != nil {
		return b, err
	}
	return b, WriteAudit(ctx, s.Audit, who, AuditRead, b.ID, s.now())
}

// List returns a page of who's organisation's live beneficiaries. A
// programme is named by its id or its name, accents and case aside.
func (s *Service) List(ctx context.Context, who access.Principal, f Filter) ([]Beneficiary, string, error) {
	f.OrganisationID = who.OrganisationID
	if f.Programme != "" {
		if p, err := s.programme(ctx, who.OrganisationID, f.Programme); err == nil {
			f.Programme = p.Name
		} else if !apperr.Is(err, apperr.NotFound) {
			return nil, "", err
		}
	}
	return s.Store.Beneficiaries(ctx, f)
}

// Update changes the file id, read at version: change edits a copy of the
// stored record (and may refuse with an error). apperr.PreconditionFailed
// when the file moved past version, apperr.Invalid for referents outside
// the organisation. The change is audited.
func (s *Service) Update(ctx context.Context, who access.Principal, id string, version int64, change func(*Beneficiary) error) (Beneficiary, error) {
	cur, err := Live(ctx, s.Store, who.OrganisationID, id)
	if err != nil {
		return Beneficiary{}, err
	}
	if cur.Version != version {
		return Beneficiary{}, apperr.Stale()
	}
	next := cur
	if err := change(&next); err != nil {
		return Beneficiary{}, err
	}
	if err := checkFile(next); err != nil {
		return Beneficiary{}, err
	}
	if err := s.checkReferents(ctx, who.OrganisationID, next.Enrolment.referents()); err != nil {
		return Beneficiary{}, err
	}
	if e := next.Enrolment; e.Programme != cur.Enrolment.Programme || e.ProgrammeID != cur.Enrolment.ProgrammeID {
		if err := s.enrol(ctx, who.OrganisationID, &next.Enrolment); err != nil {
			return Beneficiary{}, err
		}
	}
	next.Enrolment.Referents = next.Enrolment.referents()
	now := s.now()
	next.ID, next.OrganisationID, next.Erased, next.CreatedAt = cur.ID, cur.OrganisationID, nil, cur.CreatedAt
	next.Version, next.UpdatedAt = cur.Version+1, now
	if err := s.Store.ReplaceBeneficiary(ctx, next); err != nil {
		return Beneficiary{}, err
	}
	return next, WriteAudit(ctx, s.Audit, who, AuditUpdate, next.ID, now)
}

// Erase removes the personal data of the file id and keeps what anonymous
// statistics need (see Beneficiary.Erase). The erasure is audited.
func (s *Service) Erase(ctx context.Context, who access.Principal, id string) error {
	b, err := Live(ctx, s.Store, who.OrganisationID, id)
	if err != nil {
		return err
	}
	now := s.now()
	if err := s.Store.ReplaceBeneficiary(ctx, b.Erase(who.UserID, now)); err != nil {
		return err
	}
	if err := WriteAudit(ctx, s.Audit, who, AuditErase, b.ID, now); err != nil {
		return err
	}
	if s.Erased != nil {
		return s.Erased(ctx, who, b.ID)
	}
	return nil
}

// FreeTextEraser removes what people wrote about an erased person outside
// their file (situations, measurements, proposals, mentorships, documents).
type FreeTextEraser interface {
	EraseFreeText(ctx context.Context, org, beneficiaryID string) error
}

// checkFile answers apperr.Invalid naming each rule between fields the
// file breaks.
func checkFile(b Beneficiary) error {
	if bad := b.Mobility.DrivingLicence.Check("/mobility/drivingLicence"); len(bad) > 0 {
		return apperr.Invalidf(bad, "The driving licence is not consistent.").FR("Le permis de conduire est incohérent.")
	}
	return nil
}

// checkReferents answers apperr.Invalid unless every referent is an
// adviser or a coordinator of org.
func (s *Service) checkReferents(ctx context.Context, org string, referents []string) error {
	var bad []apperr.FieldError
	for i, id := range referents {
		u, err := s.Users.User(ctx, id)
		if err != nil && !apperr.Is(err, apperr.NotFound) {
			return err
		}
		if err != nil || u.OrganisationID != org || (u.Role != access.Adviser && u.Role != access.Coordinator) {
			bad = append(bad, apperr.FieldError{Pointer: "/enrolment/referents/" + strconv.Itoa(i),
				Detail: "No adviser of your organisation has this id.", DetailFR: "Aucun conseiller de votre organisation n'a cet identifiant."})
		}
	}
	if len(bad) > 0 {
		return apperr.Invalidf(bad, "Unknown referents.").FR("Référents inconnus.")
	}
	return nil
}

// RecordSituation adds a dated situation to the file id: apperr.Invalid
// naming each rule it breaks. The change is audited.
func (s *Service) RecordSituation(ctx context.Context, who access.Principal, id string, sit Situation) (Situation, error) {
	b, err := Live(ctx, s.Store, who.OrganisationID, id)
	if err != nil {
		return Situation{}, err
	}
	now := s.now()
	sit.ID, sit.OrganisationID, sit.BeneficiaryID = ids.NewAt("sit", now), who.OrganisationID, b.ID
	sit.RecordedAt, sit.RecordedBy = now, who.UserID
	if err := sit.Validate(); err != nil {
		return Situation{}, err
	}
	if err := s.Situations.CreateSituation(ctx, sit); err != nil {
		return Situation{}, err
	}
	if sit.Kind == SituationProgrammeExit {
		if err := s.followExit(ctx, b); err != nil {
			return Situation{}, err
		}
	}
	return sit, WriteAudit(ctx, s.Audit, who, AuditUpdate, b.ID, now)
}

// ListSituations returns the situations of the file id by start date, and
// audits the read.
func (s *Service) ListSituations(ctx context.Context, who access.Principal, id string) ([]Situation, error) {
	b, err := Live(ctx, s.Store, who.OrganisationID, id)
	if err != nil {
		return nil, err
	}
	list, err := s.Situations.Situations(ctx, b.OrganisationID, b.ID)
	if err != nil {
		return nil, err
	}
	return list, WriteAudit(ctx, s.Audit, who, AuditRead, b.ID, s.now())
}

// ReportQuery says which positive-exit report to build: a programme (by
// id, or by name with accents and case aside), a cohort or all (""), a
// horizon in months, and a rule set by name ("": the programme's own).
type ReportQuery struct {
	Programme string
	Cohort    string
	Horizon   int
	RuleSet   string
}

// enrolments reads every enrolment of who's organisation in programme p
// (and cohort, when given).
func (s *Service) enrolments(ctx context.Context, org string, p Programme, cohort string) ([]Enrolled, error) {
	var out []Enrolled
	after := ""
	for {
		list, next, err := s.Measurements.Enrolments(ctx, EnrolmentFilter{OrganisationID: org, ProgrammeID: p.ID, Cohort: cohort, After: after, Limit: 1000})
		if err != nil {
			return nil, err
		}
		out = append(out, list...)
		if next == "" {
			return out, nil
		}
		after = next
	}
}

// reportProgramme resolves the programme a report names, or answers
// apperr.Invalid on the query parameter.
func (s *Service) reportProgramme(ctx context.Context, who access.Principal, ref string) (Programme, error) {
	p, err := s.Programme(ctx, who, ref)
	if apperr.Is(err, apperr.NotFound) {
		ae, _ := apperr.As(err)
		return Programme{}, apperr.Invalidf([]apperr.FieldError{{Pointer: "programme", Tag: "oneof", Detail: ae.Message, DetailFR: ae.MessageFR}}, "Unknown programme.").
			FR("Dispositif inconnu.")
	}
	return p, err
}

// PositiveExits reports, for who's organisation, per cohort of a programme
// how many were enrolled, excluded, measured and positive at the horizon,
// under the programme's rule set or the one named.
func (s *Service) PositiveExits(ctx context.Context, who access.Principal, q ReportQuery) (Report, error) {
	p, err := s.reportProgramme(ctx, who, q.Programme)
	if err != nil {
		return Report{}, err
	}
	if !slices.Contains(p.AllHorizons(), q.Horizon) {
		hs, xs := make([]string, len(p.Horizons)), make([]string, len(p.ExitHorizons))
		for i, h := range p.Horizons {
			hs[i] = strconv.Itoa(h)
		}
		for i, h := range p.ExitHorizons {
			xs[i] = strconv.Itoa(h)
		}
		en, fr := "The programme measures at "+strings.Join(hs, ", ")+" months after entry", "Le dispositif mesure à "+strings.Join(hs, ", ")+" mois après l'entrée"
		if len(xs) > 0 {
			en, fr = en+" and "+strings.Join(xs, ", ")+" months after exit (from=exit)", fr+" et à "+strings.Join(xs, ", ")+" mois après la sortie (from=exit)"
		}
		return Report{}, apperr.Invalidf([]apperr.FieldError{{Pointer: "horizon", Tag: "oneof", Detail: en + ".", DetailFR: fr + "."}}, "Unknown horizon.").FR("Échéance inconnue.")
	}
	rs := p.Rules()
	if q.RuleSet != "" {
		named, ok := RuleSets[q.RuleSet]
		if !ok {
			return Report{}, apperr.Invalidf([]apperr.FieldError{{Pointer: "ruleset", Detail: "No rule set has this name.", DetailFR: "Aucun jeu de règles ne porte ce nom."}}, "Unknown rule set.").FR("Jeu de règles inconnu.")
		}
		rs = named
	}
	enrolled, err := s.enrolments(ctx, who.OrganisationID, p, q.Cohort)
	if err != nil {
		return Report{}, err
	}
	measured, err := s.latestAt(ctx, enrolled, q.Horizon)
	if err != nil {
		return Report{}, err
	}
	r := BuildReport(p.Name, q.Horizon, rs, enrolled, measured, s.now())
	r.ProgrammeID = p.ID
	return r, nil
}

// latestAt reads the latest measurement of each enrolment at the horizon,
// by the enrolments' ids (a programme renamed keeps its measurements).
func (s *Service) latestAt(ctx context.Context, enrolled []Enrolled, horizon int) ([]Measurement, error) {
	var out []Measurement
	for i := 0; i < len(enrolled); i += 500 {
		part := enrolled[i:min(i+500, len(enrolled))]
		ids := make([]string, len(part))
		for j, e := range part {
			ids[j] = e.BeneficiaryID
		}
		latest, err := s.Measurements.LatestMeasurementsOf(ctx, ids)
		if err != nil {
			return nil, err
		}
		for _, e := range part {
			if m, ok := latest[e.BeneficiaryID][horizon]; ok {
				out = append(out, m)
			}
		}
	}
	return out, nil
}

// Exits reports, for who's organisation, per cohort of a programme who
// left, why, what they accessed between entry and exit and where they
// lived when they left, from the situations as they are now.
func (s *Service) Exits(ctx context.Context, who access.Principal, programme, cohort string) (ExitsReport, error) {
	p, err := s.reportProgramme(ctx, who, programme)
	if err != nil {
		return ExitsReport{}, err
	}
	enrolled, err := s.enrolments(ctx, who.OrganisationID, p, cohort)
	if err != nil {
		return ExitsReport{}, err
	}
	sits := map[string][]Situation{}
	for i := 0; i < len(enrolled); i += 500 {
		part := enrolled[i:min(i+500, len(enrolled))]
		ids := make([]string, len(part))
		for j, e := range part {
			ids[j] = e.BeneficiaryID
		}
		got, err := s.Situations.SituationsOf(ctx, who.OrganisationID, ids)
		if err != nil {
			return ExitsReport{}, err
		}
		for id, list := range got {
			sits[id] = list
		}
	}
	return BuildExits(p, enrolled, sits, s.now()), nil
}

// MeasureNow runs the measurement of one of who's organisation's
// programmes on demand, as the nightly run does: coordinators only. It
// records only what is new, so running it again, or beside the nightly
// run, adds nothing.
func (s *Service) MeasureNow(ctx context.Context, who access.Principal, programme string) (Programme, int, error) {
	if who.Role != access.Coordinator {
		return Programme{}, 0, apperr.New(apperr.Forbidden, "Only coordinators run the measurement.").FR("Seuls les coordinateurs lancent la mesure.")
	}
	p, err := s.reportProgramme(ctx, who, programme)
	if err != nil {
		return Programme{}, 0, err
	}
	now := s.now()
	n, err := MeasureScope{OrganisationID: who.OrganisationID, ProgrammeID: p.ID}.Run(ctx, s.Measurements, civil.Of(now), now)
	return p, n, err
}

// MeasurementsOf returns every version of every measurement of one of
// who's organisation's beneficiaries, oldest first per horizon.
func (s *Service) MeasurementsOf(ctx context.Context, who access.Principal, id string) ([]Measurement, error) {
	b, err := s.Store.Beneficiary(ctx, who.OrganisationID, id)
	if err != nil {
		return nil, err
	}
	p, err := s.programme(ctx, who.OrganisationID, b.Enrolment.ProgrammeID)
	if err != nil {
		p = ProgrammeDefaults(Programme{Name: b.Enrolment.Programme})
	}
	var out []Measurement
	for _, h := range p.AllHorizons() {
		list, err := s.Measurements.MeasurementHistory(ctx, b.ID, h)
		if err != nil {
			return nil, err
		}
		out = append(out, list...)
	}
	return out, nil
}

// LatestMeasurements returns the latest version of the measurements of a
// programme's enrolments at a horizon.
func (s *Service) LatestMeasurements(ctx context.Context, who access.Principal, programme, cohort string, horizon int) (Programme, []Measurement, error) {
	p, err := s.reportProgramme(ctx, who, programme)
	if err != nil {
		return Programme{}, nil, err
	}
	enrolled, err := s.enrolments(ctx, who.OrganisationID, p, cohort)
	if err != nil {
		return Programme{}, nil, err
	}
	list, err := s.latestAt(ctx, enrolled, horizon)
	return p, list, err
}

// AuditEntries returns a page of who's organisation's audit log, newest
// first: who read or changed which file, and when. Coordinators only
// (apperr.Forbidden otherwise).
func (s *Service) AuditEntries(ctx context.Context, who access.Principal, f AuditFilter) ([]AuditEntry, string, error) {
	if who.Role != access.Coordinator {
		return nil, "", apperr.New(apperr.Forbidden, "Only coordinators read the audit log.").FR("Seuls les coordinateurs lisent le journal des accès.")
	}
	if s.AuditReader == nil {
		return nil, "", nil
	}
	f.OrganisationID = who.OrganisationID
	return s.AuditReader.AuditEntries(ctx, f)
}

// ListedByID returns who's organisation's beneficiaries among ids, for
// lists of proposals and mentorships that name them. A list is not a file
// read: nothing is audited, as for List.
func (s *Service) ListedByID(ctx context.Context, who access.Principal, ids []string) ([]Beneficiary, error) {
	return s.Store.BeneficiariesByID(ctx, who.OrganisationID, unique(ids))
}

func unique(ids []string) []string {
	seen := map[string]bool{}
	out := []string{}
	for _, id := range ids {
		if id != "" && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// DueHorizon is a T+6 or T+12 horizon passed with no situation recorded
// on its day: the adviser has something to record.
type DueHorizon struct {
	BeneficiaryID string
	Name          string
	Horizon       int
	Date          civil.Date
}

// DueHorizons lists, for who's organisation's active beneficiaries (of the
// referent, when one is given), the horizons passed by today that no
// recorded situation covers, oldest first.
func (s *Service) DueHorizons(ctx context.Context, who access.Principal, referent string, today civil.Date) ([]DueHorizon, error) {
	var bens []Beneficiary
	after := ""
	for {
		list, next, err := s.Store.Beneficiaries(ctx, Filter{OrganisationID: who.OrganisationID, Referent: referent, Status: StatusActive, After: after, Limit: 1000})
		if err != nil {
			return nil, err
		}
		bens = append(bens, list...)
		if next == "" {
			break
		}
		after = next
	}
	ids := make([]string, len(bens))
	for i, b := range bens {
		ids[i] = b.ID
	}
	sits, err := s.Situations.SituationsOf(ctx, who.OrganisationID, ids)
	if err != nil {
		return nil, err
	}
	var out []DueHorizon
	for _, b := range bens {
		for _, h := range Horizons {
			day := Enrolled{EntryDate: b.Enrolment.EntryDate}.HorizonDate(h)
			if b.Enrolment.EntryDate == "" || day > today {
				continue
			}
			covered := false
			for _, st := range Counted(sits[b.ID]) {
				covered = covered || st.Covers(day)
			}
			if !covered {
				out = append(out, DueHorizon{BeneficiaryID: b.ID, Name: strings.TrimSpace(b.FirstName + " " + b.LastName), Horizon: h, Date: day})
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Date < out[j].Date })
	return out, nil
}

// Values lists the programmes, cohorts and départements of who's
// organisation's beneficiaries.
func (s *Service) Values(ctx context.Context, who access.Principal) (EnrolmentValues, error) {
	v, err := s.Store.EnrolmentValues(ctx, who.OrganisationID)
	if err != nil {
		return v, err
	}
	// The programmes are the organisation's records, files or not.
	progs, err := s.Programmes.Programmes(ctx, who.OrganisationID)
	if err != nil {
		return v, err
	}
	v.Programmes = make([]string, len(progs))
	for i, p := range progs {
		v.Programmes[i] = p.Name
	}
	return v, nil
}
