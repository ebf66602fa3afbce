package httpapi

import (
	"encoding/json"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/proposals"
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

// DeclineInput is the body of a decline: the reason is required;
// availableFrom, when the mentor is not available before a day, holds the
// pair back until that day instead of the cooldown.
type DeclineInput struct {
	// Code is the kind of reason: unavailable, trade, time or other (counted
	// in aggregate only); Reason is the mentor's words.
	Code          string     `json:"code" validate:"omitempty,oneof=unavailable trade time other"`
	Reason        string     `json:"reason" validate:"required,max=500"`
	AvailableFrom civil.Date `json:"availableFrom" validate:"omitempty,date"`
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

// Proposal pairs one beneficiary with one opening, as the API answers it.
type Proposal struct {
	ID             string  `json:"id"`
	OrganisationID string  `json:"organisationId"`
	BeneficiaryID  string  `json:"beneficiaryId"`
	Kind           string  `json:"kind"`
	OpeningID      string  `json:"openingId"`
	BatchID        string  `json:"batchId,omitempty"`
	Source         string  `json:"source"`
	State          string  `json:"state"`
	Score          float64 `json:"score"`
	// Explanation is the engine's evaluation when the pair was proposed:
	// components, weights and taxonomy versions, instant.
	Explanation   json.RawMessage `json:"explanation,omitempty"`
	History       []Transition    `json:"history"`
	DeclineReason string          `json:"declineReason,omitempty"`
	ExpiresAt     *time.Time      `json:"expiresAt,omitempty"`
	CreatedAt     time.Time       `json:"createdAt"`
	UpdatedAt     time.Time       `json:"updatedAt"`
	Version       int64           `json:"version"`
}

// Transition is one change of a proposal's state: who and when.
type Transition struct {
	From   string    `json:"from"`
	To     string    `json:"to"`
	At     time.Time `json:"at"`
	By     string    `json:"by"`
	Reason string    `json:"reason,omitempty"`
}

func toProposal(p proposals.Proposal) Proposal {
	return Proposal{
		ID: p.ID, OrganisationID: p.OrganisationID, BeneficiaryID: p.BeneficiaryID, Kind: string(p.Kind), OpeningID: p.OpeningID,
		BatchID: p.BatchID, Source: string(p.Source), State: string(p.State), Score: p.Score, Explanation: p.Explanation,
		History: convert(p.History, func(t proposals.Transition) Transition {
			return Transition{From: string(t.From), To: string(t.To), At: t.At, By: t.By, Reason: t.Reason}
		}),
		DeclineReason: p.DeclineReason, ExpiresAt: p.ExpiresAt, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt, Version: p.Version,
	}
}

const proposalStates = "proposed approved sent accepted declined expired withdrawn"

func (s *Server) createProposal(c *fiber.Ctx) error {
	var in ProposalInput
	if err := s.decodeBody(c, &in); err != nil {
		return err
	}
	p, err := s.svc.Proposals.Propose(c.UserContext(), principal(c), in.BeneficiaryID, proposals.Kind(in.Kind), in.OpeningID)
	if err != nil {
		return err
	}
	c.Location("/api/v1/proposals/" + p.ID)
	return sendRecord(c, fiber.StatusCreated, p.Version, toProposal(p))
}

func (s *Server) getProposal(c *fiber.Ctx) error {
	p, err := s.svc.Proposals.Get(c.UserContext(), principal(c), c.Params("id"))
	if err != nil {
		return err
	}
	return sendRecord(c, fiber.StatusOK, p.Version, toProposal(p))
}

func (s *Server) listProposals(c *fiber.Ctx) error {
	limit, err := queryLimit(c)
	if err != nil {
		return err
	}
	f := proposals.Filter{BeneficiaryID: c.Query("beneficiaryId"), Kind: proposals.Kind(c.Query("kind")), OpeningID: c.Query("openingId"),
		BatchID: c.Query("batchId"), After: c.Query("cursor"), Limit: limit}
	state := c.Query("state")
	if err := s.valid.checkQuery(language(c), map[string]queryRule{
		"kind": {string(f.Kind), "omitempty,oneof=mentor job pmsmp training"}, "state": {state, "omitempty,oneof=" + proposalStates},
		"beneficiaryId": {f.BeneficiaryID, "max=64"}, "openingId": {f.OpeningID, "max=64"}, "batchId": {f.BatchID, "max=64"},
	}); err != nil {
		return err
	}
	if state != "" {
		f.States = []proposals.State{proposals.State(state)}
	}
	list, next, err := s.svc.Proposals.List(c.UserContext(), principal(c), f)
	if err != nil {
		return err
	}
	return c.JSON(page[Proposal]{Items: convert(list, toProposal), Next: next})
}

func (s *Server) approveProposal(c *fiber.Ctx) error {
	p, err := s.svc.Proposals.Approve(c.UserContext(), principal(c), c.Params("id"))
	if err != nil {
		return err
	}
	return sendRecord(c, fiber.StatusOK, p.Version, toProposal(p))
}

func (s *Server) sendProposal(c *fiber.Ctx) error {
	p, err := s.svc.Proposals.Send(c.UserContext(), principal(c), c.Params("id"))
	if err != nil {
		return err
	}
	return sendRecord(c, fiber.StatusOK, p.Version, toProposal(p))
}

func (s *Server) withdrawProposal(c *fiber.Ctx) error {
	var in ReasonInput
	if err := s.decodeBody(c, &in); err != nil {
		return err
	}
	p, err := s.svc.Proposals.Withdraw(c.UserContext(), principal(c), c.Params("id"), in.Reason)
	if err != nil {
		return err
	}
	return sendRecord(c, fiber.StatusOK, p.Version, toProposal(p))
}

// answerProposal records the answer to an opportunity's proposal; a mentor
// proposal is answered by its mentor only (403).
func (s *Server) answerProposal(c *fiber.Ctx) error {
	var in AnswerInput
	if err := s.decodeBody(c, &in); err != nil {
		return err
	}
	p, err := s.svc.Proposals.Answer(c.UserContext(), principal(c), c.Params("id"), in.Answer == string(proposals.Accepted), in.Reason)
	if err != nil {
		return err
	}
	return sendRecord(c, fiber.StatusOK, p.Version, toProposal(p))
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
	var states []proposals.State
	if state != "" {
		states = []proposals.State{proposals.State(state)}
	}
	list, next, err := s.svc.Mentoring.SentProposals(c.UserContext(), principal(c), states, c.Query("cursor"), limit)
	if err != nil {
		return err
	}
	return c.JSON(page[MentorProposal]{Items: convert(list, toMentorProposal), Next: next})
}

func (s *Server) acceptProposal(c *fiber.Ctx) error {
	p, ms, err := s.svc.Mentoring.AcceptSent(c.UserContext(), principal(c), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(Acceptance{Proposal: toMentorProposal(p), Mentorship: toMentorship(ms)})
}

func (s *Server) declineProposal(c *fiber.Ctx) error {
	var in DeclineInput
	if err := s.decodeBody(c, &in); err != nil {
		return err
	}
	p, err := s.svc.Mentoring.DeclineSent(c.UserContext(), principal(c), c.Params("id"), in.Code, in.Reason, in.AvailableFrom)
	if err != nil {
		return err
	}
	return c.JSON(toMentorProposal(p))
}

// HostProposal is a candidate proposed on one of the agency's openings:
// who to expect and how to reach their adviser, nothing of their file.
type HostProposal struct {
	ID            string     `json:"id"`
	State         string     `json:"state"`
	Kind          string     `json:"kind"`
	OpeningID     string     `json:"openingId"`
	OpeningTitle  string     `json:"openingTitle"`
	Candidate     string     `json:"candidate"`
	Programme     string     `json:"programme"`
	Adviser       Contact    `json:"adviser"`
	SentAt        *time.Time `json:"sentAt,omitempty"`
	ExpiresAt     *time.Time `json:"expiresAt,omitempty"`
	DeclineReason string     `json:"declineReason,omitempty"`
	UpdatedAt     time.Time  `json:"updatedAt"`
}

// Contact is how to reach a person.
type Contact struct {
	Name  string `json:"name,omitempty"`
	Email string `json:"email,omitempty"`
	Phone string `json:"phone,omitempty"`
}

// HostProposals lists the candidates proposed on the agency's openings.
type HostProposals struct {
	Items []HostProposal `json:"items"`
}

func toHostProposal(h proposals.HostProposal) HostProposal {
	v := HostProposal{ID: h.ID, State: string(h.State), Kind: string(h.Kind), OpeningID: h.OpeningID, OpeningTitle: h.OpeningTitle,
		Candidate: h.Candidate, Programme: h.Programme, Adviser: Contact{Name: h.Adviser.Name, Email: h.Adviser.Email, Phone: h.Adviser.Phone},
		ExpiresAt: h.ExpiresAt, DeclineReason: h.DeclineReason, UpdatedAt: h.UpdatedAt}
	if at, ok := h.SentAt(); ok {
		v.SentAt = &at
	}
	return v
}

func (s *Server) listHostProposals(c *fiber.Ctx) error {
	list, err := s.svc.Proposals.HostProposals(c.UserContext(), principal(c), 200)
	if err != nil {
		return err
	}
	return c.JSON(HostProposals{Items: convert(list, toHostProposal)})
}

func (s *Server) answerHostProposal(c *fiber.Ctx) error {
	var in AnswerInput
	if err := s.decodeBody(c, &in); err != nil {
		return err
	}
	p, err := s.svc.Proposals.AnswerAsHost(c.UserContext(), principal(c), c.Params("id"), in.Answer == string(proposals.Accepted), in.Reason)
	if err != nil {
		return err
	}
	list, err := s.svc.Proposals.HostProposals(c.UserContext(), principal(c), 200)
	if err != nil {
		return err
	}
	for _, h := range list {
		if h.ID == p.ID {
			return c.JSON(toHostProposal(h))
		}
	}
	return c.JSON(toHostProposal(proposals.HostProposal{Proposal: p}))
}
