package httpapi

import (
	"encoding/json"
	"fmt"

	"github.com/gofiber/fiber/v2"

	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/ids"
	"github.com/parcours-emploi/parcours/internal/matchinput"
	"github.com/parcours-emploi/parcours/jobs"
	"github.com/parcours-emploi/parcours/matching"
	"github.com/parcours-emploi/parcours/mentoring"
	"github.com/parcours-emploi/parcours/pathways"
	"github.com/parcours-emploi/parcours/pmsmp"
)

// ProposalInput is the body of POST /proposals: an adviser proposes a pair
// (often one of the suggestions).
type ProposalInput struct {
	BeneficiaryID string `json:"beneficiaryId" validate:"required,max=64"`
	Kind          string `json:"kind" validate:"required,oneof=mentor job pmsmp training"`
	OpeningID     string `json:"openingId" validate:"required,max=64"`
}

// ReasonInput is the body of a withdrawal: an optional reason.
type ReasonInput struct {
	Reason string `json:"reason" validate:"max=500"`
}

// DeclineInput is the body of a decline: the reason is required.
type DeclineInput struct {
	Reason string `json:"reason" validate:"required,max=500"`
}

// AnswerInput records the answer to a proposal of an opportunity (job,
// PMSMP, training), given outside Parcours by the beneficiary or the host.
type AnswerInput struct {
	Answer string `json:"answer" validate:"required,oneof=accepted declined"`
	Reason string `json:"reason" validate:"required_if=Answer declined,max=500"`
}

// ProposalQuery filters GET /proposals.
type ProposalQuery struct {
	BeneficiaryID string `query:"beneficiaryId"`
	Kind          string `query:"kind"`
	OpeningID     string `query:"openingId"`
	State         string `query:"state"`
	BatchID       string `query:"batchId"`
	Cursor        string `query:"cursor"`
	Limit         int    `query:"limit"`
}

// MentorProposalQuery filters GET /mentors/me/proposals.
type MentorProposalQuery struct {
	State  string `query:"state"`
	Cursor string `query:"cursor"`
	Limit  int    `query:"limit"`
}

// Acceptance answers a mentor's acceptance: the proposal as the mentor sees
// it and the mentorship that begins.
type Acceptance struct {
	Proposal   mentoring.MentorProposal `json:"proposal"`
	Mentorship mentoring.Mentorship     `json:"mentorship"`
}

const proposalStates = "proposed approved sent accepted declined expired withdrawn"

// mentoringService is the lifecycle over the stores and settings of Deps.
func (s *Server) mentoringService() *mentoring.Service {
	return &mentoring.Service{
		Proposals: s.Proposals, Mentorships: s.Mentorships, Mentors: s.Mentors, Places: s.MentorPlaces,
		ExpiryDays: s.ProposalExpiryDays, DurationMonths: s.MentorshipMonths, Cooldown: s.DeclineCooldown,
	}
}

func (s *Server) createProposal(c *fiber.Ctx) error {
	var in ProposalInput
	if err := s.decodeBody(c, &in); err != nil {
		return err
	}
	ctx, p, now := c.UserContext(), principal(c), s.now()
	svc := s.mentoringService()
	b, err := s.Beneficiaries.Beneficiary(ctx, p.OrganisationID, in.BeneficiaryID)
	if err != nil {
		return err
	}
	if b.Erased != nil {
		return apperr.NotFoundf("beneficiary erased")
	}
	if err := s.audit(c, "propose", b.ID); err != nil {
		return err
	}
	opening, err := s.openingOf(c, p.OrganisationID, in.Kind, in.OpeningID)
	if err != nil {
		return err
	}
	// A declined pair waits for the cooldown whatever the engine says.
	if err := svc.CheckCooldown(ctx, b.ID, in.OpeningID, now); err != nil {
		return err
	}
	declines, err := s.Proposals.DeclinesOf(ctx, b.ID, now.Add(-svc.DeclineCooldown()))
	if err != nil {
		return err
	}
	x := matchinput.SeekerExtras{Declines: declines}
	if s.PMSMP != nil && in.Kind == string(pathways.OpeningPMSMP) {
		if x.PMSMPHistory, err = s.PMSMP.PMSMPConventions(ctx, b.OrganisationID, b.ID); err != nil {
			return err
		}
	}
	seeker := matchinput.Seeker(b, x)
	ev := s.MatchEngine.Evaluate(&seeker, &opening, now)
	if !ev.Eligible {
		return ineligible(language(c), ev)
	}
	explanation, err := json.Marshal(ev)
	if err != nil {
		return fmt.Errorf("encode evaluation: %w", err)
	}
	prop, err := svc.Propose(ctx, pathways.Proposal{
		ID: ids.New("pro"), OrganisationID: p.OrganisationID, BeneficiaryID: b.ID, Kind: pathways.OpeningKind(in.Kind),
		OpeningID: in.OpeningID, Source: pathways.SourceAdviser, Score: ev.Score, Explanation: explanation,
	}, now)
	if err != nil {
		return err
	}
	c.Location("/api/v1/proposals/" + prop.ID)
	return sendRecord(c, fiber.StatusCreated, prop.Version, prop)
}

// openingOf loads the opening of a proposed pair in the engine's form: a
// mentor of the organisation, or a published opportunity of the kind.
func (s *Server) openingOf(c *fiber.Ctx, org, kind, id string) (matching.Opening, error) {
	ctx := c.UserContext()
	if kind == string(pathways.OpeningMentor) {
		m, err := s.Mentors.Mentor(ctx, org, id)
		if err != nil {
			return matching.Opening{}, err
		}
		return matchinput.MentorOpening(m), nil
	}
	o, err := s.Opportunities.Opportunity(ctx, id)
	if err != nil {
		return matching.Opening{}, err
	}
	if string(o.Kind) != kind || (o.Status == jobs.StatusDraft && o.OrganisationID != org) {
		return matching.Opening{}, apperr.NotFoundf("opportunity %s of kind %s", id, kind)
	}
	return matchinput.Opening(o, 0), nil
}

// ineligible answers 422 naming each failed constraint in the caller's language.
func ineligible(lang string, ev matching.Evaluation) error {
	fields := make([]apperr.FieldError, 0, len(ev.Failures))
	for _, f := range ev.Failures {
		detail := pick(lang, f.Text.EN, f.Text.FR)
		if f.NextStep != nil {
			detail += " " + pick(lang, f.NextStep.EN, f.NextStep.FR)
		}
		fields = append(fields, apperr.FieldError{Pointer: "/openingId", Detail: detail, Tag: string(f.Code)})
	}
	return apperr.Invalidf(fields, "%s", pick(lang, "This pair fails constraints of the matching rules: it cannot be proposed.",
		"Cette paire ne respecte pas des contraintes des règles de mise en relation : elle ne peut pas être proposée."))
}

func (s *Server) getProposal(c *fiber.Ctx) error {
	p, err := s.Proposals.Proposal(c.UserContext(), principal(c).OrganisationID, c.Params("id"))
	if err != nil {
		return err
	}
	return sendRecord(c, fiber.StatusOK, p.Version, p)
}

func (s *Server) listProposals(c *fiber.Ctx) error {
	limit, err := queryLimit(c)
	if err != nil {
		return err
	}
	f := pathways.ProposalFilter{OrganisationID: principal(c).OrganisationID, BeneficiaryID: c.Query("beneficiaryId"),
		Kind: pathways.OpeningKind(c.Query("kind")), OpeningID: c.Query("openingId"), BatchID: c.Query("batchId"),
		After: c.Query("cursor"), Limit: limit}
	state := c.Query("state")
	if err := s.valid.checkQuery(language(c), map[string]queryRule{
		"kind": {string(f.Kind), "omitempty,oneof=mentor job pmsmp training"}, "state": {state, "omitempty,oneof=" + proposalStates},
		"beneficiaryId": {f.BeneficiaryID, "max=64"}, "openingId": {f.OpeningID, "max=64"}, "batchId": {f.BatchID, "max=64"},
	}); err != nil {
		return err
	}
	if state != "" {
		f.States = []pathways.ProposalState{pathways.ProposalState(state)}
	}
	list, next, err := s.Proposals.Proposals(c.UserContext(), f)
	if err != nil {
		return err
	}
	if list == nil {
		list = []pathways.Proposal{}
	}
	return c.JSON(page[pathways.Proposal]{Items: list, Next: next})
}

func (s *Server) approveProposal(c *fiber.Ctx) error {
	p := principal(c)
	prop, err := s.mentoringService().Approve(c.UserContext(), p.OrganisationID, c.Params("id"), p.UserID, s.now())
	if err != nil {
		return err
	}
	return sendRecord(c, fiber.StatusOK, prop.Version, prop)
}

func (s *Server) sendProposal(c *fiber.Ctx) error {
	p := principal(c)
	prop, err := s.mentoringService().Send(c.UserContext(), p.OrganisationID, c.Params("id"), p.UserID, s.now())
	if err != nil {
		return err
	}
	return sendRecord(c, fiber.StatusOK, prop.Version, prop)
}

func (s *Server) withdrawProposal(c *fiber.Ctx) error {
	var in ReasonInput
	if err := s.decodeBody(c, &in); err != nil {
		return err
	}
	p := principal(c)
	prop, err := s.mentoringService().Withdraw(c.UserContext(), p.OrganisationID, c.Params("id"), p.UserID, in.Reason, s.now())
	if err != nil {
		return err
	}
	return sendRecord(c, fiber.StatusOK, prop.Version, prop)
}

// answerProposal records the answer to an opportunity's proposal; a mentor
// proposal is answered by its mentor only (403).
func (s *Server) answerProposal(c *fiber.Ctx) error {
	var in AnswerInput
	if err := s.decodeBody(c, &in); err != nil {
		return err
	}
	ctx, p, now := c.UserContext(), principal(c), s.now()
	svc := s.mentoringService()
	var prop pathways.Proposal
	var err error
	if in.Answer == string(pathways.ProposalAccepted) {
		var conv *pmsmp.Convention
		if conv, err = s.conventionToAccept(c, c.Params("id")); err != nil {
			return err
		}
		prop, err = svc.AcceptOther(ctx, p.OrganisationID, c.Params("id"), p.UserID, now)
		if err == nil && conv != nil {
			// After the acceptance, and idempotent: a convention never
			// exists for a placement that was not accepted.
			err = s.PMSMP.CreatePMSMPConvention(ctx, p.OrganisationID, *conv)
		}
	} else {
		prop, err = s.Proposals.Proposal(ctx, p.OrganisationID, c.Params("id"))
		if err == nil && prop.Kind == pathways.OpeningMentor {
			err = apperr.New(apperr.Forbidden, "Only the mentor answers a mentor proposal.")
		}
		if err == nil {
			prop, err = svc.Decline(ctx, p.OrganisationID, prop.ID, p.UserID, in.Reason, now)
		}
	}
	if err != nil {
		return err
	}
	return sendRecord(c, fiber.StatusOK, prop.Version, prop)
}

// mentorProposal returns a proposal the calling mentor may see: one of
// theirs that was sent to them. Any other is apperr.NotFound.
func (s *Server) mentorProposal(c *fiber.Ctx) (mentoring.Mentor, pathways.Proposal, error) {
	m, err := s.myMentor(c)
	if err != nil {
		return m, pathways.Proposal{}, err
	}
	p, err := s.Proposals.Proposal(c.UserContext(), m.OrganisationID, c.Params("id"))
	if err != nil {
		return m, p, err
	}
	if _, sent := mentoring.SentAt(p); p.Kind != pathways.OpeningMentor || p.OpeningID != m.ID || !sent {
		return m, pathways.Proposal{}, apperr.NotFoundf("proposal %s", p.ID)
	}
	return m, p, nil
}

// menteeProposal builds the mentor's view of p, reading (and auditing) the
// beneficiary.
func (s *Server) menteeProposal(c *fiber.Ctx, p pathways.Proposal) (mentoring.MentorProposal, error) {
	b, err := s.Beneficiaries.Beneficiary(c.UserContext(), p.OrganisationID, p.BeneficiaryID)
	if err != nil {
		return mentoring.MentorProposal{}, err
	}
	if err := s.audit(c, "mentee-view", b.ID); err != nil {
		return mentoring.MentorProposal{}, err
	}
	return mentoring.ToMentorProposal(p, b), nil
}

func (s *Server) listMyProposals(c *fiber.Ctx) error {
	limit, err := queryLimit(c)
	if err != nil {
		return err
	}
	state := c.Query("state")
	if err := s.valid.checkQuery(language(c), map[string]queryRule{"state": {state, "omitempty,oneof=sent accepted declined expired withdrawn"}}); err != nil {
		return err
	}
	m, err := s.myMentor(c)
	if err != nil {
		return err
	}
	// A mentor sees what was sent to them, never what staff still review.
	states := []pathways.ProposalState{pathways.ProposalSent, pathways.ProposalAccepted, pathways.ProposalDeclined, pathways.ProposalExpired, pathways.ProposalWithdrawn}
	if state != "" {
		states = []pathways.ProposalState{pathways.ProposalState(state)}
	}
	list, next, err := s.Proposals.Proposals(c.UserContext(), pathways.ProposalFilter{OrganisationID: m.OrganisationID,
		Kind: pathways.OpeningMentor, OpeningID: m.ID, States: states, After: c.Query("cursor"), Limit: limit})
	if err != nil {
		return err
	}
	out := page[mentoring.MentorProposal]{Items: make([]mentoring.MentorProposal, 0, len(list)), Next: next}
	for _, p := range list {
		if _, sent := mentoring.SentAt(p); !sent {
			continue // withdrawn before it was sent
		}
		v, err := s.menteeProposal(c, p)
		if err != nil {
			return err
		}
		if v.State == pathways.ProposalAccepted {
			if ms, err := s.Mentorships.MentorshipOfProposal(c.UserContext(), p.OrganisationID, p.ID); err == nil {
				v.MentorshipID = ms.ID
			}
		}
		out.Items = append(out.Items, v)
	}
	return c.JSON(out)
}

func (s *Server) acceptProposal(c *fiber.Ctx) error {
	m, p, err := s.mentorProposal(c)
	if err != nil {
		return err
	}
	now := s.now()
	next, ms, err := s.mentoringService().Accept(c.UserContext(), p.OrganisationID, p.ID, m, principal(c).UserID, now)
	if err != nil {
		return err
	}
	v, err := s.menteeProposal(c, next)
	if err != nil {
		return err
	}
	v.MentorshipID = ms.ID
	return c.JSON(Acceptance{Proposal: v, Mentorship: ms.WithFollowUp(now)})
}

func (s *Server) declineProposal(c *fiber.Ctx) error {
	var in DeclineInput
	if err := s.decodeBody(c, &in); err != nil {
		return err
	}
	_, p, err := s.mentorProposal(c)
	if err != nil {
		return err
	}
	next, err := s.mentoringService().Decline(c.UserContext(), p.OrganisationID, p.ID, principal(c).UserID, in.Reason, s.now())
	if err != nil {
		return err
	}
	v, err := s.menteeProposal(c, next)
	if err != nil {
		return err
	}
	return c.JSON(v)
}

// conventionToAccept returns the PMSMP convention that accepting proposal id
// makes (nil for other kinds), or apperr.Conflict naming every PMSMP rule
// the beneficiary's conventions would break: one month, one renewal, two
// per host in 12 months with different objectives, 60 days.
func (s *Server) conventionToAccept(c *fiber.Ctx, id string) (*pmsmp.Convention, error) {
	if s.PMSMP == nil {
		return nil, nil
	}
	ctx, org := c.UserContext(), principal(c).OrganisationID
	prop, err := s.Proposals.Proposal(ctx, org, id)
	if err != nil || prop.Kind != pathways.OpeningPMSMP {
		return nil, err
	}
	o, err := s.Opportunities.Opportunity(ctx, prop.OpeningID)
	if err != nil {
		return nil, err
	}
	conv, ok := jobs.ConventionFor("pmc_"+prop.ID, prop.BeneficiaryID, o)
	if !ok {
		return nil, nil
	}
	history, err := s.PMSMP.PMSMPConventions(ctx, org, prop.BeneficiaryID)
	if err != nil {
		return nil, err
	}
	violations := pmsmp.Check(conv, history)
	if len(violations) == 0 {
		return &conv, nil
	}
	lang := language(c)
	fields := make([]apperr.FieldError, len(violations))
	for i, v := range violations {
		fields[i] = apperr.FieldError{Pointer: "/answer", Detail: pick(lang, v.EN, v.FR), Tag: "domain"}
	}
	e := apperr.Conflictf("Accepting this placement would break the PMSMP rules.")
	e.Fields = fields
	return nil, e
}
