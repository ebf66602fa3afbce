package web

import (
	"encoding/json"
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/parcours-emploi/parcours/access"
	"github.com/parcours-emploi/parcours/apperr"
	"github.com/parcours-emploi/parcours/matching"
	"github.com/parcours-emploi/parcours/proposals"
)

type reviewRow struct {
	proposalRow
	Ev matching.Evaluation
}

type proposalsView struct {
	State   string
	Kind    string
	BatchID string
	// OpeningID and OpeningTitle narrow the queue to one opening.
	OpeningID    string
	OpeningTitle string
	Rows         []reviewRow
	Next         string
	// Back is this list's address, where an action on a row returns.
	Back string
	// States are the links to the list in each state, the scope kept.
	States []stateLink
}

// stateLink is a link to the review queue in one state.
type stateLink struct {
	State, Href string
	Current     bool
}

// proposalsPage is the review queue: proposals by state (those waiting for
// approval first), each with its explanation in view, to approve, send or
// withdraw.
func (c *Console) proposalsPage(ctx *fiber.Ctx) error {
	uctx, w := ctx.UserContext(), who(ctx)
	pv := proposalsView{State: ctx.Query("etat", "proposed"), Kind: ctx.Query("type"), BatchID: ctx.Query("lot"), OpeningID: ctx.Query("ouverture")}
	f := proposals.Filter{Kind: proposals.Kind(pv.Kind), BatchID: pv.BatchID, OpeningID: pv.OpeningID, After: ctx.Query("apres"), Limit: 30}
	if pv.OpeningID != "" {
		o, err := c.svc.Opportunities.Get(uctx, w, pv.OpeningID)
		if err != nil {
			return err
		}
		pv.OpeningTitle = o.Title
	}
	if s := proposals.State(pv.State); pv.State != "tous" {
		if !validState(s) {
			s, pv.State = proposals.Proposed, "proposed"
		}
		f.States = []proposals.State{s}
	}
	if f.Kind != "" && !f.Kind.Valid() {
		f.Kind, pv.Kind = "", ""
	}
	list, next, err := c.svc.Proposals.List(uctx, w, f)
	if err != nil {
		return err
	}
	if pv.Rows, err = c.reviewRows(ctx, w, list); err != nil {
		return err
	}
	link := func(state, after string) string {
		q := url.Values{"etat": {state}}
		for k, v := range map[string]string{"type": pv.Kind, "lot": pv.BatchID, "ouverture": pv.OpeningID, "apres": after} {
			if v != "" {
				q.Set(k, v)
			}
		}
		return "/propositions?" + q.Encode()
	}
	if next != "" {
		pv.Next = link(pv.State, next)
	}
	pv.Back = link(pv.State, "")
	for _, s := range []string{"proposed", "approved", "sent", "accepted", "declined", "tous"} {
		pv.States = append(pv.States, stateLink{State: s, Href: link(s, ""), Current: s == pv.State})
	}
	return c.render(ctx, fiber.StatusOK, "proposals", c.page(ctx, "proposals.title", "proposals", pv))
}

func validState(s proposals.State) bool {
	for _, x := range proposals.States {
		if x == s {
			return true
		}
	}
	return false
}

// reviewRows names the people and openings of proposals and reads their
// explanations.
func (c *Console) reviewRows(ctx *fiber.Ctx, w access.Principal, list []proposals.Proposal) ([]reviewRow, error) {
	ids := make([]string, len(list))
	for i, p := range list {
		ids[i] = p.BeneficiaryID
	}
	ppl, err := c.people(ctx.UserContext(), w, ids)
	if err != nil {
		return nil, err
	}
	ops, err := c.openings(ctx.UserContext(), w, list)
	if err != nil {
		return nil, err
	}
	out := make([]reviewRow, len(list))
	for i, p := range list {
		out[i] = reviewRow{proposalRow: proposalRow{P: p, Name: ppl[p.BeneficiaryID].Name, Opening: ops[p.OpeningID]}}
		_ = json.Unmarshal(p.Explanation, &out[i].Ev)
	}
	return out, nil
}

// propose records an adviser's proposal from a suggestion or "pourquoi
// pas ?"; the engine evaluates the pair again, as through the API.
func (c *Console) propose(ctx *fiber.Ctx) error {
	next := access.SafeNext(ctx.FormValue("suite"))
	if next == "" {
		next = "/propositions"
	}
	_, err := c.svc.Proposals.Propose(ctx.UserContext(), who(ctx), ctx.FormValue("beneficiaryId"), proposals.Kind(ctx.FormValue("kind")), ctx.FormValue("openingId"))
	if err != nil {
		return c.actionFailed(ctx, err, next)
	}
	return ctx.Redirect(withNote(next, "proposed"), fiber.StatusSeeOther)
}

// proposalAction approves, sends or withdraws a proposal.
func (c *Console) proposalAction(ctx *fiber.Ctx) error {
	uctx, w, id := ctx.UserContext(), who(ctx), ctx.Params("id")
	next := access.SafeNext(ctx.FormValue("suite"))
	if next == "" {
		next = "/propositions"
	}
	var err error
	switch ctx.Params("action") {
	case "approuver":
		_, err = c.svc.Proposals.Approve(uctx, w, id)
	case "envoyer":
		_, err = c.svc.Proposals.Send(uctx, w, id)
	case "retirer":
		_, err = c.svc.Proposals.Withdraw(uctx, w, id, ctx.FormValue("reason"))
	default:
		return fiber.ErrNotFound
	}
	if err != nil {
		return c.actionFailed(ctx, err, next)
	}
	return ctx.Redirect(withNote(next, ctx.Params("action")), fiber.StatusSeeOther)
}

// approveSelected approves the proposals ticked in a review table.
func (c *Console) approveSelected(ctx *fiber.Ctx) error {
	uctx, w := ctx.UserContext(), who(ctx)
	next := access.SafeNext(ctx.FormValue("suite"))
	if next == "" {
		next = "/propositions"
	}
	n := 0
	for _, id := range formValues(ctx)["ids"] {
		if _, err := c.svc.Proposals.Approve(uctx, w, id); err != nil {
			if apperr.Is(err, apperr.Conflict) || apperr.Is(err, apperr.NotFound) {
				continue // approved meanwhile, or not this organisation's
			}
			return err
		}
		n++
	}
	return ctx.Redirect(withNote(next, "approvedmany"), fiber.StatusSeeOther)
}

// actionFailed shows why an action on a proposal could not be done (a
// rule of the lifecycle, a cooldown, a limit, ineligibility) on the page it
// came from.
func (c *Console) actionFailed(ctx *fiber.Ctx, err error, back string) error {
	ae, ok := apperr.As(err)
	if !ok || (ae.Code != apperr.Conflict && ae.Code != apperr.Invalid && ae.Code != apperr.Forbidden) {
		return err
	}
	lang := c.lang(ctx)
	msg := ae.In(string(lang))
	for _, f := range c.Inputs.Localise(ae.Fields, string(lang)) {
		msg += " " + f.Detail
	}
	v := c.page(ctx, "action.failed.title", "", actionView{Message: msg, Back: back})
	return c.render(ctx, fiber.StatusConflict, "action-failed", v)
}

type actionView struct {
	Message string
	Back    string
}

// withNote adds a notice to a console address.
func withNote(path, note string) string {
	u, err := url.Parse(path)
	if err != nil {
		return path
	}
	q := u.Query()
	q.Set("note", note)
	u.RawQuery = q.Encode()
	return u.String()
}
