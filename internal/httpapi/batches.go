package httpapi

import (
	"bytes"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/parcours-emploi/parcours/batches"
	"github.com/parcours-emploi/parcours/proposals"
)

// BatchInput is the body of POST /matching/batches.
type BatchInput struct {
	Kind     string     `json:"kind" validate:"required,oneof=job pmsmp training mentor"`
	Scope    BatchScope `json:"scope"`
	MinScore float64    `json:"minScore" validate:"min=0,max=1"`
}

// BatchScope selects the seekers of a batch: the organisation's
// beneficiaries of a programme and/or a département (which also selects
// the openings).
type BatchScope struct {
	Department string `json:"department,omitempty" validate:"omitempty,departement"`
	Programme  string `json:"programme,omitempty" validate:"max=40"`
}

// Batch is a matching batch as the API answers it: what was asked, and what
// the worker did.
type Batch struct {
	ID              string         `json:"id"`
	OrganisationID  string         `json:"organisationId"`
	Kind            string         `json:"kind"`
	Scope           BatchScope     `json:"scope"`
	MinScore        float64        `json:"minScore"`
	Status          string         `json:"status"`
	CreatedBy       string         `json:"createdBy"`
	CreatedAt       time.Time      `json:"createdAt"`
	EnqueuedAt      *time.Time     `json:"enqueuedAt,omitempty"`
	StartedAt       *time.Time     `json:"startedAt,omitempty"`
	FinishedAt      *time.Time     `json:"finishedAt,omitempty"`
	Attempts        int            `json:"attempts"`
	Progress        BatchProgress  `json:"progress"`
	Counts          BatchCounts    `json:"counts"`
	Objective       int64          `json:"objective"`
	Durations       BatchDurations `json:"durations"`
	WeightsVersion  string         `json:"weightsVersion,omitempty"`
	TaxonomyVersion string         `json:"taxonomyVersion,omitempty"`
	Error           string         `json:"error,omitempty"`
}

// BatchProgress says how far a running batch got.
type BatchProgress struct {
	Phase   string `json:"phase"`
	Written int    `json:"written"`
	Total   int    `json:"total"`
}

// BatchCounts are the sizes of a batch.
type BatchCounts struct {
	Seekers    int `json:"seekers"`
	Openings   int `json:"openings"`
	Candidates int `json:"candidatePairs"`
	Assigned   int `json:"assigned"`
	Created    int `json:"proposalsCreated"`
	Existing   int `json:"proposalsExisting"`
	Skipped    int `json:"proposalsSkipped"`
}

// BatchDurations are the milliseconds each phase took in the last attempt.
type BatchDurations struct {
	LoadMs  int64 `json:"loadMs"`
	BuildMs int64 `json:"buildMs"`
	SolveMs int64 `json:"solveMs"`
	WriteMs int64 `json:"writeMs"`
	TotalMs int64 `json:"totalMs"`
}

func toBatch(b batches.Batch) Batch {
	return Batch{
		ID: b.ID, OrganisationID: b.OrganisationID, Kind: string(b.Kind), Scope: BatchScope{Department: b.Scope.Department, Programme: b.Scope.Programme},
		MinScore: b.MinScore, Status: string(b.Status), CreatedBy: b.CreatedBy, CreatedAt: b.CreatedAt,
		EnqueuedAt: b.EnqueuedAt, StartedAt: b.StartedAt, FinishedAt: b.FinishedAt, Attempts: b.Attempts,
		Progress: BatchProgress(b.Progress), Counts: BatchCounts(b.Counts), Objective: b.Objective, Durations: BatchDurations(b.Durations),
		WeightsVersion: b.WeightsVersion, TaxonomyVersion: b.TaxonomyVersion, Error: b.Error,
	}
}

func (s *Server) createBatch(c *fiber.Ctx) error {
	var in BatchInput
	if err := s.decodeBody(c, &in); err != nil {
		return err
	}
	p := principal(c)
	b, err := s.svc.Batches.Submit(c.UserContext(), batches.Request{
		OrganisationID: p.OrganisationID, UserID: p.UserID, Kind: proposals.Kind(in.Kind),
		Scope: batches.Scope{Department: in.Scope.Department, Programme: in.Scope.Programme}, MinScore: in.MinScore,
	})
	if err != nil {
		return err
	}
	c.Location("/api/v1/matching/batches/" + b.ID)
	return c.Status(fiber.StatusAccepted).JSON(toBatch(b))
}

func (s *Server) getBatch(c *fiber.Ctx) error {
	b, err := s.svc.Batches.Batch(c.UserContext(), principal(c).OrganisationID, c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(toBatch(b))
}

// MappingQuery is what GET /matching/batches/{id}/dimacs/mapping accepts.
type MappingQuery struct {
	// Resolve adds the people's ids to their pseudonyms (coordinators only).
	Resolve bool `query:"resolve"`
}

// getBatchMapping answers the mapping of the instance's nodes as CSV:
// pseudonyms for seekers, ids for openings, the proposals; with
// ?resolve=true (coordinators), the people's ids.
func (s *Server) getBatchMapping(c *fiber.Ctx) error {
	var buf bytes.Buffer
	if err := s.svc.Batches.WriteMapping(c.UserContext(), principal(c), c.Params("id"), c.Query("resolve") == "true", &buf); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+c.Params("id")+`-mapping.csv"`)
	return c.Send(buf.Bytes())
}

func (s *Server) getBatchInstance(c *fiber.Ctx) error {
	var buf bytes.Buffer
	if err := s.svc.Batches.WriteInstance(c.UserContext(), principal(c).OrganisationID, c.Params("id"), &buf); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/plain; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+c.Params("id")+`.dimacs"`)
	return c.Send(buf.Bytes())
}
