package httpapi

import (
	"bytes"
	"context"
	"io"

	"github.com/gofiber/fiber/v2"

	"github.com/parcours-emploi/parcours/internal/batching"
	"github.com/parcours-emploi/parcours/matching"
)

// BatchService records matching batches, puts them on the queue and reads
// them back; batching.Batches is one.
type BatchService interface {
	// Submit records the batch as queued and enqueues it; a queue that does
	// not answer leaves the batch recorded for the sweeper, not an error.
	Submit(ctx context.Context, r batching.BatchRequest) (batching.Batch, error)
	// Batch returns org's batch, or apperr.NotFound.
	Batch(ctx context.Context, org, id string) (batching.Batch, error)
	// WriteInstance writes the DIMACS instance the batch solved; apperr.NotFound
	// if org has no such batch or it has not been built yet.
	WriteInstance(ctx context.Context, org, id string, w io.Writer) error
}

// BatchInput is the body of POST /matching/batches.
type BatchInput struct {
	Kind     string              `json:"kind" validate:"required,oneof=job pmsmp training mentor"`
	Scope    batching.BatchScope `json:"scope"`
	MinScore float64             `json:"minScore" validate:"min=0,max=1"`
}

func (s *Server) createBatch(c *fiber.Ctx) error {
	var in BatchInput
	if err := s.decodeBody(c, &in); err != nil {
		return err
	}
	p := principal(c)
	b, err := s.Batches.Submit(c.UserContext(), batching.BatchRequest{
		OrganisationID: p.OrganisationID, UserID: p.UserID, Kind: matching.Kind(in.Kind), Scope: in.Scope, MinScore: in.MinScore,
	})
	if err != nil {
		return err
	}
	c.Location("/api/v1/matching/batches/" + b.ID)
	return c.Status(fiber.StatusAccepted).JSON(b)
}

func (s *Server) getBatch(c *fiber.Ctx) error {
	b, err := s.Batches.Batch(c.UserContext(), principal(c).OrganisationID, c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(b)
}

func (s *Server) getBatchInstance(c *fiber.Ctx) error {
	var buf bytes.Buffer
	if err := s.Batches.WriteInstance(c.UserContext(), principal(c).OrganisationID, c.Params("id"), &buf); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/plain; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+c.Params("id")+`.dimacs"`)
	return c.Send(buf.Bytes())
}
