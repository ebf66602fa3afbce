package web

import "github.com/gofiber/fiber/v2"

func (c *Console) homePage(ctx *fiber.Ctx) error            { return fiber.ErrNotFound }
func (c *Console) beneficiariesPage(ctx *fiber.Ctx) error   { return fiber.ErrNotFound }
func (c *Console) newBeneficiaryPage(ctx *fiber.Ctx) error  { return fiber.ErrNotFound }
func (c *Console) createBeneficiary(ctx *fiber.Ctx) error   { return fiber.ErrNotFound }
func (c *Console) beneficiaryPage(ctx *fiber.Ctx) error     { return fiber.ErrNotFound }
func (c *Console) editBeneficiaryPage(ctx *fiber.Ctx) error { return fiber.ErrNotFound }
func (c *Console) updateBeneficiary(ctx *fiber.Ctx) error   { return fiber.ErrNotFound }
func (c *Console) recordSituation(ctx *fiber.Ctx) error     { return fiber.ErrNotFound }
func (c *Console) proposalsPage(ctx *fiber.Ctx) error       { return fiber.ErrNotFound }
func (c *Console) propose(ctx *fiber.Ctx) error             { return fiber.ErrNotFound }
func (c *Console) approveSelected(ctx *fiber.Ctx) error     { return fiber.ErrNotFound }
func (c *Console) proposalAction(ctx *fiber.Ctx) error      { return fiber.ErrNotFound }
func (c *Console) opportunitiesPage(ctx *fiber.Ctx) error   { return fiber.ErrNotFound }
func (c *Console) newOpportunityPage(ctx *fiber.Ctx) error  { return fiber.ErrNotFound }
func (c *Console) createOpportunity(ctx *fiber.Ctx) error   { return fiber.ErrNotFound }
func (c *Console) opportunityPage(ctx *fiber.Ctx) error     { return fiber.ErrNotFound }
func (c *Console) editOpportunityPage(ctx *fiber.Ctx) error { return fiber.ErrNotFound }
func (c *Console) updateOpportunity(ctx *fiber.Ctx) error   { return fiber.ErrNotFound }
func (c *Console) closeOpportunity(ctx *fiber.Ctx) error    { return fiber.ErrNotFound }
func (c *Console) batchesPage(ctx *fiber.Ctx) error         { return fiber.ErrNotFound }
func (c *Console) createBatch(ctx *fiber.Ctx) error         { return fiber.ErrNotFound }
func (c *Console) batchPage(ctx *fiber.Ctx) error           { return fiber.ErrNotFound }
func (c *Console) batchInstance(ctx *fiber.Ctx) error       { return fiber.ErrNotFound }
