package web

import (
	"bytes"
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/batches"
	"github.com/parcours-emploi/parcours/internal/httpapi"
	"github.com/parcours-emploi/parcours/proposals"
)

type batchesView struct {
	Batches    []batches.Batch
	Programmes []string
}

// batchesPage lists the organisation's latest matching batches and
// launches a new one for a scope.
func (c *Console) batchesPage(ctx *fiber.Ctx) error {
	return c.renderBatches(ctx, fiber.StatusOK, newForm(url.Values{"kind": {"job"}, "scope.department": {"69"}, "minScore": {"0.3"}}))
}

func (c *Console) renderBatches(ctx *fiber.Ctx, status int, f *form) error {
	uctx, w := ctx.UserContext(), who(ctx)
	list, err := c.svc.Batches.List(uctx, w.OrganisationID, 20)
	if err != nil {
		return err
	}
	bv := batchesView{Batches: list}
	values, err := c.values(uctx, w)
	if err != nil {
		return err
	}
	bv.Programmes = values.Programmes
	v := c.page(ctx, "batches.title", "batches", bv)
	v.Form = f
	return c.render(ctx, status, "batches", v)
}

// createBatch records a batch and queues it: it runs in the background,
// and its page follows the progress.
func (c *Console) createBatch(ctx *fiber.Ctx) error {
	values := formValues(ctx)
	f := newForm(values)
	lang := string(c.lang(ctx))
	doc := url.Values{}
	for k, v := range values {
		if k != csrfField {
			doc[k] = v
		}
	}
	// The minimum score is typed as a percentage.
	if pct := doc.Get("minScore"); pct != "" {
		if n, err := strconv.ParseFloat(pct, 64); err == nil && n > 1 {
			doc.Set("minScore", strconv.FormatFloat(n/100, 'f', -1, 64))
		}
	}
	var in httpapi.BatchInput
	if err := c.decodeForm(ctx, doc, &in, lang); err != nil {
		if c.addErrors(f, err, lang) {
			return c.renderBatches(ctx, fiber.StatusUnprocessableEntity, f)
		}
		return err
	}
	w := who(ctx)
	b, err := c.svc.Batches.Submit(ctx.UserContext(), batches.Request{OrganisationID: w.OrganisationID, UserID: w.UserID,
		Kind: proposals.Kind(in.Kind), Scope: batches.Scope{Department: in.Scope.Department, Programme: in.Scope.Programme}, MinScore: in.MinScore})
	if err != nil {
		if c.addErrors(f, err, lang) {
			return c.renderBatches(ctx, fiber.StatusUnprocessableEntity, f)
		}
		if apperr.Is(err, apperr.Conflict) {
			// One batch of a kind at a time: the form says so, kept as typed.
			ae, _ := apperr.As(err)
			f.Problem = ae.In(lang)
			return c.renderBatches(ctx, fiber.StatusConflict, f)
		}
		return err
	}
	return ctx.Redirect("/lots/"+b.ID, fiber.StatusSeeOther)
}

type batchView struct {
	B       batches.Batch
	Running bool
	Percent int
	// Rows, State, BatchID and Back feed the review table of the batch's
	// proposals.
	Rows    []reviewRow
	State   string
	BatchID string
	Back    string
}

// batchPage shows a batch: its progress while it runs (the page polls the
// fragment, and a screen reader hears the phase change), then its counts
// and the proposals it made, to approve together.
func (c *Console) batchPage(ctx *fiber.Ctx) error {
	uctx, w := ctx.UserContext(), who(ctx)
	b, err := c.svc.Batches.Batch(uctx, w.OrganisationID, ctx.Params("id"))
	if err != nil {
		return err
	}
	bv := batchView{B: b, Running: b.Status == batches.Queued || b.Status == batches.Running, State: "proposed", BatchID: b.ID, Back: "/lots/" + b.ID}
	if b.Progress.Total > 0 {
		bv.Percent = b.Progress.Written * 100 / b.Progress.Total
	}
	if b.Status == batches.Done {
		list, _, err := c.svc.Proposals.List(uctx, w, proposals.Filter{BatchID: b.ID, States: []proposals.State{proposals.Proposed}, Limit: 100})
		if err != nil {
			return err
		}
		if bv.Rows, err = c.reviewRows(ctx, w, list); err != nil {
			return err
		}
	}
	if !bv.Running && ctx.Get("HX-Target") == "progress" {
		// The batch finished: the whole page, with its proposals.
		ctx.Set("HX-Refresh", "true")
	}
	v := c.page(ctx, "batch.title", "batches", bv)
	return c.render(ctx, fiber.StatusOK, "batch", v)
}

// batchInstance downloads the exact DIMACS instance the batch solved.
func (c *Console) batchInstance(ctx *fiber.Ctx) error {
	var buf bytes.Buffer
	if err := c.svc.Batches.WriteInstance(ctx.UserContext(), who(ctx).OrganisationID, ctx.Params("id"), &buf); err != nil {
		return err
	}
	ctx.Set(fiber.HeaderContentType, "text/plain; charset=utf-8")
	ctx.Set(fiber.HeaderContentDisposition, `attachment; filename="`+ctx.Params("id")+`.dimacs"`)
	return ctx.Send(buf.Bytes())
}
