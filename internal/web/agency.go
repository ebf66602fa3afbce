package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/jobs"
	"github.com/parcours-emploi/parcours/proposals"
)

// The agency's page: the candidates programmes sent on its openings, to
// answer; its openings; and what its last bulk submission refused, item by
// item, so its integration can be fixed.

type agencyView struct {
	Proposals []proposals.HostProposal
	Openings  []jobs.Opportunity
	Last      *jobs.Submission
}

func (c *Console) agencyPage(ctx *fiber.Ctx) error {
	uctx, w := ctx.UserContext(), who(ctx)
	hp, err := c.svc.Proposals.HostProposals(uctx, w, 100)
	if err != nil {
		return err
	}
	ops, _, err := c.svc.Opportunities.List(uctx, w, jobs.Filter{Limit: 200})
	if err != nil {
		return err
	}
	av := agencyView{Proposals: hp, Openings: ops}
	if last, err := c.svc.Opportunities.LastSubmission(uctx, w); err == nil && !last.At.IsZero() {
		av.Last = &last
	} else if err != nil && !apperr.Is(err, apperr.NotFound) {
		return err
	}
	return c.render(ctx, fiber.StatusOK, "agency", c.page(ctx, "agency.title", "agency", av))
}

// agencyAnswer records the agency's answer to a candidate.
func (c *Console) agencyAnswer(ctx *fiber.Ctx) error {
	accepted := ctx.Params("answer") == "accepter"
	reason := strings.TrimSpace(ctx.FormValue("reason"))
	if !accepted && reason == "" {
		reason = c.i18n.T(c.lang(ctx), "agency.decline.noreason")
	}
	if _, err := c.svc.Proposals.AnswerAsHost(ctx.UserContext(), who(ctx), ctx.Params("id"), accepted, reason); err != nil {
		return c.actionFailed(ctx, err, "/agence")
	}
	note := "agency-declined"
	if accepted {
		note = "agency-accepted"
	}
	return ctx.Redirect("/agence?note="+note, fiber.StatusSeeOther)
}
